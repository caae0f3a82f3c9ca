// The shape every report takes, so one set of templates draws any of them (SVG chart, table, CSV) and one function
// applies small-number suppression. A report is data: services build it, the web layer only renders it.

/**
 * What a reader chose: a period (inclusive dates) and, optionally, one area or subject to narrow to. The report
 * service widens the period to whole months (wholeMonths) before counting anything.
 */
export interface ReportFilters {
  from: Date
  /** Inclusive: the whole of this day counts. */
  to: Date
  practiceId?: string
  /** Primary care network name, as held on the practice. */
  pcn?: string
  /** A directory (VCO) organisation. */
  organisationId?: string
  /** A need taxonomy term id; includes its children. */
  need?: string
}

/**
 * The period a report covers: whole calendar months, from the first day of the month `from` falls in to the last day
 * of the month `to` falls in. Two reports over periods a day apart (to 22 and to 23 November) would differ by that
 * day's referrals, and rounding alone cannot stop that where a count crosses a multiple of 5 (47 and 48 read 45 and
 * 50); over whole months they are the same report. Official health statistics are published by month for the same
 * reason.
 */
export function wholeMonths<T extends { from: Date; to: Date }>(filters: T): T {
  const { from, to } = filters
  return {
    ...filters,
    from: new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1)),
    to: new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() + 1, 0)),
  }
}

/**
 * How a column's numbers read. Counts of people or referrals are suppressed below 5 for commissioners; a `rate` or
 * `mean` column names the count column its n comes from (`nKey`) and is suppressed with it.
 */
export type ColumnKind = 'label' | 'count' | 'rate' | 'mean' | 'days' | 'number'

export interface ReportColumn {
  key: string
  label: string
  kind: ColumnKind
  /** For rate/mean/days: the count column in the same row that is this figure's n. */
  nKey?: string
  /** True when the column counts things, not people (listings, searches): never suppressed. */
  notPeople?: boolean
  /**
   * For a rate: the count column in the same row that is its numerator. When that count is suppressed the rate is
   * too, since rate × n would give it back.
   */
  countKey?: string
  /** Decimal places shown on the page and in the CSV (default: 0 for counts and rates, 1 for means and days). */
  decimals?: number
}

/** A cell: a number, a label, no data (null), or suppressed (a small number hidden). */
export type ReportCell = string | number | null | SuppressedCell

/**
 * A hidden figure. No `why`: a count from 1 to 4. 'secondary': a count hidden so that a hidden one elsewhere cannot be
 * worked out by subtraction (it may be any size). 'base': a rate, mean or days figure over too few people to show.
 */
export interface SuppressedCell {
  suppressed: true
  why?: 'secondary' | 'base'
}

export type ReportRow = Record<string, ReportCell>

export interface ReportChart {
  /** Horizontal bars, one per row: readable on a phone and with long labels. */
  kind: 'bar'
  /** The column whose values label the bars. */
  labelKey: string
  /** The columns drawn, one bar colour each (at most 3). */
  valueKeys: string[]
  /** For rates: the axis runs 0–100%. */
  percent?: boolean
}

export interface ReportTable {
  /** A slug, unique within its report: the CSV is /reports/<report id>/<table id>.csv */
  id: string
  title: string
  /** One sentence saying what the numbers are and how they were counted. */
  description?: string
  columns: ReportColumn[]
  rows: ReportRow[]
  chart?: ReportChart
}

export interface Report {
  /** A slug: the page is /reports/<id> */
  id: string
  title: string
  summary: string
  /** When the figures were worked out (they may come from a cache). */
  asOf: Date
  tables: ReportTable[]
}

/** Below this, a count of people (and any rate or mean over them) is not shown to commissioners. */
export const SUPPRESSION_THRESHOLD = 5

/** Every count of people shown is rounded to a multiple of this (0 stays 0; 1 to 4 are suppressed). */
export const ROUNDING_BASE = 5

export const SUPPRESSED: SuppressedCell = Object.freeze({ suppressed: true })
export const SUPPRESSED_SECONDARY: SuppressedCell = Object.freeze({ suppressed: true, why: 'secondary' })
export const SUPPRESSED_BASE: SuppressedCell = Object.freeze({ suppressed: true, why: 'base' })

export function isSuppressed(cell: ReportCell | undefined): cell is SuppressedCell {
  return typeof cell === 'object' && cell !== null && 'suppressed' in cell
}
