// Maps a service, its organisation, its locations and the taxonomy to the flat SearchDocument the index stores.
import type { LocationRecord, OrganizationRecord, Schedule, ServiceRecord } from '../../domain/directory-records'
import { withAncestors, type TaxonomyTerm } from '../taxonomy'
import { type SearchDocument } from './search-index'
import { DAYS, type Day, type TimeOfDay } from '../../domain/directory-vocabulary'

const ICAL_DAYS: Record<string, Day> = { MO: 'mon', TU: 'tue', WE: 'wed', TH: 'thu', FR: 'fri', SA: 'sat', SU: 'sun' }

/** "MO,WE" or "1SA,-1SU" → ['mon', 'wed'] / ['sat', 'sun']. Unknown parts are ignored. */
export function parseByDay(byday: string | null | undefined): Day[] {
  if (!byday) return []
  const days = byday
    .split(',')
    .map(
      (part) =>
        ICAL_DAYS[
          part
            .trim()
            .toUpperCase()
            .replace(/^[+-]?\d+/, '')
        ],
    )
    .filter((d): d is Day => Boolean(d))
  return DAYS.filter((d) => days.includes(d))
}

function minutes(time: string | null | undefined): number | null {
  const m = /^(\d{1,2}):(\d{2})/.exec(time ?? '')
  return m ? Number(m[1]) * 60 + Number(m[2]) : null
}

/** morning: starts before 12:00; afternoon: any time between 12:00 and 17:00; evening: runs past 17:00. */
export function timesOfDay(schedule: Pick<Schedule, 'opens_at' | 'closes_at'>): TimeOfDay[] {
  const opens = minutes(schedule.opens_at)
  if (opens === null) return []
  const closes = minutes(schedule.closes_at) ?? opens
  const out: TimeOfDay[] = []
  if (opens < 12 * 60) out.push('morning')
  if (opens < 17 * 60 && closes > 12 * 60) out.push('afternoon')
  if (closes > 17 * 60 || opens >= 17 * 60) out.push('evening')
  return out
}

function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)]
}

interface TaxonomyLookups {
  byId: Map<string, TaxonomyTerm>
  byCode: Map<string, TaxonomyTerm>
  ancestors: (code: string) => string[]
}

/** Made once per taxonomy list: a rebuild maps every service against the same list. */
const lookupsOf = new WeakMap<readonly TaxonomyTerm[], TaxonomyLookups>()

function lookups(taxonomy: readonly TaxonomyTerm[]): TaxonomyLookups {
  let found = lookupsOf.get(taxonomy)
  if (!found) {
    const chains = new Map<string, string[]>()
    found = {
      byId: new Map(taxonomy.map((t) => [t.id, t])),
      byCode: new Map(taxonomy.map((t) => [t.code, t])),
      ancestors: (code) => {
        let chain = chains.get(code)
        if (!chain) chains.set(code, (chain = withAncestors(code, taxonomy)))
        return chain
      },
    }
    lookupsOf.set(taxonomy, found)
  }
  return found
}

export function toSearchDocument(
  service: ServiceRecord,
  organization: Pick<OrganizationRecord, 'name'>,
  locations: readonly LocationRecord[],
  taxonomy: readonly TaxonomyTerm[],
): SearchDocument {
  const { byId, byCode, ancestors } = lookups(taxonomy)
  const ownCodes = service.taxonomy_term_ids.map((id) => byId.get(id)?.code).filter((c): c is string => Boolean(c))
  const needs = unique(ownCodes.flatMap((code) => ancestors(code)))
  const regular = service.schedules.filter((s) => s.freq !== null)
  const located = locations.find((l) => l.latitude !== null && l.longitude !== null)
  const days = unique(regular.flatMap((s) => parseByDay(s.byday)))

  return {
    id: service.id,
    name: service.name,
    organizationName: organization.name,
    description: service.description,
    keywords: unique(
      [...ownCodes.map((c) => byCode.get(c)?.name), service.alternate_name, ...service.keywords].filter(
        (k): k is string => Boolean(k),
      ),
    ),
    needs,
    deliveryModes: unique(service.delivery_modes),
    free: service.cost_options.some((c) => c.amount === 0),
    days: DAYS.filter((d) => days.includes(d)),
    timesOfDay: (['morning', 'afternoon', 'evening'] as const).filter((t) =>
      regular.some((s) => timesOfDay(s).includes(t)),
    ),
    ageMin: service.eligibility.minimum_age ?? null,
    ageMax: service.eligibility.maximum_age ?? null,
    languages: unique(service.languages.map((l) => l.code.toLowerCase())),
    accessibility: unique(locations.flatMap((l) => l.accessibility.map((a) => a.code))),
    accessRoutes: unique(service.referral.access_routes),
    acceptsReferrals: service.referral.accepts_referrals,
    capacity: service.referral.capacity,
    status: service.status,
    crisis: needs.some((code) => byCode.get(code)?.crisis),
    geo: located ? { lat: located.latitude as number, lon: located.longitude as number } : null,
    assuredDate: service.assured_date ? new Date(service.assured_date).toISOString() : null,
    // Unanswered freshness reminders: ranked and shown as not recently checked, like a listing unchecked for a year.
    ...(service.freshness?.escalated_at ? { freshnessFlagged: true } : {}),
    card: {
      summary: summarise(service.description),
      costOptions: service.cost_options.map((c) => ({ option: c.option, amount: c.amount })),
      schedules: regular.map((s) => ({
        freq: s.freq,
        byday: s.byday,
        opens_at: s.opens_at,
        closes_at: s.closes_at,
        valid_from: s.valid_from ? new Date(s.valid_from).toISOString() : null,
        valid_to: s.valid_to ? new Date(s.valid_to).toISOString() : null,
      })),
    },
  }
}

/** The first part of a description, cut at a word, for a result card. */
export function summarise(text: string, max = 220): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max)
  return `${cut.slice(0, cut.lastIndexOf(' '))}…`
}
