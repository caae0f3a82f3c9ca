/// <reference lib="dom" />
// Each role's own work, in Chromium at 1280 and 360 px with axe on every page, starting at the home page's "Sign in"
// and moving only by clicking links and buttons: the commissioner reads reports; the admin switches a leaver's
// account off and on and searches the audit log by typed dates; a VCO manager does the same for a colleague; the link
// worker finds someone on the caseload, corrects their details and takes them off the caseload and back.
import { expect } from 'chai'
import type { BrowserContext, Page } from 'playwright-core'
import { londonDay } from '../../server/services/dates'
import { clickTo, expectAccessible, menu, signIn, useBrowser } from '../helpers/browser'

const COMMISSIONER = 'commissioner@demo.loopwell.test'
const ADMIN = 'admin@demo.loopwell.test'
const VCO_MANAGER = 'vco.manager@demo.loopwell.test'
const LINK_WORKER = 'link.worker@demo.loopwell.test'

describe("Journeys: each role's own work", () => {
  const b = useBrowser('browser_roles', { DEMO: 'true', PUBLIC_URL: 'http://loopwell.test' })
  const contexts: BrowserContext[] = []
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()))
  })

  for (const width of [1280, 360]) {
    describe(`at ${width} px`, () => {
      async function signedIn(email: string, start: RegExp): Promise<Page> {
        const context = await b.newContext({ viewport: { width, height: width === 360 ? 740 : 900 } })
        contexts.push(context)
        const page = await context.newPage()
        await signIn(page, b.baseUrl, email, { from: 'home' })
        expect(new URL(page.url()).pathname, `${email} starts at`).to.match(start)
        return page
      }
      const text = async (page: Page, selector = 'main') => (await page.textContent(selector)) ?? ''

      it('a commissioner starts at the reports, reads two, changes the period, and signs out', async function () {
        this.timeout(240_000)
        const page = await signedIn(COMMISSIONER, /^\/reports$/)
        expect(await text(page, 'h1')).to.equal('Reports')
        await clickTo(page, 'main a:has-text("Activity")')
        expect(await text(page)).to.contain('Figures as of')
        expect(await text(page)).to.match(/made from \d{1,2} [A-Z][a-z]+ \d{4} to \d{1,2} [A-Z][a-z]+ \d{4}/)
        await clickTo(page, 'button:has-text("Show figures")')
        await menu(page, 'Reports')
        await clickTo(page, 'main a:has-text("Equity")')
        expect(await text(page, 'h1')).to.contain('Equity')
        await clickTo(page, 'button:has-text("Sign out")')
        expect(await page.locator('.nhsuk-header a:has-text("Sign in")').count()).to.equal(1)
      })

      it('an admin deactivates a leaver after confirming, reactivates them, and finds both in the audit log by date', async function () {
        this.timeout(240_000)
        const page = await signedIn(ADMIN, /^\/admin\/listings\/review$/)
        await menu(page, 'Users')
        await clickTo(page, 'main a:has-text("Vic Member")')
        await clickTo(page, 'a:has-text("Deactivate")')
        expect(await text(page, 'h1')).to.equal("Deactivate Vic Member's account?")
        await clickTo(page, 'button:has-text("Deactivate account")')
        expect(await text(page, '.nhsuk-inset-text')).to.contain('Account deactivated. They have been signed out.')
        expect(await text(page, '.nhsuk-summary-list')).to.contain('Deactivated')
        await clickTo(page, 'a:has-text("Reactivate")')
        await clickTo(page, 'button:has-text("Reactivate account")')
        expect(await text(page, '.nhsuk-inset-text')).to.contain('Account reactivated. They can sign in again.')

        await menu(page, 'Audit log')
        const [year, month, day] = londonDay(new Date()).split('-')
        for (const name of ['from', 'to']) {
          await page.fill(`#${name}`, String(Number(day)))
          await page.fill(`#${name}-month`, String(Number(month)))
          await page.fill(`#${name}-year`, year!)
        }
        await page.selectOption('#action', 'account.deactivated')
        await clickTo(page, 'button:has-text("Search")')
        expect(await page.locator('tbody tr').count()).to.be.greaterThan(0)
        expect(await text(page, 'tbody')).to.contain('account.deactivated')
        // A date that does not exist is explained, not a 500.
        await page.fill('#from', '31')
        await page.fill('#from-month', '2')
        await clickTo(page, 'button:has-text("Search")')
        expect(await text(page, '.nhsuk-error-summary')).to.contain('Start date must be a real date')
      })

      it("a VCO manager switches a colleague's account off and on from the colleagues page", async function () {
        this.timeout(240_000)
        const page = await signedIn(VCO_MANAGER, /^\/referrals\/inbox$/)
        await menu(page, 'Colleagues at Age Well Barnet')
        const row = page.locator('tr', { hasText: 'Vic Member' })
        await Promise.all([page.waitForEvent('load'), row.locator('a:has-text("Deactivate")').click()])
        await expectAccessible(page)
        await clickTo(page, 'button:has-text("Deactivate account")')
        expect(await text(page, '.nhsuk-inset-text')).to.contain('Account deactivated')
        expect(await row.textContent()).to.contain('Deactivated')
        await Promise.all([page.waitForEvent('load'), row.locator('a:has-text("Reactivate")').click()])
        await expectAccessible(page)
        await clickTo(page, 'button:has-text("Reactivate account")')
        expect(await row.textContent()).to.contain('Active')
      })

      it('a link worker finds someone on the caseload, corrects their phone, and takes them off the caseload and back', async function () {
        this.timeout(240_000)
        const page = await signedIn(LINK_WORKER, /^\/worklist$/)
        await menu(page, 'Caseload')
        await page.fill('#name', 'margaret')
        await clickTo(page, 'button:has-text("Search")')
        expect(await text(page, 'h2:has-text("found")')).to.equal('1 person found')
        await clickTo(page, 'main a:has-text("Margaret Demo-Hughes")')
        await clickTo(page, 'a:has-text("Change details")')
        await page.fill('#phone', 'not a phone')
        await clickTo(page, 'button:has-text("Save changes")')
        expect(await text(page, '.nhsuk-error-summary')).to.contain('Enter a UK phone number')
        await page.fill('#phone', '+44 7700 900999')
        await clickTo(page, 'button:has-text("Save changes")')
        expect(await text(page, '.nhsuk-inset-text')).to.contain('Details saved.')
        expect(await text(page)).to.contain('07700 900999')

        await clickTo(page, 'a:has-text("off your caseload")')
        await clickTo(page, 'button:has-text("Take off caseload")')
        expect(await text(page, '.nhsuk-error-summary')).to.contain('Choose why they are leaving the caseload')
        await page.check('#reason')
        await clickTo(page, 'button:has-text("Take off caseload")')
        expect(await text(page, 'h1')).to.contain('Discharged')
        await clickTo(page, 'button:has-text("Put back on the caseload")')
        expect(await text(page, '.nhsuk-inset-text')).to.contain('Back on the caseload.')
        expect(await text(page, 'h1')).not.to.contain('Discharged')
      })
    })
  }
})
