/// <reference lib="dom" />
// The loop as people use it, in Chromium at 1280 and 360 px with axe on every page, moving only by clicking links and
// buttons after sign-in (the person's feedback link is opened as they would from their text message): each role lands
// on its own start page; the link worker finds a service and refers; the VCO acknowledges, accepts, records contact
// and attendance; a mistaken "did not engage" is confirmed, then reopened; the VCO completes (with confirmation) and
// records SWEMWBS; the person answers the feedback link; the GP finds the outcome from their menu.
import { expect } from 'chai'
import type { Page } from 'playwright-core'
import { DEMO_PEOPLE, DEMO_REFERRALS } from '../../server/services/demo-referrals'
import { clickTo, expectAccessible, fillReferralForm, menu, signIn, useDemoBrowserWithMail } from '../helpers/browser'
import { demoActor } from '../helpers/referrals'

const LINK_WORKER = 'link.worker@demo.loopwell.test'
const VCO_MEMBER = 'vco.member@demo.loopwell.test'
const GP = 'gp@demo.loopwell.test'
const ITEMS = ['optimistic', 'useful', 'relaxed', 'problems', 'clearly', 'close', 'mind']

describe('Journeys: the loop as people use it', () => {
  const b = useDemoBrowserWithMail('browser_journeys')
  const { smtp } = b

  for (const width of [1280, 360]) {
    describe(`at ${width} px`, () => {
      async function fresh(): Promise<Page> {
        const context = await b.newContext({ viewport: { width, height: width === 360 ? 740 : 900 } })
        return context.newPage()
      }

      const click = clickTo
      async function signedIn(email: string, start: RegExp): Promise<Page> {
        const page = await fresh()
        await signIn(page, b.baseUrl, email, { from: 'home' })
        expect(new URL(page.url()).pathname, `${email} starts at`).to.match(start)
        return page
      }

      const status = (page: Page) => page.textContent('#referral-status')

      it('refers, responds, closes by mistake and reopens, completes with the outcome and SWEMWBS, hears from the person, and the GP sees it', async function () {
        this.timeout(480_000)
        const serviceName = (await b.services.referrals.get(demoActor('link-worker'), DEMO_REFERRALS.new, null))
          .referral.serviceName

        // The link worker starts at their worklist, finds the service and refers Priya.
        const worker = await signedIn(LINK_WORKER, /^\/worklist$/)
        expect(await worker.textContent('h1')).to.equal('Your worklist')
        await menu(worker, 'Find support')
        await worker.fill('#q', serviceName)
        await click(worker, 'button:has-text("Search")')
        await click(worker, `a:has-text("${serviceName}")`)
        await click(worker, 'a:has-text("Refer someone to this service")')
        await worker.selectOption('#personId', DEMO_PEOPLE.priya)
        await fillReferralForm(worker, {
          note: 'Would like a group on weekday afternoons.',
          contact: '#contactPreference-email',
          gpFeedback: true,
        })
        await click(worker, 'button:has-text("Send referral")')
        const referralPath = new URL(worker.url()).pathname
        expect(await status(worker)).to.equal('New')

        // The VCO starts at the inbox and takes it through each step.
        const vco = await signedIn(VCO_MEMBER, /^\/referrals\/inbox$/)
        await click(vco, `a[href="${referralPath}"]`)
        for (const [button, shown] of [
          ['Acknowledge', 'Acknowledged'],
          ['Accept', 'Accepted'],
          ['Record first contact', 'In contact'],
          ['Mark as attending', 'Attending'],
        ] as const) {
          await click(vco, `button:has-text("${button}")`)
          expect(await status(vco)).to.equal(shown)
        }
        await vco.check('#attended')
        await click(vco, 'button:has-text("Record session")')

        // "Did not engage" by mistake: a confirmation with a reason, then reopened from the referral page.
        await click(vco, '#closing-actions a:has-text("Did not engage")')
        await click(vco, 'button:has-text("Yes, close it: did not engage")')
        expect(await vco.textContent('.nhsuk-error-summary')).to.contain('Choose a reason for closing it')
        await vco.check('#reason')
        await click(vco, 'button:has-text("Yes, close it: did not engage")')
        expect(await vco.textContent('#closed-banner')).to.contain('Referral closed: did not engage.')
        await click(vco, '.nhsuk-back-link__link')
        expect(await status(vco)).to.equal('Did not engage')
        await vco.click('#reopen summary')
        await vco.fill('#text', 'Pressed the wrong button: she came on Tuesday')
        await click(vco, 'button:has-text("Reopen referral")')
        expect(await status(vco)).to.equal('Attending')
        const history = (await vco.textContent('#history')) ?? ''
        expect(history).to.contain('Attending → Did not engage')
        expect(history).to.contain('Reopened: Did not engage → Attending')

        // Completed, with a confirmation; the page then leads to the outcome, where the VCO records SWEMWBS.
        await click(vco, '#closing-actions a:has-text("Complete")')
        await vco.check('#reason')
        await click(vco, 'button:has-text("Yes, complete the referral")')
        expect(await vco.textContent('#closed-banner')).to.contain('Referral completed.')
        await vco.click('summary:has-text("Record SWEMWBS")')
        await vco.check('#swemwbs-timing')
        for (const item of ITEMS) await vco.check(`input[name="swemwbs-${item}"][value="2"]`)
        await click(vco, 'button:has-text("Save SWEMWBS")')
        expect(await vco.textContent('main')).to.contain('15.32')

        // The link worker: the follow-up is not due yet; the referral page leads to the outcome and a feedback link.
        await menu(worker, 'Referrals')
        await click(worker, `a[href="${referralPath}"]`)
        expect(await status(worker)).to.equal('Completed')
        await click(worker, '#outcome ~ a.nhsuk-button')
        await worker.selectOption('#measure', 'swemwbs')
        await click(worker, 'button:has-text("Make a feedback link")')
        const url = /https?:\/\/[^\s<"]+\/feedback\/[A-Za-z0-9_-]+/.exec(
          (await worker.textContent('#sms-text')) ?? '',
        )?.[0]
        expect(url, 'a feedback link to copy into a text message').to.be.a('string')

        // The person answers from the link in their text message, with no account.
        const person = await fresh()
        await person.goto(b.baseUrl + new URL(url!).pathname)
        await expectAccessible(person)
        await person.check('input[name="went"][value="yes"]')
        await person.check('input[name="helped"][value="a_lot"]')
        await person.fill('#anythingElse', 'Help with a lift to the group')
        for (const item of ITEMS) await person.check(`input[name="swemwbs-${item}"][value="4"]`)
        await click(person, 'button:has-text("Send")')
        expect(await person.textContent('h1')).to.equal('Thank you')

        // Asking for more help reaches the link worker: an email without the words, and the worklist.
        const helpMail = () =>
          smtp.to(LINK_WORKER).find((m) => m.subject === 'Someone you referred asked for more help')
        for (let i = 0; i < 250 && !helpMail(); i++) await new Promise((r) => setTimeout(r, 20))
        const help = helpMail()!
        expect(help, 'an email to the referrer').to.not.equal(undefined)
        expect(help.text).not.to.contain('lift')
        await menu(worker, 'Worklist')
        const asked = worker.locator('#worklist-asked-for-help + ul li', { hasText: 'Priya' }).first()
        await Promise.all([worker.waitForEvent('load'), asked.locator('a:has-text("Get in touch")').click()])
        await expectAccessible(worker)
        expect(await worker.textContent('main')).to.contain('Help with a lift to the group')

        // The GP starts at the practice's referrals, finds Priya from the menu, and sees the outcome.
        const gp = await signedIn(GP, /^\/practice\/referrals$/)
        await menu(gp, 'Practice referrals')
        const row = gp.locator('tr', { hasText: serviceName }).filter({ hasText: 'Priya' }).first()
        expect(await row.textContent()).to.contain('Completed')
        // NHS number and date of birth columns, labelled on a phone by the responsive table.
        expect(await row.textContent()).to.contain('NHS number')
        expect(await row.textContent()).to.match(/Date of birth \d{1,2} [A-Z][a-z]+ \d{4}/)
        await Promise.all([gp.waitForEvent('load'), row.locator('a').first().click()])
        await expectAccessible(gp)
        const summary = (await gp.textContent('main')) ?? ''
        expect(summary).to.contain('Completed')
        expect(summary).to.contain('25.03')
      })
    })
  }
})
