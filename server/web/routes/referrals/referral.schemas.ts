// One zod schema per form: a person, consent, a referral, a signposting, a referral action and a message.
// Every value arrives as a string (or a list for checkboxes); each field has its own plain-English message.
import { z } from 'zod'
import { CONTACT_PREFERENCES } from '../../../domain/referral-records'
import { isValid as isValidPostcode, toNormalised as normalisePostcode } from 'postcode'
import { isValidNhsNumber, normaliseNhsNumber } from '../../../services/nhs-number'
import { formatUkPhone, normaliseUkPhone, ukPhoneKind } from '../../../services/uk-phone'
import { ALL_CLOSING_REASON_CODES, CLOSING_REASONS, isClosingAction } from '../../../domain/referral-closing'
import { REFERRAL_ACTION_NAMES } from '../../../domain/referral-status'
import { ETHNICITIES, SEXES } from '../../../domain/equality'
import { blankToNull, optional, required, trimmed } from '../../form-fields'

const list = (message: string) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v.filter((x) => x !== '') : [v]),
    z.array(z.string().regex(/^[0-9a-f-]{36}$/i, message)).max(20, message),
  )

const uuidOrNull = (message: string) =>
  z.preprocess(
    blankToNull,
    z
      .string()
      .regex(/^[0-9a-f-]{36}$/i, message)
      .nullable()
      .default(null),
  )

export const CONTACT_LABELS: Record<(typeof CONTACT_PREFERENCES)[number], string> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
  letter: 'Letter',
  do_not_contact: 'Do not contact them directly (go through me)',
}

/** A UK phone number, stored spaced as it is said; a text message needs a mobile (checked with the preference). */
const ukPhone = z.preprocess(
  blankToNull,
  z
    .string()
    .max(30, 'Enter a UK phone number, like 07700 900123 or 020 7946 0018')
    .refine((v) => normaliseUkPhone(v) !== null, 'Enter a UK phone number, like 07700 900123 or 020 7946 0018')
    .transform((v) => formatUkPhone(normaliseUkPhone(v)!))
    .nullable()
    .default(null),
)

const ukPostcode = z.preprocess(
  blankToNull,
  z
    .string()
    .max(10, 'Enter a UK postcode, like NW4 4BG')
    .refine((v) => isValidPostcode(v), 'Enter a UK postcode, like NW4 4BG')
    .transform((v) => normalisePostcode(v) ?? v)
    .nullable()
    .default(null),
)

/** The fields a person's record has, as the add and edit forms send them. */
const personFields = z
  .object({
    givenName: required('Enter their first name', 100, 'First name must be 100 characters or fewer'),
    familyName: required('Enter their last name', 100, 'Last name must be 100 characters or fewer'),
    dateOfBirth: z.string().optional(),
    dobDay: z.preprocess(trimmed, z.string().default('')),
    dobMonth: z.preprocess(trimmed, z.string().default('')),
    dobYear: z.preprocess(trimmed, z.string().default('')),
    nhsNumber: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() !== '' ? normaliseNhsNumber(v.trim()) : null),
      z
        .string()
        .refine(isValidNhsNumber, 'Enter a valid 10-digit NHS number, like 943 476 5919, or leave it blank')
        .nullable(),
    ),
    contactPreference: z.enum(CONTACT_PREFERENCES, { error: 'Choose how they want to be contacted' }),
    phone: ukPhone,
    email: z.preprocess(blankToNull, z.email('Enter an email address like name@example.com').nullable().default(null)),
    address: optional(300, 'Address must be 300 characters or fewer'),
    postcode: ukPostcode,
    practiceId: uuidOrNull('Choose a GP practice from the list'),
    whatMatters: z.preprocess(
      trimmed,
      z.string().max(2000, 'What matters must be 2000 characters or fewer').default(''),
    ),
    needs: list('Choose needs from the list'),
    ethnicity: z.preprocess(
      blankToNull,
      z.enum(ETHNICITIES, { error: 'Choose an ethnic group from the list' }).nullable().default(null),
    ),
    sex: z.preprocess(blankToNull, z.enum(SEXES, { error: 'Choose from the list' }).nullable().default(null)),
    caresForId: uuidOrNull('Choose someone on your caseload'),
  })
  .superRefine((v, ctx) => {
    const day = Number(v.dobDay)
    const month = Number(v.dobMonth)
    const year = Number(v.dobYear)
    const date = new Date(Date.UTC(year, month - 1, day))
    const valid =
      /^\d{1,2}$/.test(v.dobDay) &&
      /^\d{1,2}$/.test(v.dobMonth) &&
      /^\d{4}$/.test(v.dobYear) &&
      date.getUTCDate() === day &&
      date.getUTCMonth() === month - 1 &&
      year >= 1900 &&
      date.getTime() <= Date.now()
    if (!valid)
      ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'Enter their date of birth, like 15 3 1948' })
    if ((v.contactPreference === 'phone' || v.contactPreference === 'text') && !v.phone)
      ctx.addIssue({
        code: 'custom',
        path: ['phone'],
        message: 'Enter a phone number, or choose another way to contact them',
      })
    if (v.contactPreference === 'text' && v.phone && ukPhoneKind(normaliseUkPhone(v.phone)!) !== 'mobile')
      ctx.addIssue({
        code: 'custom',
        path: ['phone'],
        message: 'Enter a mobile number to send texts to, or choose another way to contact them',
      })
    if (v.contactPreference === 'email' && !v.email)
      ctx.addIssue({
        code: 'custom',
        path: ['email'],
        message: 'Enter an email address, or choose another way to contact them',
      })
    if (v.contactPreference === 'letter' && !v.address)
      ctx.addIssue({
        code: 'custom',
        path: ['address'],
        message: 'Enter an address, or choose another way to contact them',
      })
  })
  .transform((v) => ({
    ...v,
    dateOfBirth: `${v.dobYear}-${v.dobMonth.padStart(2, '0')}-${v.dobDay.padStart(2, '0')}`,
  }))

