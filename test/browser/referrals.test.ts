/// <reference lib="dom" />
// The "done when", in Chromium with axe on every page: a link worker finds a service and refers a demo person
// with consent; the VCO member sees it, acknowledges, accepts, records first contact and attendance, and the link
// worker sees each step; a decline with a reason reaches the referrer; an unanswered referral becomes overdue when the
// clock job runs with the clock advanced, and the emails go to the VCO and then the referrer.
import { expect } from 'chai'
import type { Page } from 'playwright-core'
import { DEMO_PEOPLE, DEMO_REFERRALS } from '../../server/services/demo-referrals'
import { expectAccessible, fillReferralForm, signIn, useDemoBrowserWithMail } from '../helpers/browser'
import { demoActor } from '../helpers/referrals'

const LINK_WORKER = 'link.worker@demo.loopwell.test'
const VCO_MEMBER = 'vco.member@demo.loopwell.test'
const DAY = 86_400_000

describe('Referrals in a browser', () => {
  const b = useDemoBrowserWithMail('browser_referrals')
  const { smtp } = b

  async function signedIn(email: string): Promise<Page> {
    const context = await b.newContext()
    const page = await context.newPage()
    await signIn(page, b.baseUrl, email, { axe: false })
    return page
  }

  async function go(page: Page, path: string) {
    const res = await page.goto(b.baseUrl + path)
    expect(res?.status(), path).to.equal(200)
    await expectAccessible(page)
  }

  async function act(page: Page, button: string) {
    await page.click(`button:has-text("${button}")`)
    await page.waitForURL(/\?done=/)
    await expectAccessible(page)
  }

  it('refers a demo person with consent; the VCO acknowledges, accepts, records contact and attendance; the link worker sees each step', async function () {
    this.timeout(180_000)
    const serviceName = (await b.services.referrals.get(demoActor('link-worker'), DEMO_REFERRALS.new, null)).referral
      .serviceName
    const worker = await signedIn(LINK_WORKER)

    await go(worker, `/services?q=${encodeURIComponent(serviceName)}`)
    await worker.click(`a:has-text("${serviceName}")`)
    await expectAccessible(worker)
    await worker.click('a:has-text("Refer someone to this service")')
    await expectAccessible(worker)

    // Sending without consent or a note shows the error summary and keeps the choices.
    await worker.selectOption('#personId', DEMO_PEOPLE.priya)
    await worker.click('button:has-text("Send referral")')
    expect(await worker.textContent('.nhsuk-error-summary')).to.contain('Choose at least one need')
    await expectAccessible(worker)

    await fillReferralForm(worker, {
      note: 'Would like a group on weekday afternoons.',
      contact: '#contactPreference-email',
      gpFeedback: true,
    })
    await worker.check('#supportToAttend-first_visit_together')
    await worker.click('button:has-text("Send referral")')
    await worker.waitForURL(/\/referrals\/[0-9a-f-]{36}\?sent=1$/)
    await expectAccessible(worker)
    const referralPath = new URL(worker.url()).pathname
    expect(await worker.textContent('#referral-status')).to.equal('New')

    const mail = await smtp.waitFor(VCO_MEMBER)
    expect(mail.subject).to.equal('New referral')
    expect(mail.text).to.not.contain('Priya')

    const vco = await signedIn(VCO_MEMBER)
    await vco.click('a:has-text("Referrals inbox")')
    await expectAccessible(vco)
    await vco.click(`a[href="${referralPath}"]`)
    await expectAccessible(vco)
    expect(await vco.textContent('main')).to.contain('priya@example.org')

    const steps: [string, string][] = [
      ['Acknowledge', 'Acknowledged'],
      ['Accept', 'Accepted'],
      ['Record first contact', 'In contact'],
      ['Mark as attending', 'Attending'],
    ]
    for (const [button, status] of steps) {
      await act(vco, button)
      expect(await vco.textContent('#referral-status')).to.equal(status)
      await go(worker, referralPath)
      expect(await worker.textContent('#referral-status'), `referrer sees ${status}`).to.equal(status)
    }
    expect(await worker.textContent('#history')).to.contain('Accepted → In contact')

    // On a 360px-wide phone the page does not scroll sideways.
    await worker.setViewportSize({ width: 360, height: 740 })
    await go(worker, referralPath)
    const overflow = await worker.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).to.be.at.most(0)
  })

  it('carries a decline with its reason to the referrer', async function () {
    this.timeout(120_000)
    smtp.clear()
    const vco = await signedIn(VCO_MEMBER)
    await go(vco, `/referrals/${DEMO_REFERRALS.acknowledged}`)
    await vco.click('a:has-text("Decline this referral")')
    await expectAccessible(vco)
    await vco.click('button:has-text("Yes, decline the referral")')
    expect(await vco.textContent('.nhsuk-error-summary')).to.contain('Choose a reason for declining')
    await expectAccessible(vco)
    await vco.check('#reason') // the first reason: no capacity
    await vco.click('button:has-text("Yes, decline the referral")')
    await vco.waitForURL(/\?closed=decline$/)
    await expectAccessible(vco)

    const mail = await smtp.waitFor(LINK_WORKER)
    expect(mail.subject).to.equal('Referral update: Declined')
    const worker = await signedIn(LINK_WORKER)
    await worker.click('a:has-text("Referrals")')
    await expectAccessible(worker)
    await go(worker, `/referrals/${DEMO_REFERRALS.acknowledged}`)
    expect(await worker.textContent('#referral-status')).to.equal('Declined')
    expect(await worker.textContent('#decline-reason')).to.equal('No capacity')
  })

  it('flags an unanswered referral as overdue on both sides when the clock job runs with the clock advanced, and emails the VCO then the referrer', async function () {
    this.timeout(120_000)
    const worker = await signedIn(LINK_WORKER)
    await go(
      worker,
      `/services/${(await b.services.referrals.get(demoActor('link-worker'), DEMO_REFERRALS.new, null)).referral.serviceId}/refer`,
    )
    await worker.selectOption('#personId', DEMO_PEOPLE.tunde)
    await fillReferralForm(worker, { note: 'Prefers mornings.', contact: '#contactPreference-text' })
    await worker.click('button:has-text("Send referral")')
    await worker.waitForURL(/\?sent=1$/)
    const referralPath = new URL(worker.url()).pathname
    const id = referralPath.split('/').pop()!
    expect(await worker.textContent('main')).to.not.contain('Overdue')

    smtp.clear()
    const now = Date.now()
    await b.services.referrals.runClockSweep(new Date(now + 3 * DAY))
    const toVco = await smtp.waitFor(VCO_MEMBER)
    expect(smtp.to(VCO_MEMBER).some((m) => m.text.includes(id))).to.equal(true)
    expect(toVco.subject).to.match(/^Overdue referral/)
    expect(smtp.to(LINK_WORKER).filter((m) => m.text.includes(id))).to.deep.equal([])
    await b.services.referrals.runClockSweep(new Date(now + 4 * DAY + 60_000))
    await smtp.waitFor(LINK_WORKER)
    expect(
      smtp
        .to(LINK_WORKER)
        .some((m) => m.text.includes(id) && m.subject === 'Overdue referral: not acknowledged in time'),
    ).to.equal(true)

    await go(worker, referralPath)
    expect(await worker.textContent('main')).to.contain('Overdue: Not acknowledged in time')
    const vco = await signedIn(VCO_MEMBER)
    await go(vco, '/referrals/inbox?tab=new')
    const card = vco.locator('li.nhsuk-card', { has: vco.locator(`a[href="${referralPath}"]`) })
    expect(await card.textContent()).to.contain('Overdue: Not acknowledged in time')
  })

  it('lets a link worker add a person and see their caseload, with accessible pages', async function () {
    this.timeout(120_000)
    const worker = await signedIn(LINK_WORKER)
    await worker.click('a:has-text("Caseload")')
    await expectAccessible(worker)
    await worker.click('a:has-text("Add a person")')
    await expectAccessible(worker)
    await worker.click('button:has-text("Add person")')
    expect(await worker.textContent('.nhsuk-error-summary')).to.contain('Enter their first name')
    await expectAccessible(worker)
    await worker.fill('#givenName', 'Rosa')
    await worker.fill('#familyName', 'Example')
    await worker.fill('#dateOfBirth', '2')
    await worker.fill('#dobMonth', '11')
    await worker.fill('#dobYear', '1949')
    await worker.fill('#nhsNumber', '401 023 2137')
    await worker.check('#contactPreference')
    await worker.fill('#phone', '07700 900555')
    await worker.click('button:has-text("Add person")')
    await worker.waitForURL(/\/people\/[0-9a-f-]{36}$/)
    await expectAccessible(worker)
    expect(await worker.textContent('h1')).to.equal('Rosa Example')
    expect(await worker.textContent('main')).to.contain('401 023 2137')
  })
})
