// How a report's cells read: one function, used by the page, the chart and the CSV, so they always agree.
import { SUPPRESSION_THRESHOLD, isSuppressed, type ReportCell, type ReportColumn } from './report-types'

export const SUPPRESSED_TEXT = `<${SUPPRESSION_THRESHOLD}`
export const NO_DATA_TEXT = 'No data'
export const SUPPRESSION_NOTE = `${SUPPRESSED_TEXT} means fewer than ${SUPPRESSION_THRESHOLD}: small numbers are hidden so that no one can be identified, and so is any rate or average over fewer than ${SUPPRESSION_THRESHOLD}.`

export function decimalsOf(column: ReportColumn): number {
  if (column.decimals !== undefined) return column.decimals
  return column.kind === 'mean' || column.kind === 'days' ? 1 : 0
}

/** A number rounded as shown (rates are fractions, shown as percentages). */
export function roundedValue(column: ReportColumn, value: number): number {
  const scaled = column.kind === 'rate' ? value * 100 : value
  const factor = 10 ** decimalsOf(column)
  return Math.round(scaled * factor) / factor
}

export function formatCell(column: ReportColumn, cell: ReportCell | undefined): string {
  if (isSuppressed(cell)) return SUPPRESSED_TEXT
  if (cell === null || cell === undefined || cell === '') return column.kind === 'label' ? '' : NO_DATA_TEXT
  if (typeof cell === 'string') return cell
  const shown = roundedValue(column, cell).toFixed(decimalsOf(column))
  return column.kind === 'rate' ? `${shown}%` : shown
}
