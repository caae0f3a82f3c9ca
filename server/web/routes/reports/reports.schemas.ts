// The report filter form (a GET form, so a report's URL says what it shows): a period and optionally one practice,
// primary care network, organisation or need. Unknown choices are checked against the lists offered.
import { z } from 'zod'

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** A real calendar date from YYYY-MM-DD (UTC midnight), or null. */
export function parseIsoDate(value: string): Date | null {
  if (!ISO_DATE.test(value)) return null
  const [y, m, d] = value.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null
}

export const isoDate = (d: Date) => d.toISOString().slice(0, 10)

const text = z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().max(200))
const dateField = (message: string) =>
  text.refine((v) => v === '' || parseIsoDate(v) !== null, { message }).transform((v) => (v ? parseIsoDate(v) : null))

export const reportFilterSchema = z
  .object({
    from: dateField('Enter a real start date, like 2026-01-31'),
    to: dateField('Enter a real end date, like 2026-12-31'),
    practiceId: text,
    pcn: text,
    organisationId: text,
    need: text,
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.to < v.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'The end date must be the same as or after the start date',
      })
    }
  })

export const FILTER_FIELDS = ['from', 'to', 'practiceId', 'pcn', 'organisationId', 'need'] as const
