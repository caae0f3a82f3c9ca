// What a hostile or broken client can send: structured values where text is expected, prototype names, control
// and bidi characters. Always an answer below 500, and nothing unsafe stored.
import crypto from 'node:crypto'
import { expect } from 'chai'
import * as cheerio from 'cheerio'
import request from 'supertest'
import { useTestApp } from '../../helpers/app'
import { csrfTokenFrom, signIn, type Agent } from '../../helpers/accounts'
import { DEMO_REFERRALS } from '../../../server/services/demo-referrals'
import { demoActor } from '../../helpers/referrals'

describe('Hostile requests', () => {
  const t = useTestApp('hostile_requests', { DEMO: 'true' })

  it('answers 400 with field errors, never 500, for an object where text is expected on the public forms', async () => {
    for (const path of ['/sign-in', '/forgot-password']) {
      const agent = request.agent(t.app)
      const token = await csrfTokenFrom(agent, path)
      const res = await agent
        .post(path)
        .set('x-csrf-token', token)
        .set('accept', 'application/json')
        .send({ email: { toString: 'x' }, password: 'whatever-password' })
      expect(res.status, path).to.equal(400)
      expect(res.body.errors).to.deep.equal({ email: 'Enter text only' })
      const list = await agent
        .post(path)
        .set('x-csrf-token', token)
        .send({ email: ['a@example.org', 'b@example.org'] })
      expect(list.status, `${path} with a list`).to.equal(400)
      const html = await agent.post(path).set('x-csrf-token', token).send([1, 2])
      expect(html.status, `${path} with a list body`).to.equal(400)
    }
  })

  it('treats prototype names in the query as unknown values, not as 500s', async () => {
    const vco = await signIn(t.app, 'vco.member@demo.loopwell.test')
    for (const tab of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const res = await vco.get(`/referrals/inbox?tab=${tab}`)
      expect(res.status, tab).to.equal(200)
    }
    const signInPage = await request(t.app).get('/sign-in?done=constructor').expect(200)
    expect(signInPage.text).to.not.contain('native code')
    await request(t.app).get('/sign-in?__proto__[x]=1&constructor=2').expect(200)
    await request(t.app)
      .get('/people/%00')
      .expect((res) => expect(res.status).to.be.below(500))
  })

  it('stores names and notes without NUL or bidi overrides, normalised to NFC', async () => {
    const lw: Agent = await signIn(t.app, 'link.worker@demo.loopwell.test')
    const page = await lw.get('/people/new')
    const _csrf = String(cheerio.load(page.text)('input[name="_csrf"]').first().val())
    const res = await lw
      .post('/people/new')
      .type('form')
      .send({
        _csrf,
        givenName: 'Jose\u0301\u0000',
        familyName: 'Sm\u202Ehtis',
        dobDay: '2',
        dobMonth: '3',
        dobYear: '1955',
        contactPreference: 'letter',
        address: '1 High\u0007 Road',
        whatMatters: 'Walking\r\nwith\tfriends\u2067',
      })
      .expect(303)
    const id = String(res.headers.location).split('/').pop()!
    const stored = await t.services.people.get(demoActor('link-worker'), id, null)
    expect(stored.givenName).to.equal('José')
    expect(stored.familyName).to.equal('Smhtis')
    expect(stored.address).to.equal('1 High Road')
    expect(stored.whatMatters).to.equal('Walking\nwith\tfriends')
  })

  it('makes one person from five concurrent identical posts of one form, and sends all five to that person', async () => {
    const lw: Agent = await signIn(t.app, 'link.worker@demo.loopwell.test')
    const page = cheerio.load((await lw.get('/people/new')).text)
    const form = {
      _csrf: String(page('input[name="_csrf"]').first().val()),
      idempotencyKey: String(page('input[name="idempotencyKey"]').val()),
      givenName: 'Five',
      familyName: 'Times',
      dobDay: '4',
      dobMonth: '5',
      dobYear: '1966',
      contactPreference: 'letter',
      address: '5 Same Street',
    }
    expect(form.idempotencyKey).to.match(/^[0-9a-f-]{36}$/)
    const before = (await t.services.people.caseloadPage(demoActor('link-worker'), null)).total
    const answers = await Promise.all(Array.from({ length: 5 }, () => lw.post('/people/new').type('form').send(form)))
    expect(answers.map((a) => a.status)).to.deep.equal([303, 303, 303, 303, 303])
    expect(new Set(answers.map((a) => a.headers.location)).size).to.equal(1)
    const after = await t.services.people.caseloadPage(demoActor('link-worker'), null)
    expect(after.total).to.equal(before + 1)
    const found = await t.services.people.search(demoActor('link-worker'), { name: form.familyName }, null)
    expect(found.filter((p) => p.familyName === 'Times')).to.have.length(1)
  })

  it('takes messages on one busy referral without a 500, and one retried message once', async function () {
    this.timeout(120_000)
    const lw: Agent = await signIn(t.app, 'link.worker@demo.loopwell.test')
    const page = `/referrals/${DEMO_REFERRALS.new}`
    const $ = cheerio.load((await lw.get(page)).text)
    const _csrf = String($('input[name="_csrf"]').first().val())
    const key = String($('input[name="idempotencyKey"]').val())
    expect(key).to.match(/^[0-9a-f-]{36}$/)
    const messages = async () =>
      (await t.services.referrals.get(demoActor('link-worker'), DEMO_REFERRALS.new, null)).referral.messages.length

    const before = await messages()
    const same = await Promise.all(
      Array.from({ length: 5 }, () =>
        lw.post(`${page}/messages`).type('form').send({ _csrf, idempotencyKey: key, message: 'Sent once' }),
      ),
    )
    expect(same.map((r) => r.status)).to.deep.equal([303, 303, 303, 303, 303])
    expect(await messages()).to.equal(before + 1)

    const busy = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        lw
          .post(`${page}/messages`)
          .type('form')
          .send({ _csrf, idempotencyKey: crypto.randomUUID(), message: `Busy ${i}` }),
      ),
    )
    const statuses = busy.map((r) => r.status)
    expect(statuses.filter((s) => s !== 303 && s !== 503)).to.deep.equal([])
    expect(await messages()).to.equal(before + 1 + statuses.filter((s) => s === 303).length)
  })
})
