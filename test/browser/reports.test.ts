/// <reference lib="dom" />
// Reports end to end, in Chromium with axe on every page: the commissioner demo login signs in, finds Reports in
// the menu, opens each report with the demo data (charts with their numbers, tables, "Figures as of"), narrows one to
// a primary care network with the filter form, gets an error summary for a bad date, and downloads a table as CSV
// whose figures match the page; on a phone-sized screen the charts fit the width.
import fs from 'node:fs'
import { expect } from 'chai'
import { parse } from 'csv-parse/sync'
import type { Page } from 'playwright-core'
import { expectAccessible, signIn, useBrowser } from '../helpers/browser'

const COMMISSIONER = 'commissioner@demo.loopwell.test'
const REPORTS = ['Activity', 'Timeliness', 'Engagement and benefit', 'Equity']

describe('Reports in a browser', () => {
  const b = useBrowser('browser_reports', { DEMO: 'true', DEMO_REPORT_REFERRALS: '400' })

  const signInCommissioner = (page: Page) => signIn(page, b.baseUrl, COMMISSIONER)

  it('lets a commissioner open each report, filter it and download a table as CSV', async function () {
    this.timeout(180_000)
    const context = await b.newContext({ acceptDownloads: true })
    const page = await context.newPage()
    try {
      await signInCommissioner(page)
      await page.click('.nhsuk-header__navigation-link:has-text("Reports")')
      await page.waitForURL(/\/reports$/)
      await expectAccessible(page)
      for (const title of REPORTS) {
        await page.goto(`${b.baseUrl}/reports`)
        await page.click(`a:has-text("${title}")`)
        await page.waitForSelector('h1')
        expect(await page.textContent('h1')).to.equal(title)
        await expectAccessible(page)
        expect(await page.locator('svg.app-chart[role="img"]').count(), title).to.be.greaterThan(0)
        expect(await page.locator('table.nhsuk-table').count(), title).to.be.greaterThan(1)
        expect(await page.textContent('main')).to.contain('Figures as of')
      }

      // Narrow the equity report to one primary care network with the form.
      await page.goto(`${b.baseUrl}/reports/equity`)
      await page.selectOption('#pcn', { index: 1 })
      await page.click('button:has-text("Show figures")')
      await page.waitForURL(/pcn=/)
      await expectAccessible(page)
      expect(await page.textContent('.nhsuk-inset-text')).to.contain('Primary care network:')

      // A date that does not exist: the error summary, linked to the field.
      await page.goto(`${b.baseUrl}/reports/activity?from=2026-02-30`)
      await expectAccessible(page)
      expect(await page.textContent('.nhsuk-error-summary')).to.contain('Enter a real start date')
      await page.click('.nhsuk-error-summary a')
      expect(await page.evaluate(() => document.activeElement?.id)).to.equal('from')

      // Download the activity report's "by month" table and compare it with the page.
      await page.goto(`${b.baseUrl}/reports/activity`)
      const cells = await page.$$eval('#table-by-month ~ .nhsuk-table-responsive tr', (rows) =>
        rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')),
      )
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('a:has-text("Download “By month” as CSV")'),
      ])
      expect(download.suggestedFilename()).to.match(
        /^loopwell-activity-by-month-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/,
      )
      const text = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '')
      const rows = parse(text, { relax_column_count: true }) as string[][]
      expect(rows.slice(0, cells.length)).to.deep.equal(cells)
      expect(cells.length).to.be.greaterThan(6)
    } finally {
      await context.close()
    }
  })

  it('fits its charts and tables to a phone-sized screen', async function () {
    this.timeout(120_000)
    const context = await b.newContext({ viewport: { width: 360, height: 740 } })
    const page = await context.newPage()
    try {
      await signInCommissioner(page)
      await page.goto(`${b.baseUrl}/reports/outcomes`)
      await expectAccessible(page)
      const widths = await page.$$eval('svg.app-chart', (svgs) => svgs.map((s) => s.getBoundingClientRect().width))
      expect(widths.length).to.be.greaterThan(0)
      for (const w of widths) expect(w).to.be.at.most(360)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth)
      expect(overflow).to.be.at.most(360)
    } finally {
      await context.close()
    }
  })
})
