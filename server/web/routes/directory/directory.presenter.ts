// Shapes directory results for the pages: plain words for times, costs, distance, capacity and freshness.
import type { CostOption, ServiceView } from '../../../domain/directory-records'
import type { FacetName, SearchDocument } from '../../../data/search/search-index'
import { STALE_AFTER_DAYS } from '../../../domain/directory-vocabulary'
import { NEEDS_TAXONOMY_NAME, type TaxonomyTerm } from '../../../data/taxonomy'
import {
  ACCESS_ROUTE_LABELS,
  ACCESSIBILITY_FEATURES,
  CAPACITY_LABELS,
  DAY_LABELS,
  DELIVERY_MODE_LABELS,
  LANGUAGE_NAMES,
  STATUS_LABELS,
  TIME_OF_DAY_LABELS,
} from '../../../data/vocabulary'
import { paths, pathFor } from '../../../paths'
import { describeSchedule, formatTime, nextOpening, type ScheduleRule } from '../../../services/schedule'
import { formatDate } from '../../view-helpers/format-date'

const CAPACITY_TAG: Record<string, string> = {
  open: 'nhsuk-tag--green',
  waitlist: 'nhsuk-tag--yellow',
  full: 'nhsuk-tag--red',
  paused: 'nhsuk-tag--grey',
}

const longDate = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' })

/**
 * f(key), remembered: a results page formats the same few dates again and again (Intl formatting showed in the search
 * page's profile). Emptied when it reaches `limit` keys, so it stays small.
 */
function remembered(f: (key: string) => string, limit = 2000): (key: string) => string {
  const known = new Map<string, string>()
  return (key) => {
    let value = known.get(key)
    if (value === undefined) {
      if (known.size >= limit) known.clear()
      value = f(key)
      known.set(key, value)
    }
    return value
  }
}

/** YYYY-MM-DD → "Tuesday 4 March". */
const dayName = remembered((date) => longDate.format(new Date(`${date}T00:00:00Z`)))
/** An ISO instant → "4 March 2026" in UK time, as {{formatDate}} writes it. */
const checkedOn = remembered((iso) => formatDate(iso))

export function describeCost(options: readonly Pick<CostOption, 'option' | 'amount'>[]): string {
  if (options.length === 0) return 'Ask about cost'
  if (options.some((o) => o.amount === 0) && options.every((o) => o.amount === 0)) return 'Free'
  const parts = options.map((o) => {
    if (o.amount === 0) return 'Free'
    const amount = o.amount === null ? '' : `£${o.amount % 1 === 0 ? o.amount : o.amount.toFixed(2)} `
    return `${amount}${o.option.toLowerCase()}`.trim()
  })
  return [...new Set(parts)].join(', ')
}

export function describeDistance(miles: number | null): string | null {
  if (miles === null) return null
  if (miles < 0.1) return 'Less than 0.1 miles away'
  return `${miles < 10 ? miles.toFixed(1) : Math.round(miles)} miles away`
}

function describeNextOpening(status: string, schedules: readonly ScheduleRule[], now: Date): string | null {
  if (status !== 'active') return null
  const next = nextOpening(schedules, now)
  if (!next) return null
  const day = dayName(next.date)
  return next.opensAt ? `${day}, ${formatTime(next.opensAt)}` : day
}

/** How a listing was checked, for the public (never who: assurer emails are not shown). */
export const ASSURER_METHOD_LABELS: Record<string, string> = {
  vco_confirmed: 'the organisation',
  link_worker_visited: 'a link worker who visited',
  curator_phoned: 'the directory team, by phone',
  curator_reviewed: 'the directory team',
}

export function isStale(assured: Date | null, now: Date): boolean {
  return !assured || now.getTime() - assured.getTime() > STALE_AFTER_DAYS * 86_400_000
}

/**
 * A card's next opening, kept with its document for the rest of the minute: it depends only on the document and on the
 * UK date and minute, and the search index hands back the same document object while a listing is unchanged.
 */
const nextOpenings = new WeakMap<SearchDocument, { minute: number; text: string | null }>()

