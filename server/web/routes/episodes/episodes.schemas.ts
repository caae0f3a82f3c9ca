// One zod schema per episode form: the referral into the service (professional or self), and each action on an
// episode. Dates are typed as NHS.UK day / month / year fields and read by readDate. Every field has its own message.
import { z } from 'zod'
import type { FieldErrors } from '../../../errors'
import {
  CONTACT_MODES,
  DISCHARGE_REASONS,
  GOAL_STATUSES,
  TRIAGE_DECLINE_REASONS,
  type GoalStatus,
} from '../../../domain/episode'
import { blankToNull, optional, required, trimmed } from '../../form-fields'
import { UUID_PATTERN } from '../../request-params'

const text = (max: number, maxMessage: string) => z.preprocess(trimmed, z.string().max(max, maxMessage).default(''))
const uuid = (message: string) => z.preprocess(trimmed, z.string({ error: message }).regex(UUID_PATTERN, message))
const uuidOrNull = (message: string) =>
  z.preprocess(blankToNull, z.string().regex(UUID_PATTERN, message).nullable().default(null))
/** A checkbox that must be ticked (its value is "yes"). */
const ticked = (message: string) =>
  z.preprocess((v) => (v === 'yes' ? 'yes' : undefined), z.literal('yes', { error: message }))
const keysOf = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]]

/**
 * A date typed in three fields `<prefix>Day`, `<prefix>Month`, `<prefix>Year`, as YYYY-MM-DD, or an error message.
 * `past`: the date may not be after today (a date of birth, a contact that happened).
 */
export function readDate(
  body: Record<string, unknown>,
  prefix: string,
  options: { past: boolean; label: string; example: string },
  today: Date,
): { ok: true; value: string } | { ok: false; message: string } {
  const part = (name: string) =>
    typeof body[`${prefix}${name}`] === 'string' ? String(body[`${prefix}${name}`]).trim() : ''
  const [d, m, y] = [part('Day'), part('Month'), part('Year')]
  if (!d && !m && !y) return { ok: false, message: `Enter ${options.label}, like ${options.example}` }
  const day = Number(d)
  const month = Number(m)
  const year = Number(y)
  const date = new Date(Date.UTC(year, month - 1, day))
  const real =
    /^\d{1,2}$/.test(d) &&
    /^\d{1,2}$/.test(m) &&
    /^\d{4}$/.test(y) &&
    date.getUTCDate() === day &&
    date.getUTCMonth() === month - 1 &&
    year >= 1900 &&
    year <= 2100
  if (!real) return { ok: false, message: `Enter ${options.label} as a real date, like ${options.example}` }
  const iso = date.toISOString().slice(0, 10)
  if (options.past && iso > today.toISOString().slice(0, 10)) {
    return {
      ok: false,
      message: `${options.label[0]!.toUpperCase()}${options.label.slice(1)} must be today or in the past`,
    }
  }
  return { ok: true, value: iso }
}

/** The referral into the service, from a professional (GP practice staff or others) or from the person. */
export const referInSchema = z.object({
  idempotencyKey: z.preprocess(trimmed, z.string().regex(UUID_PATTERN, 'Reload the page and try again')),
  teamId: uuid('Choose a social prescribing service'),
  givenName: required('Enter a first name', 100, 'First name must be 100 characters or fewer'),
  familyName: required('Enter a last name', 100, 'Last name must be 100 characters or fewer'),
  nhsNumber: optional(20, 'Enter a valid 10-digit NHS number, like 943 476 5919, or leave it blank'),
  phone: optional(30, 'Phone number must be 30 characters or fewer'),
  email: z.preprocess(blankToNull, z.email('Enter an email address like name@example.com').nullable().default(null)),
  address: optional(300, 'Address must be 300 characters or fewer'),
  postcode: optional(10, 'Enter a UK postcode, like NW4 4BG'),
  practiceId: uuidOrNull('Choose a GP practice from the list'),
  reason: required('Say briefly why social prescribing could help', 2000, 'Reason must be 2000 characters or fewer'),
  consentToRefer: ticked('Confirm the agreement to this referral'),
  gpFeedbackConsent: z.preprocess((v) => v === 'yes', z.boolean()),
})

