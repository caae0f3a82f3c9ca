// Closing a referral deliberately, over HTTP on a real database with a real SMTP server: a confirmation page with a
// reason from the action's list, nothing closed without one, a mistaken close reopened by the side that made it
// (both events kept), and the GP practice told only once the close stands.
import * as cheerio from 'cheerio'
import { expect } from 'chai'
import { DEMO_REFERRALS } from '../../../../server/services/demo-referrals'
import { useDemoAppWithMail } from '../../../helpers/app'
import { useSignedIn, type Agent } from '../../../helpers/accounts'
import { demoActor } from '../../../helpers/referrals'

const LINK_WORKER = 'link.worker@demo.loopwell.test'
const VCO_MEMBER = 'vco.member@demo.loopwell.test'
const GP = 'gp@demo.loopwell.test'
const HOUR = 3_600_000

describe('Closing a referral deliberately over HTTP', () => {
  const t = useDemoAppWithMail('journeys_closing')
  const { smtp } = t
  const lw = useSignedIn(t, LINK_WORKER)
  const vco = useSignedIn(t, VCO_MEMBER)

  const load = async (agent: Agent, path: string, status = 200) => {
    const res = await agent.get(path).expect(status)
    return cheerio.load(res.text)
  }
  const status = async (id: string) => (await t.services.referrals.get(demoActor('vco-member'), id, null)).referral
  /** Sends a referral page's action form: `fields` carry the page's CSRF token and the version it showed. */
  const post = (agent: Agent, id: string, fields: Record<string, string>) =>
    agent.post(`/referrals/${id}`).type('form').send(fields)
  /** Closes referral `id` as the VCO member from its confirmation page, with the reason chosen there. */
  const close = async (id: string, action: string, reason: string) => {
    const confirm = await load(vco, `/referrals/${id}/close/${action}`)
    const _csrf = String(confirm('input[name="_csrf"]').val())
    return post(vco, id, { _csrf, version: String(confirm('input[name="version"]').val()), action, reason })
  }

  it('offers closing actions as links to a confirmation page, never as one-click buttons', async () => {
    const id = DEMO_REFERRALS.attending
    const $ = await load(vco, `/referrals/${id}`)
    for (const value of ['complete', 'did-not-engage', 'decline', 'withdraw'])
      expect($(`button[value="${value}"]`).length, value).to.equal(0)
    expect($(`a[href="/referrals/${id}/close/complete"]`).text()).to.equal('Complete')
    expect($(`a[href="/referrals/${id}/close/did-not-engage"]`).text()).to.equal('Did not engage')
    const confirm = await load(vco, `/referrals/${id}/close/complete`)
    expect(confirm('h1').text()).to.equal('Complete this referral')
    expect(confirm('input[name="reason"]').length).to.equal(5)
    expect(confirm('input[name="reason"][value="other"]').length).to.equal(1)
    // An action this side may not take at this status is not offered.
    await load(lw, `/referrals/${id}/close/complete`, 409)
    await load(vco, `/referrals/${id}/close/nonsense`, 404)
  })

  it('needs a reason (400, error summary, nothing changes) and words for "Other"', async () => {
    const id = DEMO_REFERRALS.attending
    const confirm = await load(vco, `/referrals/${id}/close/complete`)
    const _csrf = String(confirm('input[name="_csrf"]').val())
    const version = String(confirm('input[name="version"]').val())
    const none = await post(vco, id, { _csrf, version, action: 'complete' })
    expect(none.status).to.equal(400)
    const $ = cheerio.load(none.text)
    expect($('.nhsuk-error-summary a').attr('href')).to.equal('#reason')
    expect($('.nhsuk-error-summary').text()).to.contain('Choose a reason for completing it')
    const other = await post(vco, id, { _csrf, version, action: 'complete', reason: 'other' })
    expect(other.status).to.equal(400)
    expect(cheerio.load(other.text)('.nhsuk-error-summary a').attr('href')).to.equal('#text')
    // A reason from another action's list is refused too.
    const wrong = await post(vco, id, { _csrf, version, action: 'complete', reason: 'no_capacity' })
    expect(wrong.status).to.equal(400)
    expect((await status(id)).status).to.equal('attending')
  })

  it('reopens a mistaken "did not engage" by the same side, keeps both events, and tells the GP only once the close stands', async () => {
    const id = DEMO_REFERRALS.attending
    smtp.clear()
    const closed = await close(id, 'did-not-engage', 'stopped_coming')
    expect(closed.status).to.equal(303)
    expect(closed.headers.location).to.equal(`/referrals/${id}/outcome?closed=did-not-engage`)
    expect((await status(id)).status).to.equal('did_not_engage')
    // Inside the window the practice hears nothing.
    await t.services.referrals.runClockSweep(new Date(Date.now() + HOUR))
    expect(smtp.to(GP)).to.have.length(0)

    // The referrer sees no way to reopen the organisation's close; a forged request is refused.
    const lwPage = await load(lw, `/referrals/${id}`)
    expect(lwPage('#reopen').length).to.equal(0)
    const forged = await post(lw, id, {
      _csrf: String(lwPage('input[name="_csrf"]').first().val()),
      version: String((await status(id)).version),
      action: 'reopen',
      text: 'not mine to reopen',
    })
    expect(forged.status).to.equal(409)

    const page = await load(vco, `/referrals/${id}`)
    expect(page('#reopen').text()).to.contain('You can reopen this referral until')
    const form = page('#reopen form')
    const _csrf = String(form.find('input[name="_csrf"]').val())
    const version = String(form.find('input[name="version"]').val())
    const blank = await post(vco, id, { _csrf, version, action: 'reopen', text: '' })
    expect(blank.status).to.equal(400)
    expect(cheerio.load(blank.text)('.nhsuk-error-summary').text()).to.contain('Say why you are reopening it')
    const reopened = await post(vco, id, { _csrf, version, action: 'reopen', text: 'Pressed the wrong button' })
    expect(reopened.status).to.equal(303)
    const after = await status(id)
    expect(after.status).to.equal('attending')
    expect(after.open).to.equal(true)
    expect(after.events.slice(-2).map((e) => [e.action, e.from, e.to])).to.deep.equal([
      ['did-not-engage', 'attending', 'did_not_engage'],
      ['reopen', 'did_not_engage', 'attending'],
    ])
    const history = (await load(lw, `/referrals/${id}`))('#history').text()
    expect(history).to.contain('Attending → Did not engage (Stopped coming)')
    expect(history).to.contain('Reopened: Did not engage → Attending (Pressed the wrong button)')
    // The reopened close never reaches the practice.
    await t.services.referrals.runClockSweep(new Date(Date.now() + 100 * HOUR))
    expect(smtp.to(GP)).to.have.length(0)

    // Completed for real: the practice is told once the window has passed, once.
    expect((await close(id, 'complete', 'goals_met')).status).to.equal(303)
    await t.services.referrals.runClockSweep(new Date(Date.now() + 47 * HOUR))
    expect(smtp.to(GP)).to.have.length(0)
    await t.services.referrals.runClockSweep(new Date(Date.now() + 49 * HOUR))
    await smtp.waitFor(GP)
    await t.services.referrals.runClockSweep(new Date(Date.now() + 50 * HOUR))
    expect(smtp.to(GP)).to.have.length(1)
    // Past the window, reopening is no longer offered.
    const done = await status(id)
    expect(t.services.referrals.reopenableUntil(done, 'vco')).to.be.instanceOf(Date)
    expect(t.services.referrals.reopenableUntil(done, 'vco', new Date(Date.now() + 49 * HOUR))).to.equal(null)
  })
})
