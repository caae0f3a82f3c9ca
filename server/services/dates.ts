// Dates as people write and read them: one module for showing ("8 December 2026", UK time) and for reading the
// NHS.UK date input (day, month and year fields) with the design system's error messages. JSON keeps ISO dates.

import { TZDate } from '@date-fns/tz'

const LONDON = 'Europe/London'
const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: LONDON })
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: LONDON,
})
const LONDON_DAY = new Intl.DateTimeFormat('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  timeZone: LONDON,
})

function toDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null
  const date = value instanceof Date ? value : new Date(String(value))
  return Number.isNaN(date.getTime()) ? null : date
}

/** "8 December 2026" in UK time; '' for no date or not a date. */
export function formatDate(value: unknown): string {
  const date = toDate(value)
  return date ? DATE.format(date) : ''
}

/** "8 December 2026, 14:05" in UK time; '' for no date. */
export function formatDateTime(value: unknown): string {
  const date = toDate(value)
  return date ? DATE_TIME.format(date) : ''
}

/** The calendar day in the UK of an instant, as YYYY-MM-DD (for comparing and storing days). */
export function londonDay(at: Date): string {
  return LONDON_DAY.format(at)
}

/** The instant a UK calendar day (YYYY-MM-DD) starts: midnight in London, so 23:00 UTC the day before in summer. */
export function startOfLondonDay(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(new TZDate(y, m - 1, d, LONDON).getTime())
}

export interface DateParts {
  day: string
  month: string
  year: string
}

export type DateCheck = 'past' | 'future' | 'any'

export type ParsedDate =
  { ok: true; iso: string | null } | { ok: false; message: string; fields: ('day' | 'month' | 'year')[] }

/** The three fields of a date input named `name` in a form body (`name-day`, `name-month`, `name-year`). */
export function dateParts(body: Record<string, unknown>, name: string): DateParts {
  const read = (part: string) => {
    const v = body[`${name}-${part}`]
    return typeof v === 'string' ? v.trim() : ''
  }
  return { day: read('day'), month: read('month'), year: read('year') }
}

/**
 * Reads a day, month and year as typed. All blank: `iso` null (the caller decides whether that is allowed).
 * Messages follow the NHS.UK date input pattern: "[Label] must include a month", "must be a real date",
 * "must be today or in the past", "must be in the future".
 */
export function parseDateParts(
  parts: DateParts,
  label: string,
  options: { check?: DateCheck; today?: Date } = {},
): ParsedDate {
  const { day, month, year } = parts
  if (!day && !month && !year) return { ok: true, iso: null }
  const missing = (['day', 'month', 'year'] as const).filter((p) => !parts[p])
  if (missing.length) {
    return { ok: false, message: `${label} must include a ${missing.join(' and a ')}`, fields: [...missing] }
  }
  const digits = /^\d+$/
  if (![day, month, year].every((v) => digits.test(v)) || year.length !== 4) {
    return { ok: false, message: `${label} must be a real date`, fields: ['day', 'month', 'year'] }
  }
  const d = Number(day)
  const m = Number(month)
  const y = Number(year)
  const date = new Date(Date.UTC(y, m - 1, d))
  if (m < 1 || m > 12 || date.getUTCDate() !== d || date.getUTCMonth() !== m - 1 || y < 1900) {
    return { ok: false, message: `${label} must be a real date`, fields: ['day', 'month', 'year'] }
  }
  const iso = date.toISOString().slice(0, 10)
  const today = londonDay(options.today ?? new Date())
  if (options.check === 'past' && iso > today) {
    return { ok: false, message: `${label} must be today or in the past`, fields: ['day', 'month', 'year'] }
  }
  if (options.check === 'future' && iso <= today) {
    return { ok: false, message: `${label} must be in the future`, fields: ['day', 'month', 'year'] }
  }
  return { ok: true, iso }
}

/** The day, month and year fields to show again for an ISO date (or what was typed). */
export function partsOf(iso: string | null | undefined): DateParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '')
  return m ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1]! } : { day: '', month: '', year: '' }
}