/** At least one way to get in touch; checked beside the schema so it shows even when other fields are wrong. */
export function contactError(values: Record<string, unknown>): FieldErrors {
  const given = (k: string) => typeof values[k] === 'string' && String(values[k]).trim() !== ''
  return given('phone') || given('email') || given('address')
    ? {}
    : { phone: 'Enter a phone number, email address or postal address' }
}

export const REFER_FIELD_ORDER = [
  'teamId',
  'givenName',
  'familyName',
  'dateOfBirth',
  'nhsNumber',
  'phone',
  'email',
  'address',
  'postcode',
  'practiceId',
  'reason',
  'consentToRefer',
  'gpFeedbackConsent',
  'idempotencyKey',
]

export const declineSchema = z.object({
  declineReason: z.enum(keysOf(TRIAGE_DECLINE_REASONS), { error: 'Choose why the episode is not being taken on' }),
  declineNote: text(1000, 'Note must be 1000 characters or fewer'),
  declineConfirm: ticked('Confirm that you want to close this referral'),
})

export const conversationSchema = z.object({
  conversationNote: text(4000, 'Note must be 4000 characters or fewer'),
})

export const planSchema = z
  .object({
    whatMatters: required(
      'Enter what matters to the person, in their words',
      4000,
      'What matters must be 4000 characters or fewer',
    ),
    needs: z.preprocess(
      (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.string().regex(UUID_PATTERN, 'Choose needs from the list')).max(30, 'Choose needs from the list'),
    ),
    goal1: text(300, 'Each goal must be 300 characters or fewer'),
    goal2: text(300, 'Each goal must be 300 characters or fewer'),
    goal3: text(300, 'Each goal must be 300 characters or fewer'),
    goal1Status: z.enum(keysOf(GOAL_STATUSES), { error: 'Choose how the goal is going' }).default('open'),
    goal2Status: z.enum(keysOf(GOAL_STATUSES), { error: 'Choose how the goal is going' }).default('open'),
    goal3Status: z.enum(keysOf(GOAL_STATUSES), { error: 'Choose how the goal is going' }).default('open'),
  })
  .superRefine((v, ctx) => {
    if (!v.goal1 && !v.goal2 && !v.goal3)
      ctx.addIssue({ code: 'custom', path: ['goal1'], message: 'Enter at least one goal agreed with the person' })
  })
  .transform((v) => ({
    whatMatters: v.whatMatters,
    needs: v.needs,
    goals: (
      [
        [v.goal1, v.goal1Status],
        [v.goal2, v.goal2Status],
        [v.goal3, v.goal3Status],
      ] as [string, GoalStatus][]
    )
      .filter(([t]) => t)
      .map(([t, status]) => ({ text: t, status })),
  }))

export const contactSchema = z.object({
  contactMode: z.enum(keysOf(CONTACT_MODES), { error: 'Choose how the contact happened' }),
  contactMinutes: z.preprocess(
    trimmed,
    z
      .string({ error: 'Enter how long the contact took, in minutes' })
      .regex(/^\d{1,3}$/, 'Enter how long the contact took, in whole minutes, like 30')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 600, 'Enter how long the contact took, from 1 to 600 minutes'),
  ),
  contactNote: text(1000, 'Note must be 1000 characters or fewer'),
})

export const taskSchema = z.object({
  taskText: required('Enter what needs doing', 300, 'Task must be 300 characters or fewer'),
})

export const taskDoneSchema = z.object({ taskId: uuid('Choose a task') })

export const dischargeSchema = z.object({
  dischargeReason: z.enum(keysOf(DISCHARGE_REASONS), { error: 'Choose why the person is being discharged' }),
  dischargeNote: text(1000, 'Note must be 1000 characters or fewer'),
  dischargeConfirm: ticked('Confirm that you want to discharge this person'),
})

export const versionSchema = z.object({
  version: z.preprocess(
    trimmed,
    z
      .string()
      .regex(/^\d{1,9}$/, 'Reload the page and try again')
      .transform(Number),
  ),
})

export function fieldsOf(errors: FieldErrors, order: readonly string[]): string[] {
  return order.filter((f) => errors[f])
}