export const personSchema = z.intersection(
  personFields,
  z.object({
    confirmDuplicate: z.enum(['yes']).optional(),
    // The form's own key: five identical posts of one form (double clicks, retries) add one person.
    idempotencyKey: z
      .string()
      .regex(/^[0-9a-f-]{36}$/i, 'This form has expired: reload the page and try again')
      .optional(),
  }),
)

/** Editing a person: the same fields, and the version the form was drawn from (a stale form changes nothing). */
export const personEditSchema = z.intersection(
  personFields,
  z.object({ version: z.coerce.number({ error: 'Reload the page and try again' }).int().min(0) }),
)

export const DISCHARGE_REASON_LABELS = {
  goals_met: 'Their goals are met',
  declined_further: 'They do not want further support',
  moved_away: 'They moved away',
  not_engaging: 'They are not engaging',
  died: 'They died',
  other: 'Another reason',
} as const

export const dischargeSchema = z
  .object({
    reason: z.enum(Object.keys(DISCHARGE_REASON_LABELS) as [keyof typeof DISCHARGE_REASON_LABELS], {
      error: 'Choose why they are leaving the caseload',
    }),
    text: optional(500, 'The reason must be 500 characters or fewer'),
    version: z.coerce.number({ error: 'Reload the page and try again' }).int().min(0),
  })
  .superRefine((v, ctx) => {
    if (v.reason === 'other' && !v.text)
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'Say why they are leaving the caseload' })
  })

/** The caseload search: any of name, NHS number and date of birth (day, month, year fields). */
export const caseloadSearchSchema = z.object({
  name: z.preprocess(trimmed, z.string().max(100, 'Name must be 100 characters or fewer').default('')),
  nhsNumber: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? normaliseNhsNumber(v.trim()) : null),
    z.string().refine(isValidNhsNumber, 'Enter a valid 10-digit NHS number, like 943 476 5919').nullable(),
  ),
})
export const PERSON_FIELD_ORDER = [
  'givenName',
  'familyName',
  'dateOfBirth',
  'nhsNumber',
  'contactPreference',
  'phone',
  'email',
  'address',
  'postcode',
  'practiceId',
  'whatMatters',
  'needs',
  'ethnicity',
  'sex',
  'caresForId',
]

export const consentSchema = z.object({
  type: z.enum(['given', 'withdrawn'], { error: 'Choose whether consent was given or withdrawn' }),
  scope: z.enum(['share_with_organisation', 'feedback_to_gp'], { error: 'Choose what the consent is for' }),
  organisationId: z.preprocess(
    trimmed,
    z.string({ error: 'Choose an organisation' }).regex(/^[0-9a-f-]{36}$/i, 'Choose an organisation'),
  ),
  how: z.enum(['verbal', 'written'], { error: 'Choose how consent was given' }),
})

