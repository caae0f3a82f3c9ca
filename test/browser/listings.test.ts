/// <reference lib="dom" />
import { expect } from 'chai'
import type { Page } from 'playwright-core'
import { DEMO_PASSWORD, DEMO_VCO } from '../../server/services/demo-accounts'
import { addMonths } from '../../server/services/listing-freshness.service'
import { expectAccessible, signIn, useBrowser } from '../helpers/browser'
import { linkIn, useSmtpServer } from '../helpers/smtp'

const LUNCH = '2097ea16-d796-54d2-8f38-718a3129255b' // Hendon Community Lunch, Age Well Barnet
const MEMBER = 'vco.member@demo.loopwell.test'
const PUBLIC_URL = 'http://loopwell.test'

describe('Keeping listings true, in a browser', () => {
  const smtp = useSmtpServer()
  const b = useBrowser('browser_listings', () => ({ DEMO: 'true', SMTP_URL: smtp.url, PUBLIC_URL }))

  const signInAs = (page: Page, email: string) => signIn(page, b.baseUrl, email)

  it('a VCO member changes capacity (live at once) and edits a description (waits for review); a curator approves it', async function () {
    this.timeout(120_000)
    const page = b.page
    await signInAs(page, MEMBER)
    await page.click('a:has-text("Listings of Age Well Barnet")')
    await page.waitForURL(new RegExp(`/organisations/${DEMO_VCO.id}/listings$`))
    await expectAccessible(page)
    await page.click('a:has-text("Hendon Community Lunch")')
    await page.waitForURL(new RegExp(`/listings/${LUNCH}$`))
    await expectAccessible(page)

    // Capacity: live at once.
    await page.check('input[name="capacity"][value="waitlist"]')
    await page.fill('#capacity_note', 'Waiting list about four weeks')
    await page.click('button:has-text("Update capacity")')
    await page.waitForURL(/done=capacity/)
    expect(await page.textContent('[role="status"]')).to.contain('Capacity updated')
    await expectAccessible(page)
    await b.visit(`/services/${LUNCH}`)
    expect(await page.textContent('main')).to.contain('Waiting list about four weeks')

    // Description: waits for review; an invalid try first keeps what was typed.
    await b.visit(`/listings/${LUNCH}/edit`)
    await page.fill('#description', 'Too short')
    await page.click('button:has-text("Send for review")')
    expect(await page.textContent('.nhsuk-error-summary')).to.contain('Description must be 20 characters or more')
    expect(await page.inputValue('#description')).to.equal('Too short')
    await expectAccessible(page)
    const description = 'Hot lunch, pudding and good company every week, with a lift home for anyone who needs one.'
    await page.fill('#description', description)
    await page.click('button:has-text("Send for review")')
    await page.waitForURL(/done=submitted/)
    await expectAccessible(page)
    await b.visit(`/services/${LUNCH}`)
    expect(await page.textContent('main')).to.not.contain(description)

    // The curator sees the difference and approves; the public page changes.
    const curator = await (await b.newContext()).newPage()
    const visit = async (path: string) => {
      await curator.goto(b.baseUrl + path)
      await expectAccessible(curator)
    }
    await visit('/sign-in')
    await curator.fill('#email', 'admin@demo.loopwell.test')
    await curator.fill('#password', DEMO_PASSWORD)
    await curator.click('button:has-text("Sign in")')
    await curator.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
    await curator.click('a:has-text("Listings to review")')
    await curator.waitForURL(/\/admin\/listings\/review$/)
    await expectAccessible(curator)
    await curator.click('a:has-text("Hendon Community Lunch")')
    await expectAccessible(curator)
    const row = curator.locator('tbody tr', { hasText: 'Description' })
    expect(await row.locator('ins').textContent()).to.equal(description)
    await curator.click('button:has-text("Approve")')
    await curator.waitForURL(/done=approved/)
    await expectAccessible(curator)
    await b.visit(`/services/${LUNCH}`)
    expect(await page.textContent('main')).to.contain(description)
  })

  it('a reminder email’s "still accurate" link updates the checked date exactly once; the second time says it was used', async function () {
    this.timeout(120_000)
    smtp.clear()
    // Seven months on, every listing is due for review.
    await b.services.freshness.runReminders(addMonths(new Date(), 7))
    const mail = smtp.to(MEMBER).find((m) => m.subject === 'Is your listing for Hendon Community Lunch still right?')
    expect(mail, 'a reminder for Hendon Community Lunch').to.not.equal(undefined)
    const link = linkIn(mail!, `${PUBLIC_URL}/listing-check/`).slice(PUBLIC_URL.length)
    const before = (await b.services.directory.getService(LUNCH)).service.assured_date

    const page = await b.visit(link)
    await page.click('button:has-text("Send answer")')
    await page.waitForSelector('h1:has-text("Thank you")')
    await expectAccessible(page)
    const after = (await b.services.directory.getService(LUNCH)).service.assured_date!
    expect(after.getTime()).to.be.greaterThan(before?.getTime() ?? 0)

    await b.visit(link)
    expect(await page.textContent('h1')).to.equal('This link has already been used')
    expect(await page.locator('button:has-text("Send answer")').count()).to.equal(0)
    const again = (await b.services.directory.getService(LUNCH)).service.assured_date!
    expect(again.getTime()).to.equal(after.getTime())
  })

  it('shows stale listings as not recently checked in search, on a 360px-wide phone', async () => {
    const context = await b.newContext({ viewport: { width: 360, height: 740 } })
    const phone = await context.newPage()
    await phone.goto(`${b.baseUrl}/services?q=friendship+club`)
    await expectAccessible(phone)
    const stale = phone.locator('li', { hasText: 'Not recently checked' })
    expect(await stale.count()).to.be.greaterThan(0)
    const width = await phone.evaluate(() => document.documentElement.scrollWidth)
    expect(width).to.be.at.most(360)
    await context.close()
  })

  it('lets anyone report a problem from the public page without an account', async () => {
    const page = await b.visit(`/services/${LUNCH}`)
    await page.click('a:has-text("Report a problem with this listing")')
    await expectAccessible(page)
    await page.click('button:has-text("Send report")')
    expect(await page.textContent('.nhsuk-error-summary')).to.contain('Choose what is wrong')
    await expectAccessible(page)
    await page.check('input[name="kind"][value="closed"]')
    await page.fill('#details', 'The hall was locked last Thursday and there was a sign saying it had stopped.')
    await page.click('button:has-text("Send report")')
    expect(await page.textContent('h1')).to.equal('Thank you for telling us')
    await expectAccessible(page)
  })
})
