import { expect } from 'chai'
import * as cheerio from 'cheerio'
import request from 'supertest'
import { DEMO_PASSWORD } from '../../../../server/services/demo-accounts'
import { useTestApp } from '../../../helpers/app'
import { csrfTokenFrom, signIn, formOn } from '../../../helpers/accounts'
import { errorLinks } from '../../../helpers/forms'

const ADMIN = 'admin@demo.loopwell.test'
const LINK_WORKER = 'link.worker@demo.loopwell.test'

async function auditActions(t: ReturnType<typeof useTestApp>, user: string) {
  const { events } = await t.services.audit.search({ user })
  return events.map((e) => e.action)
}

describe('Signing in and out', () => {
  const t = useTestApp('sign_in', { DEMO: 'true', SIGN_IN_MAX_FAILURES: '3' })

  describe('GET /sign-in', () => {
    it('lists the demo sign-ins in demo mode', async () => {
      const res = await request(t.app).get('/sign-in').expect(200)
      const $ = cheerio.load(res.text)
      expect($('h1').text()).to.equal('Sign in')
      expect($('table').text()).to.contain(ADMIN).and.contain('commissioner@demo.loopwell.test')
    })
  })

  describe('POST /sign-in', () => {
    it("signs in, rotates the session and sends the user to their role's start page", async () => {
      const form = await formOn(t.app, '/sign-in')
      const { agent } = form
      const before = String(
        (await agent.get('/sign-in')).headers['set-cookie'] ??
          agent.jar.getCookie('loopwell.sid', { path: '/' } as never),
      )
      const res = await form.post({ email: ADMIN, password: DEMO_PASSWORD })
      expect(res.status).to.equal(303)
      expect(res.headers.location).to.equal('/admin/listings/review')
      const cookie = String(res.headers['set-cookie'])
      expect(cookie).to.match(/loopwell\.sid=/)
      expect(cookie).to.not.equal(before)
      const account = await agent.get('/account').expect(200)
      const $ = cheerio.load(account.text)
      expect($('h1').text()).to.equal('Your account')
      expect($('.nhsuk-header__account').text()).to.contain('Ada Admin')
      expect($('.nhsuk-header__navigation-list').text()).to.contain('Audit log')
    })

    it('re-renders the form with 400, an error summary and the typed email when fields are missing', async () => {
      const form = await formOn(t.app, '/sign-in')
      const res = await form.post({ email: 'not-an-email', password: '' })
      expect(res.status).to.equal(400)
      const $ = cheerio.load(res.text)
      expect(errorLinks($)).to.deep.equal(['#email', '#password'])
      expect($('#email').val()).to.equal('not-an-email')
      expect($('#email-error').text()).to.contain('correct format')
    })

    it('refuses a wrong password with one message that does not say whether the account exists', async () => {
      const form = await formOn(t.app, '/sign-in')
      const wrong = await form.post({ email: LINK_WORKER, password: 'wrong password!' })
      const nobody = await form.post({ email: 'nobody@example.org', password: 'wrong password!' })
      expect(wrong.status).to.equal(401)
      expect(nobody.status).to.equal(401)
      const message = (html: string) => cheerio.load(html)('.nhsuk-error-summary').text()
      expect(message(wrong.text)).to.equal(message(nobody.text))
      expect(await auditActions(t, LINK_WORKER)).to.include('sign-in.failure')
    })

    it('locks an address after repeated failures, even with the right password, and says so clearly', async () => {
      const email = 'gp@demo.loopwell.test'
      const form = await formOn(t.app, '/sign-in')
      const statuses: number[] = []
      for (let i = 0; i < 3; i++) {
        const res = await form.post({ email, password: `wrong-${i}-password` })
        statuses.push(res.status)
      }
      expect(statuses).to.deep.equal([401, 401, 429])
      const right = await form.post({ email, password: DEMO_PASSWORD })
      expect(right.status).to.equal(429)
      expect(cheerio.load(right.text)('.nhsuk-error-summary').text()).to.match(/too many attempts.*Wait 15 minutes/i)
      const actions = await auditActions(t, email)
      expect(actions).to.include('sign-in.locked')
      expect(actions).to.not.include('sign-in.success')
    })

    it('keeps the lockout in the database, so a new app instance still refuses', async () => {
      const state = await t.services.accounts.signIn({
        email: 'gp@demo.loopwell.test',
        password: DEMO_PASSWORD,
        ip: null,
      })
      expect(state.outcome).to.equal('locked')
    })
  })

  describe('POST /sign-out', () => {
    it('ends the session and records it', async () => {
      const agent = await signIn(t.app, LINK_WORKER)
      const _csrf = await csrfTokenFrom(agent, '/account')
      const res = await agent.post('/sign-out').type('form').send({ _csrf }).expect(303)
      expect(res.headers.location).to.equal('/sign-in?done=signed-out')
      const after = await agent.get('/account').expect(303)
      expect(after.headers.location).to.equal('/sign-in?next=%2Faccount')
      expect(await auditActions(t, LINK_WORKER)).to.include.members(['sign-in.success', 'sign-out'])
    })

    it('refuses a sign-out without a valid CSRF token and leaves the session alone', async () => {
      const agent = await signIn(t.app, LINK_WORKER)
      await agent.post('/sign-out').type('form').send({ _csrf: 'forged' }).expect(403)
      await agent.get('/account').expect(200)
    })
  })

  describe('POST /account/sign-out-everywhere', () => {
    it('ends every session of the user, on every device', async () => {
      const laptop = await signIn(t.app, 'commissioner@demo.loopwell.test')
      const phone = await signIn(t.app, 'commissioner@demo.loopwell.test')
      const _csrf = await csrfTokenFrom(laptop, '/account')
      await laptop.post('/account/sign-out-everywhere').type('form').send({ _csrf }).expect(303)
      await phone.get('/account').expect(303)
      await laptop.get('/account').expect(303)
      expect(await auditActions(t, 'commissioner@demo.loopwell.test')).to.include('sign-out.everywhere')
    })
  })
})
