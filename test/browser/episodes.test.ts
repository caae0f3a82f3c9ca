/// <reference lib="dom" />
// The social prescribing journey in Chromium, moving only by clicks (after signing in), with axe on every page, at
// 1280 and 360 px: a GP refers a patient; the link worker triages and accepts (the code appears once), records the
// conversation, plan and a contact, makes two VCO referrals and a signposting in the episode, records ONS4 at the
// start and the end, and discharges; the GP opens the message from their menu and downloads the FHIR document, which
// Medplum's validator accepts. A member of the public self-refers and the team sees it in triage.
import fs from 'node:fs'
import { expect } from 'chai'
import type { Page } from 'playwright-core'
import { DEMO_TEAM } from '../../server/services/demo-accounts'
import { DEMO_REFERRALS } from '../../server/services/demo-referrals'
import { expectAccessible, fillReferralForm, signIn, useDemoBrowserWithMail } from '../helpers/browser'
import { validateFhir } from '../helpers/fhir'
import { demoActor } from '../helpers/referrals'

const GP = 'gp@demo.loopwell.test'
const LINK_WORKER = 'link.worker@demo.loopwell.test'
/** A demo listing that does not take referrals: signposting only. */
const SIGNPOST_ONLY = 'b4e337f5-98c2-58b0-b978-258316f5aaf7'

