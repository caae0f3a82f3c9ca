// The fields a VCO edits on a listing, read from and written to a service record, and compared field by field for
// the curator's review. Weekly opening times are written as "TU 10:00-12:00"; other kinds of times stay as they are.
import type { Schedule, ServiceRecord } from '../domain/directory-records'
import type { ListingFields } from '../data/listing-records'
import { SCHEDULE_DAY_NAMES } from '../domain/directory-vocabulary'
import { describeSchedule } from './schedule'

const WEEKLY = /^(MO|TU|WE|TH|FR|SA|SU) (\d\d:\d\d)-(\d\d:\d\d)$/

export function isEditableTime(s: Schedule): boolean {
  return (
    s.freq === 'WEEKLY' &&
    (s.interval === null || s.interval === 1) &&
    /^(MO|TU|WE|TH|FR|SA|SU)$/.test(s.byday ?? '') &&
    Boolean(s.opens_at && s.closes_at) &&
    !s.valid_from &&
    !s.valid_to
  )
}

export function weeklyTime(day: string, opens: string, closes: string): string {
  return `${day} ${opens}-${closes}`
}

export function parseWeeklyTime(value: string): { day: string; opens: string; closes: string } | null {
  const m = WEEKLY.exec(value)
  return m ? { day: m[1]!, opens: m[2]!, closes: m[3]! } : null
}

export function fieldsOf(service: ServiceRecord): ListingFields {
  return {
    name: service.name,
    description: service.description,
    url: service.url,
    email: service.email,
    eligibility_description: service.eligibility.description,
    minimum_age: service.eligibility.minimum_age,
    maximum_age: service.eligibility.maximum_age,
    accepts_referrals: service.referral.accepts_referrals,
    referral_instructions: service.referral.referral_instructions,
    weekly_times: service.schedules
      .filter(isEditableTime)
      .map((s) => weeklyTime(s.byday!, s.opens_at!.slice(0, 5), s.closes_at!.slice(0, 5))),
  }
}

/** Times a VCO cannot edit in the form (monthly, dated, described in words): kept, and listed on the form. */
export function otherTimes(service: ServiceRecord): string[] {
  return service.schedules.filter((s) => !isEditableTime(s)).map(describeSchedule)
}

/**
 * The $set that makes the service show `fields`, with dotted paths so capacity and everything else stay untouched.
 * Existing editable times are reused in order (keeping their location); extra ones take the first location.
 */
export function patchFor(service: ServiceRecord, fields: ListingFields, newId: () => string): Record<string, unknown> {
  const editable = service.schedules.filter(isEditableTime)
  const kept = service.schedules.filter((s) => !isEditableTime(s))
  const defaultLocation = service.service_at_locations[0]?.location_id ?? null
  const weekly: Schedule[] = fields.weekly_times.flatMap((value, i) => {
    const t = parseWeeklyTime(value)
    if (!t) return []
    const base = editable[i]
    return [
      {
        id: base?.id ?? newId(),
        location_id: base ? base.location_id : defaultLocation,
        freq: 'WEEKLY' as const,
        interval: 1,
        byday: t.day,
        bymonthday: null,
        opens_at: t.opens,
        closes_at: t.closes,
        valid_from: null,
        valid_to: null,
        description: base?.description ?? null,
        attending_type: base?.attending_type ?? null,
        notes: base?.notes ?? null,
      },
    ]
  })
  return {
    name: fields.name,
    description: fields.description,
    url: fields.url,
    email: fields.email,
    'eligibility.description': fields.eligibility_description,
    'eligibility.minimum_age': fields.minimum_age,
    'eligibility.maximum_age': fields.maximum_age,
    'referral.accepts_referrals': fields.accepts_referrals,
    'referral.referral_instructions': fields.referral_instructions,
    schedules: [...weekly, ...kept],
  }
}

export const FIELD_LABELS: Record<keyof ListingFields, string> = {
  name: 'Name',
  description: 'Description',
  url: 'Website',
  email: 'Email address',
  eligibility_description: 'Who it is for',
  minimum_age: 'Minimum age',
  maximum_age: 'Maximum age',
  accepts_referrals: 'Takes referrals from link workers',
  referral_instructions: 'How to refer',
  weekly_times: 'Weekly opening times',
}

export function formatField(key: keyof ListingFields, value: ListingFields[keyof ListingFields]): string {
  if (value === null || value === undefined || value === '') return 'Not given'
  if (key === 'accepts_referrals') return value ? 'Yes' : 'No (signpost only)'
  if (key === 'weekly_times') {
    const times = value as string[]
    if (times.length === 0) return 'None'
    return times
      .map((v) => {
        const t = parseWeeklyTime(v)
        return t ? `${SCHEDULE_DAY_NAMES[t.day]} ${t.opens} to ${t.closes}` : v
      })
      .join('; ')
  }
  return String(value)
}

export interface FieldDifference {
  field: keyof ListingFields
  label: string
  before: string
  after: string
}

/** The fields whose shown value differs, in form order. */
export function diffFields(before: ListingFields, after: ListingFields): FieldDifference[] {
  return (Object.keys(FIELD_LABELS) as (keyof ListingFields)[]).flatMap((field) => {
    const a = formatField(field, before[field])
    const b = formatField(field, after[field])
    return a === b ? [] : [{ field, label: FIELD_LABELS[field], before: a, after: b }]
  })
}