const idempotencyKey = z
  .string({ error: 'This form has expired: reload the page and try again' })
  .regex(/^[0-9a-f-]{36}$/i, 'This form has expired: reload the page and try again')

export const referSchema = z.object({
  personId: z
    .string({ error: 'Choose the person you are referring' })
    .regex(/^[0-9a-f-]{36}$/i, 'Choose the person you are referring'),
  consent: z.enum(['yes']).optional(),
  consentHow: z.enum(['verbal', 'written'], { error: 'Choose how they gave consent' }).default('verbal'),
  gpFeedback: z.enum(['yes']).optional(),
  needs: list('Choose needs from the list').refine((v) => v.length > 0, 'Choose at least one need'),
  note: required('Tell the service what it needs to know', 1000, 'The note must be 1000 characters or fewer'),
  contactPreference: z.enum(CONTACT_PREFERENCES, { error: 'Choose how the person wants to be contacted' }),
  supportToAttend: z
    .enum(['none', 'walk_alongside', 'first_visit_together'], { error: 'Choose the support to attend' })
    .default('none'),
  idempotencyKey,
})
export const REFER_FIELD_ORDER = [
  'personId',
  'consent',
  'consentHow',
  'gpFeedback',
  'needs',
  'note',
  'contactPreference',
  'supportToAttend',
  'idempotencyKey',
]

export const signpostSchema = z.object({
  personId: z.string({ error: 'Choose the person' }).regex(/^[0-9a-f-]{36}$/i, 'Choose the person'),
  needs: list('Choose needs from the list'),
  note: optional(1000, 'The note must be 1000 characters or fewer').transform((v) => v ?? ''),
  idempotencyKey,
})

const CLOSING_WORDING: Record<keyof typeof CLOSING_REASONS, string> = {
  complete: 'completing it',
  'did-not-engage': 'closing it',
  decline: 'declining',
  withdraw: 'withdrawing it',
}

export const actionSchema = z
  .object({
    action: z.enum(['reopen', ...REFERRAL_ACTION_NAMES] as [string, ...string[]], { error: 'Choose an action' }),
    version: z.coerce.number({ error: 'Reload the page and try again' }).int().positive(),
    reason: z.preprocess(
      blankToNull,
      z.enum(ALL_CLOSING_REASON_CODES, { error: 'Choose a reason' }).nullable().default(null),
    ),
    text: optional(500, 'The reason must be 500 characters or fewer'),
    note: optional(1000, 'The note must be 1000 characters or fewer'),
    date: z.preprocess(
      blankToNull,
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date, like 2026-03-15')
        .refine(
          (v) => !Number.isNaN(Date.parse(`${v}T12:00:00Z`)) && new Date(`${v}T12:00:00Z`).toISOString().startsWith(v),
          'Enter a real date, like 2026-03-15',
        )
        .nullable()
        .default(null),
    ),
    attended: z.preprocess(
      blankToNull,
      z.enum(['yes', 'no'], { error: 'Choose whether they attended' }).nullable().default(null),
    ),
    taskId: uuidOrNull('Reload the page and try again'),
  })
  .superRefine((v, ctx) => {
    // Closing actions need a reason from their own list; "Other" needs words.
    if (isClosingAction(v.action)) {
      const reasons = CLOSING_REASONS[v.action] as Record<string, string>
      const what = CLOSING_WORDING[v.action]
      if (!v.reason || !reasons[v.reason])
        ctx.addIssue({ code: 'custom', path: ['reason'], message: `Choose a reason for ${what}` })
      else if (v.reason === 'other' && !v.text)
        ctx.addIssue({ code: 'custom', path: ['text'], message: `Say why you are ${what}` })
    }
    if (v.action === 'reopen' && !v.text)
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'Say why you are reopening it' })
    if (v.action === 'session' && !v.attended)
      ctx.addIssue({ code: 'custom', path: ['attended'], message: 'Choose whether they attended' })
  })

export const messageSchema = z.object({
  message: required('Enter a message', 2000, 'The message must be 2000 characters or fewer'),
  // The form's own key: a retried post of one message adds it once.
  idempotencyKey: idempotencyKey.optional(),
})

/** "Return to caseload": only the version the page showed. */
export const returnSchema = z.object({
  version: z.coerce.number({ error: 'Reload the page and try again' }).int().min(0),
})

/** A form or query value as one string ('' when absent or a list). */
export const str = (v: unknown) => (typeof v === 'string' ? v : '')
/** A form value as a list of strings (checkboxes send one string when one is ticked). */
export const strs = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : [])