describe('The social prescribing journey in a browser', () => {
  const b = useDemoBrowserWithMail('browser_episodes')

  async function newPage(width: number): Promise<Page> {
    const context = await b.newContext({ viewport: { width, height: width < 500 ? 740 : 900 }, acceptDownloads: true })
    return context.newPage()
  }

  async function checked(page: Page) {
    await page.waitForLoadState('load')
    await expectAccessible(page)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth)
    const width = page.viewportSize()!.width
    expect(overflow, `${page.url()} scrolls sideways at ${width}px`).to.be.at.most(width)
  }

  async function click(page: Page, selector: string) {
    await Promise.all([page.waitForNavigation(), page.click(selector)])
    await checked(page)
  }

  async function signedIn(email: string, width: number): Promise<Page> {
    const page = await newPage(width)
    await signIn(page, b.baseUrl, email, { axe: false })
    await checked(page)
    return page
  }

  /** A menu item; on a narrow screen the header folds items under "More". */
  async function menu(page: Page, text: string) {
    const link = page.locator('.nhsuk-header__navigation-list a', { hasText: text }).first()
    if (!(await link.isVisible())) await page.click('#toggle-menu')
    const target = (await link.isVisible())
      ? link
      : page.locator('.nhsuk-header__drop-down a', { hasText: text }).first()
    await Promise.all([page.waitForNavigation(), target.click()])
    await checked(page)
  }

  const today = () => {
    const d = new Date()
    return { Day: String(d.getUTCDate()), Month: String(d.getUTCMonth() + 1), Year: String(d.getUTCFullYear()) }
  }
  async function fillDate(page: Page, prefix: string) {
    for (const [part, value] of Object.entries(today())) await page.fill(`input[name="${prefix}${part}"]`, value)
  }

  /**
   * Fills in a referral to the demo team's social prescribing (the GP's form and the self-referral are the same form):
   * the person's name, date of birth as day, month and year, one way to reach them, the reason, and their consent.
   */
  async function fillSocialPrescribingReferral(
    page: Page,
    person: {
      given: string
      family: string
      born: [string, string, string]
      contact: [string, string]
      reason: string
    },
  ) {
    await page.selectOption('#teamId', { label: DEMO_TEAM.name })
    await page.fill('#givenName', person.given)
    await page.fill('#familyName', person.family)
    for (const [i, part] of ['dobDay', 'dobMonth', 'dobYear'].entries())
      await page.fill(`input[name="${part}"]`, person.born[i]!)
    await page.fill(...person.contact)
    await page.fill('#reason', person.reason)
    await page.check('#consentToRefer')
  }

  async function referFromDirectory(worker: Page, serviceName: string, person: string, kind: 'refer' | 'signpost') {
    await click(worker, 'a:has-text("Find a service to refer or signpost to")')
    await worker.fill('#q', serviceName)
    await click(worker, 'button:has-text("Search")')
    await click(worker, `a:has-text("${serviceName}")`)
    if (kind === 'refer') {
      await click(worker, 'a:has-text("Refer someone to this service")')
      const value = await worker.locator('#personId option', { hasText: person }).getAttribute('value')
      await worker.selectOption('#personId', value!)
      await fillReferralForm(worker, { note: 'Prefers mornings.', contact: '#contactPreference', gpFeedback: true })
      await click(worker, 'button:has-text("Send referral")')
    } else {
      await click(worker, 'a:has-text("Record a signposting")')
      const value = await worker.locator('#personId option', { hasText: person }).getAttribute('value')
      await worker.selectOption('#personId', value!)
      await worker.check('#needs')
      await click(worker, 'button:has-text("Record signposting")')
    }
  }

  for (const width of [1280, 360]) {
    it(`runs from a GP referral to discharge and the message back, at ${width} px`, async function () {
      this.timeout(600_000)
      const given = width === 1280 ? 'Wendy' : 'Narrow'
      const name = `${given} Journey`
      const [first, second] = await Promise.all(
        [DEMO_REFERRALS.new, DEMO_REFERRALS.attending].map(
          async (id) => (await b.services.referrals.get(demoActor('link-worker'), id, null)).referral.serviceName,
        ),
      )
      const signpostName = (await b.services.directory.getService(SIGNPOST_ONLY)).service.name

      // The GP refers from their menu, with the patient's consent.
      const gp = await signedIn(GP, width)
      await menu(gp, 'Refer to social prescribing')
      await fillSocialPrescribingReferral(gp, {
        given,
        family: 'Journey',
        born: ['4', '3', '1950'],
        contact: ['#phone', '07700 900123'],
        reason: 'Lonely since her husband died',
      })
      await gp.check('#gpFeedbackConsent')
      await click(gp, 'button:has-text("Send referral")')
      expect(await gp.textContent('main'), 'no error summary').not.to.contain('There is a problem')
      expect(await gp.textContent('h1')).to.contain('Referral sent')

      // The link worker triages and accepts: the code appears once.
      const worker = await signedIn(LINK_WORKER, width)
      await menu(worker, 'Social prescribing episodes')
      await click(worker, `a:has-text("${name}")`)
      await click(worker, 'a:has-text("Accept the referral")')
      await worker.check('#acceptConfirm')
      await click(worker, 'button:has-text("Accept")')
      expect(((await worker.textContent('main')) ?? '').match(/871731000000106/g)).to.have.length(1)

      await click(worker, 'a:has-text("Record the first conversation")')
      await fillDate(worker, 'conversation')
      await worker.fill('#conversationNote', 'Met at the surgery')
      await click(worker, 'button:has-text("Save the conversation")')

      await click(worker, 'a:has-text("Agree the plan")')
      await worker.fill('#whatMatters', 'Seeing people again')
      await worker.fill('#goal1', 'Join a lunch club')
      await click(worker, 'button:has-text("Save the plan")')

      await click(worker, 'a:has-text("Record a contact")')
      await fillDate(worker, 'contact')
      await worker.check('#contactMode-home_visit')
      await worker.fill('#contactMinutes', '45')
      await click(worker, 'button:has-text("Save the contact")')
      expect(await worker.textContent('main')).to.contain('Home visit, 45 minutes')

      await click(worker, 'a:has-text("Record ONS4 at the start")')
      for (const item of ['satisfied', 'worthwhile', 'happy', 'anxious'])
        await worker.check(`input[name="ons4-${item}"][value="${item === 'anxious' ? 6 : 3}"]`)
      await click(worker, 'button:has-text("Save the answers")')

      // Two VCO referrals and a signposting, found from the episode, join it.
      const episodePath = new URL(worker.url()).pathname
      await referFromDirectory(worker, first!, name, 'refer')
      await menu(worker, 'Social prescribing episodes')
      await click(worker, `a:has-text("Plan agreed")`)
      await click(worker, `a:has-text("${name}")`)
      expect(new URL(worker.url()).pathname).to.equal(episodePath)
      await referFromDirectory(worker, second!, name, 'refer')
      await menu(worker, 'Social prescribing episodes')
      await click(worker, `a:has-text("Plan agreed")`)
      await click(worker, `a:has-text("${name}")`)
      await referFromDirectory(worker, signpostName, name, 'signpost')
      await menu(worker, 'Social prescribing episodes')
      await click(worker, `a:has-text("Plan agreed")`)
      await click(worker, `a:has-text("${name}")`)
      const connections = (await worker.locator('main').textContent()) ?? ''
      expect(connections.match(/Referred to /g)).to.have.length(2)
      expect(connections).to.contain(`Signposted to ${signpostName}`)

      await click(worker, 'a:has-text("Record ONS4 at the end")')
      for (const item of ['satisfied', 'worthwhile', 'happy', 'anxious'])
        await worker.check(`input[name="ons4-${item}"][value="${item === 'anxious' ? 2 : 8}"]`)
      await click(worker, 'button:has-text("Save the answers")')

      await click(worker, 'a:has-text("Discharge")')
      await worker.check('#dischargeReason')
      await worker.check('#dischargeConfirm')
      await click(worker, 'button:has-text("Discharge")')
      expect(await worker.textContent('main')).to.contain('Discharged')

      // The GP opens the message from their menu and downloads the FHIR document.
      await menu(gp, 'Social prescribing messages')
      await click(gp, `a:has-text("discharge summary"):has-text("${name}")`)
      const letter = (await gp.textContent('main')) ?? ''
      expect(letter).to.contain('Date of birth: 4 March 1950')
      expect(letter).to.contain('SNOMED CT 871731000000106 Referral to social prescribing service')
      expect(letter).to.match(/Life satisfaction: 3 at the start, 8 at the end/)
      expect(letter.match(/Referred to /g)).to.have.length(2)
      const [download] = await Promise.all([
        gp.waitForEvent('download'),
        gp.click('a:has-text("Download the FHIR document (JSON)")'),
      ])
      const bundle = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as Record<string, unknown>
      expect(bundle.type).to.equal('document')
      validateFhir(bundle)

      // A member of the public self-refers; the team sees it in triage.
      const visitor = await newPage(width)
      await visitor.goto(`${b.baseUrl}/`)
      await checked(visitor)
      await click(visitor, 'a:has-text("refer yourself to social prescribing")')
      expect(await visitor.textContent('main')).to.contain('This is not for emergencies')
      await fillSocialPrescribingReferral(visitor, {
        given,
        family: 'Self',
        born: ['1', '1', '1990'],
        contact: ['#email', 'self@example.org'],
        reason: 'Money worries',
      })
      await click(visitor, 'button:has-text("Send referral")')
      expect(await visitor.textContent('main')).to.contain('What happens next')
      await menu(worker, 'Social prescribing episodes')
      expect(await worker.textContent('main')).to.contain(`${given} Self`)
    })
  }
})
