// Where each role starts, and the link worker's worklist over HTTP on a real database: a decline by the organisation
// and a message from it appear on the referring team's worklist, one click from the referral, until marked as dealt
// with; another team never sees them; a closing action leads to the outcome page.
import * as cheerio from 'cheerio'
import { expect } from 'chai'
import request from 'supertest'
import { DEMO_PASSWORD } from '../../../../server/services/demo-accounts'
import { nameUuid } from '../../../../server/domain/ids'
import { DEMO_REFERRALS } from '../../../../server/services/demo-referrals'
import { DEMO_EPISODES } from '../../../../server/services/episodes/demo-episodes'
import { useTestApp } from '../../../helpers/app'
import { useSignedIn, csrfTokenFrom } from '../../../helpers/accounts'
import { demoActor, submitInput } from '../../../helpers/referrals'

const LINK_WORKER = 'link.worker@demo.loopwell.test'
const VCO_MEMBER = 'vco.member@demo.loopwell.test'

describe('Role start pages and the worklist over HTTP', () => {
  const t = useTestApp('journeys_worklist', () => ({ DEMO: 'true', PUBLIC_URL: 'http://loopwell.test' }))
  const lw = useSignedIn(t, LINK_WORKER)
  const vco = useSignedIn(t, VCO_MEMBER)

  it('sends each demo role to its own start page after sign-in', async () => {
    const starts: Record<string, string> = {
      'link.worker@demo.loopwell.test': '/worklist',
      'vco.member@demo.loopwell.test': '/referrals/inbox',
      'gp@demo.loopwell.test': '/practice/referrals',
      'commissioner@demo.loopwell.test': '/reports',
      'admin@demo.loopwell.test': '/admin/listings/review',
    }
    for (const [email, start] of Object.entries(starts)) {
      const agent = request.agent(t.app)
      const _csrf = await csrfTokenFrom(agent, '/sign-in')
      const res = await agent.post('/sign-in').type('form').send({ _csrf, email, password: DEMO_PASSWORD })
      expect(res.status, email).to.equal(303)
      expect(res.headers.location, email).to.equal(start)
    }
  })

  it('shows a sign-in link on public pages and not once signed in', async () => {
    for (const path of ['/', '/services', '/accessibility', '/privacy']) {
      const $ = cheerio.load((await request(t.app).get(path).expect(200)).text)
      expect($('.nhsuk-header a[href="/sign-in"]').text(), path).to.equal('Sign in')
    }
    const $ = cheerio.load((await lw.get('/worklist').expect(200)).text)
    expect($('.nhsuk-header a[href="/sign-in"]').length).to.equal(0)
  })

  it('puts a decline and a message from the organisation on the team worklist until marked as dealt with', async () => {
    const id = DEMO_REFERRALS.acknowledged
    const page = await vco.get(`/referrals/${id}`).expect(200)
    const $ = cheerio.load(page.text)
    const _csrf = String($('input[name="_csrf"]').first().val())
    const version = String($('input[name="version"]').first().val())
    await vco
      .post(`/referrals/${id}/messages`)
      .type('form')
      .send({ _csrf, message: 'We tried to call twice.' })
      .expect(303)
    const declined = await vco
      .post(`/referrals/${id}`)
      .type('form')
      .send({ _csrf, version: String(Number(version) + 1), action: 'decline', reason: 'no_capacity' })
    expect(declined.status).to.equal(303)
    // A closing action leads to the outcome, not an empty referral page.
    expect(declined.headers.location).to.equal(`/referrals/${id}/outcome?closed=decline`)
    const outcome = cheerio.load((await vco.get(declined.headers.location!).expect(200)).text)
    expect(outcome('#closed-banner').text()).to.contain('Referral declined.')

    const list = cheerio.load((await lw.get('/worklist').expect(200)).text)
    expect(list('#worklist-declined').length).to.equal(1)
    expect(list('#worklist-message').length).to.equal(1)
    const links = list(`a[href="/referrals/${id}"]`)
    expect(links.length).to.equal(2)
    expect(links.first().text()).to.contain('Find somewhere else')

    const token = String(list('input[name="_csrf"]').first().val())
    const done = await lw.post(`/worklist/${id}/done`).type('form').send({ _csrf: token }).expect(303)
    const after = cheerio.load((await lw.get(done.headers.location!).expect(200)).text)
    expect(after(`a[href="/referrals/${id}"]`).length).to.equal(0)
    expect(after('.nhsuk-inset-text').text()).to.contain('Marked as dealt with')
  })

  it('shows an open referral whose step is overdue, with the person named, until the step is done', async () => {
    const lwActor = demoActor('link-worker')
    const { referral: sample } = await t.services.referrals.get(lwActor, DEMO_REFERRALS.new, null)
    const { referral } = await t.services.referrals.submit(
      lwActor,
      submitInput(sample.serviceId, { personId: sample.personId, note: 'overdue on the worklist' }),
      null,
    )
    // Its acknowledgement was due a day ago (the clocks moved back, as if submitted earlier).
    await t.connection
      .collection<{ _id: string }>('referrals')
      .updateOne({ _id: referral.id }, { $set: { 'clocks.acknowledgeBy': new Date(Date.now() - 86_400_000) } })
    t.services.reports.referralChanged(referral.id)
    const overdue = async () =>
      (await t.services.worklist.forActor(lwActor, null, 1)).items.filter(
        (i) => i.kind === 'overdue' && i.referralId === referral.id,
      )
    const [item] = await overdue()
    expect(item).to.include({ detail: 'Not acknowledged in time', personName: sample.shared.name })
    const page = cheerio.load((await lw.get('/worklist').expect(200)).text)
    expect(page('#worklist-overdue + ul').text()).to.contain(sample.shared.name)

    await t.services.referrals.act(demoActor('vco-member'), referral.id, { action: 'acknowledge', version: 1 }, null)
    expect(await overdue()).to.deep.equal([])
  })

  it("lists the team's social prescribing tasks due, with the person and the task's words, one click from the episode", async () => {
    const lwActor = demoActor('link-worker')
    const id = DEMO_EPISODES.active
    const today = new Date().toISOString().slice(0, 10)
    const { episode } = await t.services.episodes.get(lwActor, id, null)
    await t.services.episodes.act(
      lwActor,
      id,
      episode.version,
      { type: 'task', text: 'Ring the lunch club', due: today },
      null,
    )
    const page = cheerio.load((await lw.get('/worklist').expect(200)).text)
    const card = page('#worklist-episode-task + ul li').filter((_, li) =>
      page(li).text().includes('Ring the lunch club'),
    )
    expect(card).to.have.length(1)
    expect(card.text()).to.contain(`${episode.person.givenName} ${episode.person.familyName}`)
    expect(card.find('a.nhsuk-button').attr('href')).to.equal(`/episodes/${id}`)
  })

  it('lets nobody outside the referring team clear an item, and refuses a VCO user the worklist', async () => {
    const _csrf = await csrfTokenFrom(vco, '/referrals/inbox')
    await vco.post(`/worklist/${DEMO_REFERRALS.new}/done`).type('form').send({ _csrf }).expect(403)
    await vco.get('/worklist').expect(403)
    const mine = await csrfTokenFrom(lw, '/worklist')
    await lw.post('/worklist/not-an-id/done').type('form').send({ _csrf: mine }).expect(404)
    const stranger = { ...demoActor('link-worker'), memberships: [] }
    expect(await t.services.worklist.clear(stranger, DEMO_REFERRALS.new, null)).to.equal(false)
  })

  it('links the referral page to the outcome, measures and feedback link at every status, for both sides', async () => {
    for (const id of [DEMO_REFERRALS.new, DEMO_REFERRALS.attending, DEMO_REFERRALS.completed]) {
      for (const agent of [lw, vco]) {
        const $ = cheerio.load((await agent.get(`/referrals/${id}`).expect(200)).text)
        expect($(`a[href="/referrals/${id}/outcome"]`).length, id).to.be.greaterThan(0)
        expect($('a[href="#messages"]').length).to.equal(1)
        expect($('a[href="#history"]').length).to.equal(1)
      }
    }
  })
  it('pages the worklist 25 at a time with the NHS.UK pagination, the newest first within a kind', async function () {
    this.timeout(120_000)
    const lwActor = demoActor('link-worker')
    const vcoActor = demoActor('vco-member')
    const { referral: sample } = await t.services.referrals.get(lwActor, DEMO_REFERRALS.new, null)
    // 26 more declines than there were: every one a real referral, declined by the organisation.
    for (let i = 0; i < 26; i++) {
      const { referral } = await t.services.referrals.submit(
        lwActor,
        {
          serviceId: sample.serviceId,
          personId: sample.personId,
          idempotencyKey: nameUuid(`worklist-paging:${i}`),
          consentConfirmed: true,
          consentHow: 'verbal',
          gpFeedback: false,
          needs: sample.needs,
          note: `Paging ${i}`,
          contactPreference: 'phone',
          supportToAttend: 'none',
        },
        null,
      )
      await t.services.referrals.act(
        vcoActor,
        referral.id,
        { action: 'decline', version: referral.version, reason: 'no_capacity' },
        null,
      )
    }
    const first = cheerio.load((await lw.get('/worklist').expect(200)).text)
    const total = Number(/(\d+) things need you/.exec(first('main').text())![1])
    expect(total).to.be.greaterThan(26)
    expect(first('main li.nhsuk-card')).to.have.length(25)
    expect(first('main').text()).to.contain(`Showing 1 to 25 of ${total}`)
    const next = first('a.nhsuk-pagination__link--next')
    expect(next.attr('href')).to.equal('/worklist?page=2')
    const second = cheerio.load((await lw.get(next.attr('href')!).expect(200)).text)
    expect(second('main li.nhsuk-card')).to.have.length(Math.min(25, total - 25))
    expect(second('a.nhsuk-pagination__link--prev').attr('href')).to.equal('/worklist')
    // Declines are the first kind; the newest decline (the last made) leads the first page.
    const firstItem = first('#worklist-declined + ul li').first().find('a.nhsuk-button').attr('href')
    const { items } = await t.services.worklist.forActor(lwActor, null)
    expect(firstItem).to.equal(`/referrals/${items[0]!.referralId}`)
    expect(items[0]!.kind).to.equal('declined')
    await lw.get('/worklist?page=0').expect(400)
  })
})
