// A report table as a CSV file a spreadsheet opens as it is: UTF-8 with a byte-order mark (so Excel reads the
// encoding right), a header row of the column labels, the same text as the page for every cell (formatCell), and
// notes after a blank line. Cells that a spreadsheet would run as a formula (starting = + - @, tab or carriage
// return) are prefixed with ' unless they are plain numbers such as -2.3.
import { stringify } from 'csv-stringify/sync'
import { formatCell, SUPPRESSED_TEXT, SUPPRESSION_NOTE } from './format'
import { ROUNDING_BASE, type Report, type ReportTable } from './report-types'
import { hasSuppressed } from './suppression'

const NUMBER = /^-?\d+(\.\d+)?%?$/

export function neutralise(text: string): string {
  if (!/^[=+\-@\t\r]/.test(text) || NUMBER.test(text)) return text
  return `'${text}`
}

export function tableCsv(report: Report, table: ReportTable, notes: readonly string[] = []): string {
  const header = table.columns.map((c) => neutralise(c.label))
  const rows = table.rows.map((row) => table.columns.map((c) => neutralise(formatCell(c, row[c.key]))))
  const lines: string[][] = [header, ...rows, []]
  lines.push([neutralise(`${report.title}: ${table.title}`)])
  if (table.description) lines.push([neutralise(table.description)])
  for (const note of notes) lines.push([neutralise(note)])
  if (hasSuppressed(table)) lines.push([neutralise(SUPPRESSION_NOTE)])
  else
    lines.push([
      `No figures in this table were hidden; any ${SUPPRESSED_TEXT} would mean fewer than 5. Counts of people are rounded to the nearest ${ROUNDING_BASE}.`,
    ])
  return `\uFEFF${stringify(lines, { record_delimiter: 'windows' })}`
}
