// Disclosure control, applied to every report before it reaches a page, a chart or a CSV, whoever reads it. The method
// is the one NHS England and ONS use for official health statistics: small numbers suppressed, and every other count
// rounded to the nearest 5, so that two reports over overlapping periods (to 22 and to 23 November) cannot be
// subtracted to reveal one person: 47 and 48 both read as a multiple of 5, and a change of one is seen, if at all, as
// a change of 0 or 5.
//  1. Primary: a count of people or referrals from 1 to 4 becomes SUPPRESSED (zero is shown: it identifies no one).
//  2. Secondary: where a column has exactly one suppressed cell, the next smallest non-zero count in that column is
//     suppressed too. Rows of most tables add up to a figure another table shows (referrals by month add up to the
//     same total as referrals by practice), so a single hidden cell could be worked out by subtraction; with two
//     hidden, only their sum can. Reports also show no total rows.
//  3. A rate, mean or days figure whose n (nKey) is below 5 or hidden is suppressed, and so is a rate whose numerator count
//     (countKey) is hidden or small, since rate × n would give it back.
//  4. Complements: where n minus a rate's numerator is 1 to 4 ("18 of 20 engaged" says 2 did not), the numerator and
//     the rate are hidden (before step 2, so the secondary rule sees them).
//  5. Rounding: every count of people still shown is rounded to the nearest 5 (ROUNDING_BASE), and a rate with both
//     its numerator and n in the row is worked out again from the rounded figures, so it gives back nothing more.
//     Means and day figures are shown only over 5 or more people; they are not rounded.
// Columns that count things rather than people (`notPeople`) are left alone. Figures a row carries but no column
// shows (a rate's numerator or n) are used here and dropped, so they never reach a page or a file.
import {
  ROUNDING_BASE,
  SUPPRESSED,
  SUPPRESSED_BASE,
  SUPPRESSED_SECONDARY,
  SUPPRESSION_THRESHOLD,
  isSuppressed,
  type Report,
  type ReportCell,
  type ReportColumn,
  type ReportRow,
  type ReportTable,
} from './report-types'

const isSmall = (value: ReportCell | undefined, threshold: number) =>
  typeof value === 'number' && value > 0 && value < threshold

const isPeopleCount = (c: ReportColumn) => c.kind === 'count' && !c.notPeople

export function roundToBase(value: number): number {
  return Math.round(value / ROUNDING_BASE) * ROUNDING_BASE
}

export function suppressTable(table: ReportTable, threshold = SUPPRESSION_THRESHOLD): ReportTable {
  const { columns } = table
  const shown: ReportRow[] = table.rows.map((row) =>
    Object.fromEntries(
      columns.map((c) => [
        c.key,
        isPeopleCount(c) && isSmall(row[c.key], threshold) ? SUPPRESSED : (row[c.key] ?? null),
      ]),
    ),
  )
  // The complement: "18 of 20 engaged" tells that 2 did not. Where n minus a rate's numerator is 1 to 4, the
  // numerator is hidden (and so, below, is the rate).
  const complementSmall = (row: ReportRow, column: ReportColumn) => {
    if (!column.countKey || !column.nKey || column.notPeople) return false
    const n = row[column.nKey]
    const count = row[column.countKey]
    // Below the threshold, n hides the rate anyway (step 3).
    return typeof n === 'number' && n >= threshold && typeof count === 'number' && isSmall(n - count, threshold)
  }
  table.rows.forEach((row, i) => {
    for (const column of columns) {
      if (column.kind !== 'rate' || !complementSmall(row, column)) continue
      const numerator = columns.find((c) => c.key === column.countKey)
      if (numerator && isPeopleCount(numerator)) shown[i]![numerator.key] = SUPPRESSED_SECONDARY
    }
  })
  for (const column of columns.filter(isPeopleCount)) {
    const hidden = shown.filter((row) => isSuppressed(row[column.key]))
    if (hidden.length !== 1) continue
    let smallest: ReportRow | null = null
    for (const row of shown) {
      const v = row[column.key]
      if (typeof v === 'number' && v > 0 && (smallest === null || v < (smallest[column.key] as number))) smallest = row
    }
    if (smallest) smallest[column.key] = SUPPRESSED_SECONDARY
  }
  table.rows.forEach((row, i) => {
    const out = shown[i]!
    for (const column of columns) {
      if (column.kind === 'label' || column.kind === 'count' || column.notPeople) continue
      const value = out[column.key]
      if (value === null || value === undefined || isSuppressed(value)) continue
      const n = column.nKey ? row[column.nKey] : undefined
      // A hidden n hides its rate too: a shown numerator divided by the rate would give n back.
      const nTooSmall =
        column.nKey !== undefined && (typeof n !== 'number' || n < threshold || isSuppressed(out[column.nKey]))
      const numeratorHidden =
        column.countKey !== undefined &&
        (isSuppressed(out[column.countKey]) ||
          isSuppressed(row[column.countKey]) ||
          isSmall(row[column.countKey], threshold))
      if (nTooSmall || numeratorHidden || complementSmall(row, column)) out[column.key] = SUPPRESSED_BASE
    }
  })
  table.rows.forEach((row, i) => {
    const out = shown[i]!
    for (const column of columns) {
      const value = out[column.key]
      if (typeof value !== 'number') continue
      if (isPeopleCount(column)) out[column.key] = roundToBase(value)
      else if (column.kind === 'rate' && column.countKey && column.nKey && !column.notPeople) {
        const count = row[column.countKey]
        const n = row[column.nKey]
        if (typeof count === 'number' && typeof n === 'number' && roundToBase(n) > 0) {
          out[column.key] = roundToBase(count) / roundToBase(n)
        }
      }
    }
  })
  return { ...table, rows: shown }
}

/** The report as anyone may see it. */
export function suppressReport(report: Report, threshold = SUPPRESSION_THRESHOLD): Report {
  return { ...report, tables: report.tables.map((t) => suppressTable(t, threshold)) }
}

export function hasSuppressed(table: ReportTable): boolean {
  return table.rows.some((row) => Object.values(row).some(isSuppressed))
}
