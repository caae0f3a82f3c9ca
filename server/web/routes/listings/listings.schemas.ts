// The forms for keeping listings true: one zod schema each. Field names are the element ids the error summary links to.
import { z } from 'zod'
import { REPORT_KINDS, type ListingFields } from '../../../data/listing-records'
import { CAPACITIES } from '../../../domain/directory-vocabulary'
import { SCHEDULE_DAYS } from '../../../domain/directory-vocabulary'
import { weeklyTime } from '../../../services/listing-fields'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be ${max} characters or fewer`)
    .optional()
    .transform((v) => (v ? v : null))

const optionalAge = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || (/^\d{1,3}$/.test(v) && Number(v) <= 120), `${label} must be a whole number from 0 to 120`)
    .transform((v) => (v ? Number(v) : null))

const timeRow = (n: 1 | 2 | 3) => ({
  [`day${n}`]: z
    .string()
    .optional()
    .refine((v) => !v || (SCHEDULE_DAYS as readonly string[]).includes(v), 'Choose a day from the list'),
  [`opens${n}`]: z.string().trim().optional(),
  [`closes${n}`]: z.string().trim().optional(),
})

export const listingSchema = z
  .object({
    name: z
      .string({ error: 'Enter the name of the service' })
      .trim()
      .min(1, 'Enter the name of the service')
      .max(120, 'Name must be 120 characters or fewer'),
    description: z
      .string({ error: 'Enter a description' })
      .trim()
      .min(20, 'Description must be 20 characters or more: say what happens and who it is for')
      .max(2000, 'Description must be 2,000 characters or fewer'),
    url: z
      .string()
      .trim()
      .max(500, 'Website must be 500 characters or fewer')
      .optional()
      .refine((v) => !v || /^https?:\/\/[^\s.]+\.[^\s]+$/.test(v), 'Enter a website address starting https://')
      .transform((v) => (v ? v : null)),
    email: z
      .string()
      .trim()
      .max(254, 'Email address must be 254 characters or fewer')
      .optional()
      .refine((v) => !v || EMAIL.test(v), 'Enter an email address in the correct format, like name@example.com')
      .transform((v) => (v ? v.toLowerCase() : null)),
    eligibility_description: optionalText(500, 'Who it is for'),
    minimum_age: optionalAge('Minimum age'),
    maximum_age: optionalAge('Maximum age'),
    accepts_referrals: z.enum(['yes', 'no'], { error: 'Say whether link workers can refer people' }),
    referral_instructions: optionalText(1000, 'How to refer'),
    ...timeRow(1),
    ...timeRow(2),
    ...timeRow(3),
  })
  .superRefine((form, ctx) => {
    if (form.minimum_age !== null && form.maximum_age !== null && form.maximum_age < form.minimum_age) {
      ctx.addIssue({
        code: 'custom',
        path: ['maximum_age'],
        message: 'Maximum age must be the same as or more than minimum age',
      })
    }
    for (const n of [1, 2, 3] as const) {
      const f = form as unknown as Record<string, string | undefined>
      const day = f[`day${n}`]
      const opens = f[`opens${n}`]
      const closes = f[`closes${n}`]
      if (!day && !opens && !closes) continue
      if (!day) ctx.addIssue({ code: 'custom', path: [`day${n}`], message: `Choose the day for time ${n}` })
      if (!opens || !TIME.test(opens))
        ctx.addIssue({ code: 'custom', path: [`opens${n}`], message: `Enter when time ${n} starts, like 10:00` })
      if (!closes || !TIME.test(closes))
        ctx.addIssue({ code: 'custom', path: [`closes${n}`], message: `Enter when time ${n} ends, like 12:30` })
      else if (opens && TIME.test(opens) && closes <= opens)
        ctx.addIssue({ code: 'custom', path: [`closes${n}`], message: `Time ${n} must end after it starts` })
    }
  })
export type ListingForm = z.output<typeof listingSchema>

export function toListingFields(form: ListingForm): ListingFields {
  const f = form as unknown as Record<string, string | undefined>
  const weekly_times = ([1, 2, 3] as const).flatMap((n) => {
    const day = f[`day${n}`]
    const opens = f[`opens${n}`]
    const closes = f[`closes${n}`]
    return day && opens && closes ? [weeklyTime(day, opens, closes)] : []
  })
  return {
    name: form.name,
    description: form.description,
    url: form.url,
    email: form.email,
    eligibility_description: form.eligibility_description,
    minimum_age: form.minimum_age,
    maximum_age: form.maximum_age,
    accepts_referrals: form.accepts_referrals === 'yes',
    referral_instructions: form.referral_instructions,
    weekly_times,
  }
}

export const capacitySchema = z
  .object({
    capacity: z.enum(CAPACITIES, {
      error: 'Choose whether the service is open, has a waiting list, is full or paused',
    }),
    capacity_note: optionalText(300, 'Note'),
    reopens: z
      .string()
      .trim()
      .optional()
      .refine((v) => !v || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))), {
        message: 'Enter the date it reopens as a real date, like 2026-03-31',
      })
      .transform((v) => (v ? new Date(`${v}T00:00:00Z`) : null)),
  })
  .superRefine((form, ctx) => {
    if (form.capacity === 'open' && form.reopens) {
      ctx.addIssue({
        code: 'custom',
        path: ['reopens'],
        message: 'Leave the reopening date empty when the service is open',
      })
    }
  })

export const temporarilyClosedSchema = z.object({
  closed: z.enum(['yes', 'no'], { error: 'Say whether the service is temporarily closed' }),
})

export const rejectSchema = z.object({
  reason: z
    .string({ error: 'Enter the reason, which is sent to the person who asked for the change' })
    .trim()
    .min(5, 'Enter the reason, which is sent to the person who asked for the change')
    .max(1000, 'Reason must be 1,000 characters or fewer'),
})

export const decisionSchema = z.object({
  decision: z.enum(['approve', 'reject'], { error: 'Choose approve or reject' }),
})

export const restoreSchema = z.object({
  version: z
    .string({ error: 'Choose a version to restore' })
    .regex(/^\d{1,6}$/, 'Choose a version to restore')
    .transform(Number),
})

export const checkSchema = z.object({
  method: z.enum(['curator_phoned', 'link_worker_visited'], { error: 'Choose how the listing was checked' }),
})

export const reportSchema = z.object({
  kind: z.enum(REPORT_KINDS, { error: 'Choose what is wrong' }),
  details: z
    .string()
    .trim()
    .max(1000, 'Details must be 1,000 characters or fewer')
    .optional()
    .transform((v) => v ?? ''),
})

export const answerSchema = z.object({
  answer: z.enum(['accurate', 'closed', 'temporarily_closed'], { error: 'Choose an answer' }),
})
