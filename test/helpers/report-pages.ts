// Reading report pages and CSVs in tests: what every report page shows, every table on a page as text rows, and a
// CSV's table part.
import * as cheerio from 'cheerio'
import { expect } from 'chai'
import { parse } from 'csv-parse/sync'

/**
 * Checks report `id`'s page shows at least `tables` tables, a CSV download for each, a chart, and figures that clear
 * suppression (some cell of 5 or more).
 */
export function expectReportShown(html: string, id: string, tables: number): void {
  const $ = cheerio.load(html)
  expect($('section.app-report-table').length, id).to.be.at.least(tables)
  expect($('section.app-report-table a[download]').length, id).to.equal($('section.app-report-table').length)
  expect($('svg.app-chart[role="img"]').length, id).to.be.greaterThan(0)
  const numbers = $('td.nhsuk-table__cell--numeric')
    .map((_, c) => Number($(c).text()))
    .get()
    .filter((n) => Number.isFinite(n))
  expect(Math.max(...numbers), id).to.be.at.least(5)
}

/** Every table on a report page, by table id, as the text of its header row and body cells. */
export function pageTables(html: string): Map<string, string[][]> {
  const $ = cheerio.load(html)
  const out = new Map<string, string[][]>()
  $('section.app-report-table').each((_, section) => {
    const id = $(section)
      .attr('aria-labelledby')!
      .replace(/^table-/, '')
    const rows: string[][] = []
    $(section)
      .find('table tr')
      .each((_, tr) => {
        rows.push(
          $(tr)
            .find('th, td')
            .map((_, c) => $(c).text().trim())
            .get(),
        )
      })
    out.set(id, rows)
  })
  return out
}

/** The table part of a CSV: the rows before the first blank line (notes follow it). */
export function csvTable(text: string): string[][] {
  expect(text.charCodeAt(0), 'a UTF-8 byte-order mark').to.equal(0xfeff)
  const rows = parse(text.slice(1), { relax_column_count: true, skip_empty_lines: false }) as string[][]
  const blank = rows.findIndex((r) => r.every((c) => c === ''))
  return blank === -1 ? rows : rows.slice(0, blank)
}

/** The report form's query for a period typed as day, month and year: `period('2025-01-01', '2030-12-31')`. */
export function period(from: string, to?: string): string {
  const fields = (name: string, iso: string) => {
    const [year, month, day] = iso.split('-')
    return `${name}-day=${Number(day)}&${name}-month=${Number(month)}&${name}-year=${year}`
  }
  return to ? `${fields('from', from)}&${fields('to', to)}` : fields('from', from)
}