function cardNextOpening(doc: SearchDocument, now: Date): string | null {
  const minute = Math.floor(now.getTime() / 60_000)
  const known = nextOpenings.get(doc)
  if (known?.minute === minute) return known.text
  const schedules = doc.card.schedules.map((rule) => ({
    ...rule,
    valid_from: rule.valid_from ? new Date(rule.valid_from) : null,
    valid_to: rule.valid_to ? new Date(rule.valid_to) : null,
  }))
  const text = describeNextOpening(doc.status, schedules, now)
  nextOpenings.set(doc, { minute, text })
  return text
}

/** A result card, drawn from the search index's document alone. */
export function presentResult(
  hit: { document: SearchDocument; distanceMiles: number | null; stale: boolean },
  now: Date,
) {
  const doc = hit.document
  return {
    id: doc.id,
    href: pathFor(paths.service, { id: doc.id }),
    name: doc.name,
    organizationName: doc.organizationName,
    summary: doc.card.summary,
    distance: describeDistance(hit.distanceMiles),
    nextOpening: cardNextOpening(doc, now),
    cost: describeCost(doc.card.costOptions),
    capacity: { label: CAPACITY_LABELS[doc.capacity], tag: CAPACITY_TAG[doc.capacity] },
    temporarilyClosed: doc.status === 'temporarily closed',
    crisis: doc.crisis,
    signpostOnly: !doc.acceptsReferrals,
    lastChecked: doc.assuredDate ? checkedOn(doc.assuredDate) : 'Never',
    stale: hit.stale,
  }
}

export function presentService(view: ServiceView, taxonomy: readonly TaxonomyTerm[], now: Date) {
  const { service, organization, locations } = view
  const byId = new Map(taxonomy.map((t) => [t.id, t]))
  const terms = service.taxonomy_term_ids.map((id) => byId.get(id)).filter((t): t is TaxonomyTerm => Boolean(t))
  const eligibility = service.eligibility
  const ages =
    eligibility.minimum_age !== null && eligibility.maximum_age !== null
      ? `Aged ${eligibility.minimum_age} to ${eligibility.maximum_age}`
      : eligibility.minimum_age !== null
        ? `Aged ${eligibility.minimum_age} and over`
        : eligibility.maximum_age !== null
          ? `Aged ${eligibility.maximum_age} and under`
          : null
  return {
    id: service.id,
    name: service.name,
    organization: { name: organization.name, website: organization.website, description: organization.description },
    description: service.description,
    alert: service.alert,
    status: STATUS_LABELS[service.status],
    temporarilyClosed: service.status === 'temporarily closed',
    crisis: terms.some((t) => t.crisis),
    needs: terms.map((t) => t.name),
    nextOpening: describeNextOpening(service.status, service.schedules, now),
    schedules: service.schedules.map((s) => ({
      text: describeSchedule(s),
      notes: s.notes,
      where: s.location_id ? locations.find((l) => l.id === s.location_id)?.name : null,
    })),
    cost: describeCost(service.cost_options),
    costDetails: service.cost_options.map((c) => c.amount_description).filter(Boolean),
    deliveryModes: service.delivery_modes.map((m) => DELIVERY_MODE_LABELS[m]),
    locations: locations.map((l) => {
      const address = l.addresses[0]
      const lines = address
        ? [address.address_1, address.address_2, address.city, address.postal_code].filter((x): x is string =>
            Boolean(x),
          )
        : []
      return {
        name: l.name,
        lines,
        mapUrl:
          l.latitude !== null && l.longitude !== null
            ? `https://www.openstreetmap.org/?mlat=${l.latitude}&mlon=${l.longitude}#map=17/${l.latitude}/${l.longitude}`
            : null,
        accessibility: l.accessibility.map((a) => ACCESSIBILITY_FEATURES[a.code] ?? a.description),
      }
    }),
    eligibility: {
      description: eligibility.description,
      ages,
      catchment: eligibility.catchment_description,
      exclusions: eligibility.exclusions,
    },
    languages: service.languages.map((l) => LANGUAGE_NAMES[l.code] ?? l.name),
    access: {
      routes: service.referral.access_routes.map((r) => ACCESS_ROUTE_LABELS[r]),
      instructions: service.referral.referral_instructions,
      acceptsReferrals: service.referral.accepts_referrals,
      responseDays: service.referral.response_days,
    },
    capacity: {
      label: CAPACITY_LABELS[service.referral.capacity],
      tag: CAPACITY_TAG[service.referral.capacity],
      setAt: service.referral.capacity_set_at,
      note: service.referral.capacity_note,
      reopensOn: service.referral.capacity_reopens_on ?? null,
    },
    contacts: service.contacts,
    email: service.email,
    url: service.url,
    assuredDate: service.assured_date,
    stale: isStale(service.assured_date, now) || Boolean(service.freshness?.escalated_at),
    notRecentlyChecked: Boolean(service.freshness?.escalated_at),
    checkedHow: service.assurer_method ? ASSURER_METHOD_LABELS[service.assurer_method] : null,
    areas: service.service_areas.map((a) => a.name),
  }
}

