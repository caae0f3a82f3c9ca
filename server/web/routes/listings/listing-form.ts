// Form values for a listing (what the page shows) from stored fields or from a posted body.
import type { FieldErrors } from '../../../errors'
import type { ListingFields } from '../../../data/listing-records'
import { SCHEDULE_DAYS, SCHEDULE_DAY_NAMES } from '../../../domain/directory-vocabulary'
import { parseWeeklyTime } from '../../../services/listing-fields'

export type ListingValues = Record<string, string>

export function valuesFromFields(fields: ListingFields): ListingValues {
  const values: ListingValues = {
    name: fields.name,
    description: fields.description,
    url: fields.url ?? '',
    email: fields.email ?? '',
    eligibility_description: fields.eligibility_description ?? '',
    minimum_age: fields.minimum_age === null ? '' : String(fields.minimum_age),
    maximum_age: fields.maximum_age === null ? '' : String(fields.maximum_age),
    accepts_referrals: fields.accepts_referrals ? 'yes' : 'no',
    referral_instructions: fields.referral_instructions ?? '',
  }
  fields.weekly_times.slice(0, 3).forEach((value, i) => {
    const t = parseWeeklyTime(value)
    if (!t) return
    values[`day${i + 1}`] = t.day
    values[`opens${i + 1}`] = t.opens
    values[`closes${i + 1}`] = t.closes
  })
  return values
}

export function valuesFromBody(body: unknown): ListingValues {
  const b = (body ?? {}) as Record<string, unknown>
  const keys = [
    'name',
    'description',
    'url',
    'email',
    'eligibility_description',
    'minimum_age',
    'maximum_age',
    'accepts_referrals',
    'referral_instructions',
    ...[1, 2, 3].flatMap((n) => [`day${n}`, `opens${n}`, `closes${n}`]),
  ]
  return Object.fromEntries(keys.map((k) => [k, typeof b[k] === 'string' ? (b[k] as string) : '']))
}

/** What the form partial needs: values, the three time rows with their day options, and errors. */
export function listingFormLocals(values: ListingValues, errors: FieldErrors = {}) {
  const timeRows = [1, 2, 3].map((n) => ({
    n,
    day: `day${n}`,
    opens: `opens${n}`,
    closes: `closes${n}`,
    opensValue: values[`opens${n}`] ?? '',
    closesValue: values[`closes${n}`] ?? '',
    dayError: errors[`day${n}`],
    opensError: errors[`opens${n}`],
    closesError: errors[`closes${n}`],
    dayOptions: SCHEDULE_DAYS.map((code) => ({
      value: code,
      text: SCHEDULE_DAY_NAMES[code],
      selected: values[`day${n}`] === code,
    })),
  }))
  return { values, timeRows, errors }
}
