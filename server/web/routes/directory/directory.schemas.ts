// The directory search form (GET). Every value arrives as a string or a list of strings; each field has its own message.
import { z } from 'zod'
import { ACCESS_ROUTES, CAPACITIES, DAYS, DELIVERY_MODES, TIMES_OF_DAY } from '../../../domain/directory-vocabulary'

const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v.filter((x) => x !== '') : [v]),
    z.array(item),
  )

const optionalText = (max: number, message: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().max(max, message).optional())

export const RADIUS_MILES = ['1', '2', '5', '10', '25'] as const

export const searchQuerySchema = z.object({
  q: optionalText(200, 'Search words must be 200 characters or fewer'),
  postcode: optionalText(10, 'Enter a full UK postcode, like EN5 1AA'),
  radius: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(RADIUS_MILES, { error: 'Choose a distance from the list' }).optional(),
  ),
  need: list(z.string().regex(/^[a-z0-9-]{1,60}$/, 'Choose a need from the list')),
  day: list(z.enum(DAYS, { error: 'Choose days from the list' })),
  time: list(z.enum(TIMES_OF_DAY, { error: 'Choose times of day from the list' })),
  mode: list(z.enum(DELIVERY_MODES, { error: 'Choose ways of taking part from the list' })),
  route: list(z.enum(ACCESS_ROUTES, { error: 'Choose how to get in from the list' })),
  capacity: list(z.enum(CAPACITIES, { error: 'Choose availability from the list' })),
  language: list(z.string().regex(/^[a-z]{2}$/, 'Choose a language from the list')),
  access: list(z.string().regex(/^[a-z_]{2,40}$/, 'Choose accessibility features from the list')),
  free: z.enum(['yes'], { error: 'Free only must be ticked or not' }).optional(),
  referrals: z.enum(['yes'], { error: 'Accepts referrals must be ticked or not' }).optional(),
  age: z
    .preprocess(
      (v) => (v === '' || v === undefined ? undefined : v),
      z.coerce
        .number({ error: 'Age must be a number, like 67' })
        .int('Age must be a whole number, like 67')
        .min(0, 'Age must be 0 or more')
        .max(120, 'Age must be 120 or less')
        .optional(),
    )
    .optional(),
  sort: z.enum(['relevance', 'distance'], { error: 'Choose how to sort from the list' }).optional(),
  page: z
    .preprocess(
      (v) => (v === '' || v === undefined ? undefined : v),
      z.coerce.number().int().min(1).max(500).optional(),
    )
    .optional(),
})

export type SearchQueryForm = z.infer<typeof searchQuerySchema>

/** The order fields appear on the page, so the error summary lists them in that order. */
export const SEARCH_FIELD_ORDER = [
  'q',
  'postcode',
  'radius',
  'need',
  'day',
  'time',
  'free',
  'age',
  'language',
  'access',
  'mode',
  'route',
  'referrals',
  'capacity',
  'sort',
  'page',
] as const
