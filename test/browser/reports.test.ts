/// <reference lib="dom" />
// Reports end to end, in Chromium with axe on every page, moving only by clicking and typing: the commissioner demo
// login signs in, finds Reports in the menu, opens each report with the demo data (charts with their numbers, tables,
// "Figures as of"), narrows one to a primary care network with the filter form, and downloads a table as CSV whose
// figures match the page; at 1280 and 360 px types a period as day, month and year, is shown an error summary for a
// date that does not exist and for an end before the start, follows it to the field, and corrects it; on a
// phone-sized screen the charts fit the width.
import fs from 'node:fs'
import { expect } from 'chai'
import { parse } from 'csv-parse/sync'
import type { Page } from 'playwright-core'
import { clickTo, expectAccessible, menu, signIn, useBrowser } from '../helpers/browser'

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
        await menu(page, 'Reports')
        await clickTo(page, `main a:has-text("${title}")`)
        expect(await page.textContent('h1')).to.equal(title)
        expect(await page.locator('svg.app-chart[role="img"]').count(), title).to.be.greaterThan(0)
        expect(await page.locator('table.nhsuk-table').count(), title).to.be.greaterThan(1)
        expect(await page.textContent('main')).to.contain('Figures as of')
      }

      // Narrow the equity report to one primary care network with the form.
      await menu(page, 'Reports')
      await clickTo(page, 'main a:has-text("Equity")')
      await page.selectOption('#pcn', { index: 1 })
      await clickTo(page, 'button:has-text("Show figures")')
      expect(page.url()).to.match(/pcn=/)
      expect(await page.textContent('.nhsuk-inset-text')).to.contain('Primary care network:')

      // Download the activity report's "by month" table and compare it with the page.
      await menu(page, 'Reports')
      await clickTo(page, 'main a:has-text("Activity")')
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

  for (const width of [1280, 360]) {
    it(`takes a period typed as day, month and year, and explains a date that cannot be, at ${width} px`, async function () {
      this.timeout(180_000)
      const context = await b.newContext({ viewport: { width, height: width === 360 ? 740 : 900 } })
      const page = await context.newPage()
      const type = async (name: string, day: string, month: string, year: string) => {
        await page.fill(`#${name}`, day)
        await page.fill(`#${name}-month`, month)
        await page.fill(`#${name}-year`, year)
      }
      try {
        await signIn(page, b.baseUrl, COMMISSIONER, { from: 'home' })
        await clickTo(page, 'main a:has-text("Activity")')

        // 31 February: the error summary, linked to the day field, and what was typed kept.
        await type('from', '31', '2', '2026')
        await type('to', '30', '11', '2026')
        await clickTo(page, 'button:has-text("Show figures")')
        expect(await page.textContent('.nhsuk-error-summary')).to.contain('Start date must be a real date')
        expect(await page.textContent('#from-error')).to.contain('Start date must be a real date')
        expect(await page.inputValue('#from')).to.equal('31')
        expect(await page.locator('section.app-report-table').count()).to.equal(0)
        await page.click('.nhsuk-error-summary a')
        expect(await page.evaluate(() => document.activeElement?.id)).to.equal('from')

        // An end before the start.
        await type('from', '1', '6', '2026')
        await type('to', '1', '5', '2026')
        await clickTo(page, 'button:has-text("Show figures")')
        expect(await page.textContent('.nhsuk-error-summary')).to.contain(
          'End date must be the same as or after the start date',
        )

        // Corrected: the whole months are counted, and the form shows them.
        await type('from', '15', '1', '2026')
        await type('to', '22', '11', '2026')
        await clickTo(page, 'button:has-text("Show figures")')
        const scope = ((await page.textContent('.nhsuk-inset-text')) ?? '').replace(/\s+/g, ' ')
        expect(scope).to.contain('from 1 January 2026 to 30 November 2026 (inclusive)')
        expect(await page.inputValue('#from')).to.equal('1')
        expect(await page.inputValue('#to')).to.equal('30')
        expect(await page.locator('section.app-report-table').count()).to.be.greaterThan(0)
      } finally {
        await context.close()
      }
    })
  }

  it('fits its charts and tables to a phone-sized screen', async function () {
    this.timeout(120_000)
    const context = await b.newContext({ viewport: { width: 360, height: 740 } })
    const page = await context.newPage()
    try {
      await signInCommissioner(page)
      await clickTo(page, 'main a:has-text("Engagement and benefit")')
      expect(new URL(page.url()).pathname).to.equal('/reports/outcomes')
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
