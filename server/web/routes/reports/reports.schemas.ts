// The report filter form (a GET form, so a report's URL says what it shows): a period typed as day, month and year
// (NHS.UK date input, read by services/dates.ts) and optionally one practice, primary care network, organisation or
// need. Unknown choices are checked against the lists offered.
import { z } from 'zod'

export const isoDate = (d: Date) => d.toISOString().slice(0, 10)

const text = z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().max(200))

export const reportFilterSchema = z.object({
  practiceId: text,
  pcn: text,
  organisationId: text,
  need: text,
})