export interface FilterOption {
  value: string
  label: string
  count: number
  checked: boolean
}

/** Each vocabulary's [value, label] pairs, listed once rather than on every results page. */
const entriesOf = new WeakMap<Readonly<Record<string, string>>, readonly (readonly [string, string])[]>()

function options(
  labels: Readonly<Record<string, string>>,
  facet: Record<string, number> | undefined,
  chosen: readonly string[],
  keepEmpty: boolean,
): FilterOption[] {
  let entries = entriesOf.get(labels)
  if (!entries) entriesOf.set(labels, (entries = Object.entries(labels)))
  const result: FilterOption[] = []
  for (const [value, label] of entries) {
    const count = (facet && Object.hasOwn(facet, value) ? facet[value] : undefined) ?? 0
    const checked = chosen.length > 0 && chosen.includes(value)
    if (keepEmpty || count > 0 || checked) result.push({ value, label, count, checked })
  }
  return result
}

export interface ChosenFilters {
  need: string[]
  day: string[]
  time: string[]
  mode: string[]
  route: string[]
  capacity: string[]
  language: string[]
  access: string[]
}

/** The need groups of a list of terms, worked out once per list (the directory service keeps one list a while). */
const needGroupsCache = new WeakMap<
  readonly TaxonomyTerm[],
  { label: string; options: { value: string; label: string }[] }[]
>()

function needGroupsOf(taxonomy: readonly TaxonomyTerm[]) {
  let groups = needGroupsCache.get(taxonomy)
  if (!groups) {
    // Only our needs: terms imported from other taxonomies and not mapped onto ours are kept, but are not needs.
    const parents = taxonomy.filter((t) => t.parentCode === null && t.taxonomy === NEEDS_TAXONOMY_NAME)
    groups = parents.map((parent) => ({
      label: parent.name,
      options: [parent, ...taxonomy.filter((t) => t.parentCode === parent.code)].map((t) => ({
        value: t.code,
        label: t.code === parent.code ? `All ${parent.name.toLowerCase()}` : t.name,
      })),
    }))
    needGroupsCache.set(taxonomy, groups)
  }
  return groups
}

export function presentFilters(
  facets: Partial<Record<FacetName, Record<string, number>>>,
  chosen: ChosenFilters,
  taxonomy: readonly TaxonomyTerm[],
) {
  const needCounts = facets.needs ?? {}
  return {
    needGroups: needGroupsOf(taxonomy).map((group) => ({
      label: group.label,
      options: group.options.map(({ value, label }) => ({
        value,
        label,
        count: (Object.hasOwn(needCounts, value) ? needCounts[value] : undefined) ?? 0,
        selected: chosen.need.includes(value),
      })),
    })),
    days: options(DAY_LABELS, facets.days, chosen.day, true),
    times: options(TIME_OF_DAY_LABELS, facets.timesOfDay, chosen.time, true),
    modes: options(DELIVERY_MODE_LABELS, facets.deliveryModes, chosen.mode, true),
    routes: options(ACCESS_ROUTE_LABELS, facets.accessRoutes, chosen.route, true),
    capacities: options(CAPACITY_LABELS, facets.capacity, chosen.capacity, true),
    languages: options(LANGUAGE_NAMES, facets.languages, chosen.language, false),
    accessibility: options(ACCESSIBILITY_FEATURES, facets.accessibility, chosen.access, false),
    freeCount: facets.free?.true ?? 0,
    referralsCount: facets.acceptsReferrals?.true ?? 0,
  }
}
