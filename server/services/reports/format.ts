// How a report's cells read: one function, used by the page, the chart and the CSV, so they always agree.
import { ROUNDING_BASE, SUPPRESSION_THRESHOLD, isSuppressed, type ReportCell, type ReportColumn } from './report-types'

export const SUPPRESSED_TEXT = `<${SUPPRESSION_THRESHOLD}`
export const SECONDARY_TEXT = 'Hidden'
export const BASE_TEXT = 'Too few to show'
export const NO_DATA_TEXT = 'No data'
export const SUPPRESSION_NOTE = `${SUPPRESSED_TEXT} means fewer than ${SUPPRESSION_THRESHOLD}. ${SECONDARY_TEXT} means a count hidden so that a ${SUPPRESSED_TEXT} cannot be worked out from the others. ${BASE_TEXT} means a rate or average over fewer than ${SUPPRESSION_THRESHOLD} people. Every other count is rounded to the nearest ${ROUNDING_BASE} and rates are worked out from the rounded counts, so that no one can be identified, even by comparing reports.`

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
  if (isSuppressed(cell)) {
    if (cell.why === 'secondary') return SECONDARY_TEXT
    if (cell.why === 'base' || column.kind !== 'count') return BASE_TEXT
    return SUPPRESSED_TEXT
  }
  if (cell === null || cell === undefined || cell === '') return column.kind === 'label' ? '' : NO_DATA_TEXT
  if (typeof cell === 'string') return cell
  const shown = roundedValue(column, cell).toFixed(decimalsOf(column))
  return column.kind === 'rate' ? `${shown}%` : shown
}
