// Builds the demo directory (the London Borough of Barnet) and synthetic directories of any size, deterministically
// from a seed, out of the hand-written blocks in blocks.json (loaded by blocks.ts). Pure: nothing here touches the
// database.
import type {
  CostOption,
  LocationRecord,
  OrganizationRecord,
  Schedule,
  ServiceRecord,
} from '../../domain/directory-records'
import { nameUuid } from '../../domain/ids'
import { SCHEDULE_DAYS, SCHEDULE_DAY_NAMES, type Capacity, type ServiceStatus } from '../../domain/directory-vocabulary'
import { termId } from '../taxonomy'
import { ACCESSIBILITY_FEATURES, LANGUAGE_NAMES } from '../vocabulary'
import {
  BOROUGH,
  COMMUNITY_LANGUAGE_SERVICES,
  ORGANIZATIONS,
  TEMPLATES,
  VENUES,
  type OrganizationBlock,
  type ServiceTemplate,
  type Venue,
} from './blocks'
import { createRandom, type Random } from './prng'

const DAY_MS = 86_400_000
const EXTRA_LANGUAGES = [
  'pl',
  'ro',
  'gu',
  'ta',
  'ar',
  'fa',
  'tr',
  'el',
  'zh',
  'so',
  'pt',
  'bg',
  'sq',
  'ur',
  'pa',
  'hi',
  'he',
]

export interface Directory {
  organizations: OrganizationRecord[]
  locations: LocationRecord[]
  services: ServiceRecord[]
}

interface Ctx {
  rnd: Random
  now: Date
  origin: 'demo' | 'synthetic'
  id: (kind: string) => string
}

const pad = (n: number) => String(n).padStart(2, '0')
const hhmm = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`

function schedules(ctx: Ctx, kind: ServiceTemplate['schedule'], locationId: string | null): Schedule[] {
  const { rnd } = ctx
  const base = {
    location_id: locationId,
    interval: 1,
    bymonthday: null,
    valid_from: null,
    valid_to: null,
    attending_type: null,
    notes: null,
  }
  const weekly = (days: string[], opens: number, length: number): Schedule => ({
    ...base,
    id: ctx.id('schedule'),
    freq: 'WEEKLY',
    byday: days.join(','),
    opens_at: hhmm(opens),
    closes_at: hhmm(opens + length),
    description: `Every ${days.map((d) => SCHEDULE_DAY_NAMES[d]).join(' and ')}, ${hhmm(opens)} to ${hhmm(opens + length)}`,
  })
  switch (kind ?? 'weekly') {
    case 'weekly':
      return [weekly([rnd.pick(SCHEDULE_DAYS)], rnd.pick([600, 630, 660, 780, 840]), rnd.pick([60, 90, 120]))]
    case 'weekly-evening':
      return [weekly([rnd.pick(SCHEDULE_DAYS.slice(0, 5))], rnd.pick([1080, 1110, 1140]), rnd.pick([90, 120]))]
    case 'twice-weekly': {
      const days = rnd
        .sample(SCHEDULE_DAYS.slice(0, 6), 2)
        .sort((a, b) => SCHEDULE_DAYS.indexOf(a) - SCHEDULE_DAYS.indexOf(b))
      return [weekly(days, rnd.pick([570, 600, 780]), rnd.pick([120, 180]))]
    }
    case 'weekdays':
      return [weekly(['MO', 'TU', 'WE', 'TH', 'FR'], rnd.pick([540, 570]), rnd.pick([420, 450]))]
    case 'monthly': {
      const day = rnd.pick(SCHEDULE_DAYS.slice(0, 6))
      const nth = rnd.int(1, 3)
      const opens = rnd.pick([600, 840, 1110])
      const ordinal = ['first', 'second', 'third'][nth - 1]
      return [
        {
          ...base,
          id: ctx.id('schedule'),
          freq: 'MONTHLY',
          byday: `${nth}${day}`,
          opens_at: hhmm(opens),
          closes_at: hhmm(opens + 120),
          description: `The ${ordinal} ${SCHEDULE_DAY_NAMES[day]} of every month, ${hhmm(opens)} to ${hhmm(opens + 120)}`,
        },
      ]
    }
    case 'appointment':
      return [
        {
          ...base,
          id: ctx.id('schedule'),
          freq: null,
          interval: null,
          byday: null,
          opens_at: null,
          closes_at: null,
          description: 'By appointment, Monday to Friday. We will arrange a time that suits you.',
        },
      ]
    case 'always':
      return [{ ...weekly([...SCHEDULE_DAYS], 0, 1439), description: '24 hours a day, every day' }]
  }
}

/** A hand-written listing's weekly session, on one day between two times. */
function weeklyAt(
  ctx: Ctx,
  locationId: string,
  byday: string,
  [opens, closes]: [string, string],
  description: string,
  { notes = null }: { notes?: string | null } = {},
): Schedule {
  return {
    id: ctx.id('schedule'),
    location_id: locationId,
    freq: 'WEEKLY',
    interval: 1,
    byday,
    bymonthday: null,
    opens_at: opens,
    closes_at: closes,
    valid_from: null,
    valid_to: null,
    description,
    attending_type: null,
    notes,
  }
}

function costs(ctx: Ctx, kind: ServiceTemplate['cost']): CostOption[] {
  const { rnd } = ctx
  const resolved = kind === 'any' || !kind ? rnd.pick(['free', 'free', 'fee', 'donation', 'mixed'] as const) : kind
  const free = (description: string | null = null): CostOption => ({
    id: ctx.id('cost'),
    option: 'Free',
    amount: 0,
    currency: 'GBP',
    amount_description: description,
  })
  const fee = (amount: number, option = 'Per session'): CostOption => ({
    id: ctx.id('cost'),
    option,
    amount,
    currency: 'GBP',
    amount_description: `£${amount.toFixed(2)} ${option.toLowerCase()}`,
  })
  switch (resolved) {
    case 'free':
      return [free()]
    case 'donation':
      return [free('Free; donations welcome')]
    case 'fee':
      return [fee(rnd.pick([2, 3, 3.5, 4, 5, 6, 8]))]
    case 'mixed':
      return [free('Free for people on means-tested benefits'), fee(rnd.pick([3, 4, 5, 10]), 'Standard fee')]
    case 'membership':
      return [fee(rnd.pick([3.5, 4, 5]), 'Weekly membership')]
  }
}

// How often a listing that is not a crisis line has each status and capacity: a roll from 0 to 1 takes the value of
// the first band it falls below, or the last value above them all.
/** 6% temporarily closed, 2% inactive, the rest active. */
const STATUS_ODDS: readonly [below: number, ServiceStatus][] = [
  [0.06, 'temporarily closed'],
  [0.08, 'inactive'],
]
/** 66% open, 16% on a waiting list, 9% full, the rest paused. */
const CAPACITY_ODDS: readonly [below: number, Capacity][] = [
  [0.66, 'open'],
  [0.82, 'waitlist'],
  [0.91, 'full'],
]

function byRoll<T>(roll: number, bands: readonly [below: number, T][], otherwise: T): T {
  return bands.find(([below]) => roll < below)?.[1] ?? otherwise
}

function fill(text: string, venue: Venue): string {
  return text.replaceAll('{area}', venue.area).replaceAll('{venue}', venue.name.replace(/ \(.*\)$/, ''))
}

function service(
  ctx: Ctx,
  t: ServiceTemplate,
  id: string,
  org: OrganizationRecord,
  venue: Venue,
  locationId: string,
  name: string,
): ServiceRecord {
  const { rnd, now } = ctx
  const routes = t.access ?? ['self_referral']
  // A few listings are signpost-only: link workers point people there but cannot send an e-referral.
  const acceptsReferrals = t.referrals ?? rnd.chance(routes.includes('professional_referral') ? 0.97 : 0.9)
  const crisis = t.need.includes('crisis')
  const statusRoll = rnd.next()
  const status: ServiceStatus = crisis ? 'active' : byRoll(statusRoll, STATUS_ODDS, 'active')
  const stale = !crisis && rnd.chance(0.14)
  const assuredDaysAgo = stale ? rnd.int(380, 900) : rnd.int(3, 300)
  const capacityRoll = rnd.next()
  const capacity: Capacity = crisis ? 'open' : byRoll(capacityRoll, CAPACITY_ODDS, 'paused')
  const modes = t.modes ?? ['in_person']
  const physical = modes.includes('in_person')
  const languages = [
    'en',
    ...(t.languages ?? []),
    ...(rnd.chance(0.2) ? rnd.sample(EXTRA_LANGUAGES, rnd.int(1, 2)) : []),
  ]
  const areaType = t.area ?? 'local'
  const slug = org.name.toLowerCase().replace(/[^a-z]+/g, '')
  return {
    id,
    organization_id: org.id,
    name,
    alternate_name: null,
    description: fill(t.description, venue),
    url: `https://www.example.org/${slug}`,
    email: `hello@${slug}.example.org`,
    status,
    assured_date: new Date(now.getTime() - assuredDaysAgo * DAY_MS),
    assurer_email: 'directory.team@loopwell.example.org',
    alert:
      status === 'temporarily closed'
        ? rnd.pick([
            'Closed while the hall is refurbished; reopening soon.',
            'Paused over the summer holidays.',
            'Closed until we recruit new volunteers.',
          ])
        : null,
    delivery_modes: [...modes],
    taxonomy_term_ids: [t.need, ...(t.extraNeeds ?? [])].map(termId),
    keywords: [...t.keywords],
    schedules: schedules(ctx, t.schedule, physical ? locationId : null),
    cost_options: costs(ctx, t.cost),
    eligibility: {
      description:
        t.who ??
        (t.ageMin && t.ageMin >= 50
          ? `People aged ${t.ageMin} and over`
          : t.ageMax
            ? `Aged ${t.ageMin ?? 0} to ${t.ageMax}`
            : 'Anyone who could benefit'),
      minimum_age: t.ageMin ?? null,
      maximum_age: t.ageMax ?? null,
      catchment:
        areaType === 'national' ? 'none' : rnd.pick(['none', 'resident', 'resident', 'gp_registered'] as const),
      catchment_description:
        areaType === 'national' ? null : `Lives in or registered with a GP practice in ${BOROUGH.name}`,
      exclusions: rnd.chance(0.1) ? 'Not suitable for people who need personal care during the session.' : null,
    },
    languages: [...new Set(languages)].map((code) => ({
      id: ctx.id('language'),
      code,
      name: LANGUAGE_NAMES[code] ?? code,
      note: null,
    })),
    contacts: [
      {
        id: ctx.id('contact'),
        name: null,
        title: rnd.pick(['Service coordinator', 'Volunteer coordinator', 'Group leader', 'Duty adviser']),
        email: `hello@${slug}.example.org`,
        phones: [
          {
            id: ctx.id('phone'),
            number: `020 7946 0${String(rnd.int(0, 999)).padStart(3, '0')}`,
            type: 'voice',
            description: null,
          },
        ],
      },
    ],
    service_areas: [
      {
        id: ctx.id('area'),
        name:
          areaType === 'national'
            ? 'England'
            : areaType === 'borough'
              ? `London Borough of ${BOROUGH.name}`
              : venue.area,
        area_type: areaType,
        description: null,
      },
    ],
    service_at_locations: physical ? [{ id: ctx.id('sal'), location_id: locationId, description: null }] : [],
    referral: {
      access_routes: [...routes],
      accepts_referrals: acceptsReferrals,
      referral_instructions: acceptsReferrals
        ? 'Send an e-referral through Loopwell; we reply within the promised time.'
        : 'Signpost only: the person contacts the service themselves.',
      response_days: acceptsReferrals ? rnd.pick([1, 2, 3, 5]) : null,
      capacity,
      capacity_set_at: new Date(now.getTime() - rnd.int(0, 90) * DAY_MS),
      capacity_note: capacity === 'waitlist' ? `About ${rnd.int(2, 8)} weeks' wait` : null,
    },
    review_status: 'approved',
    origin: ctx.origin,
    created_at: new Date(now.getTime() - (assuredDaysAgo + rnd.int(10, 400)) * DAY_MS),
    updated_at: new Date(now.getTime() - assuredDaysAgo * DAY_MS),
  }
}

function organization(
  block: OrganizationBlock,
  id: string,
  origin: Ctx['origin'],
  now: Date,
  name = block.name,
): OrganizationRecord {
  const slug = block.name.toLowerCase().replace(/[^a-z]+/g, '')
  return {
    id,
    name,
    alternate_name: null,
    description: block.description,
    email: `hello@${slug}.example.org`,
    website: `https://www.example.org/${slug}`,
    phones: [],
    organization_identifiers: block.charity
      ? [
          {
            id: nameUuid(`${id}:charity`),
            identifier_scheme: 'GB-CHC',
            identifier_type: 'Registered charity number',
            identifier: block.charity,
          },
        ]
      : [],
    review_status: 'approved',
    origin,
    created_at: now,
    updated_at: now,
  }
}

function location(
  venue: Venue,
  id: string,
  origin: Ctx['origin'],
  now: Date,
  jitter?: { lat: number; lon: number },
): LocationRecord {
  return {
    id,
    organization_id: null,
    location_type: 'physical',
    name: venue.name,
    description: null,
    latitude: Math.round((venue.lat + (jitter?.lat ?? 0)) * 1e5) / 1e5,
    longitude: Math.round((venue.lon + (jitter?.lon ?? 0)) * 1e5) / 1e5,
    addresses: [
      {
        id: nameUuid(`${id}:address`),
        address_1: venue.address_1,
        address_2: null,
        city: 'London',
        region: venue.area,
        state_province: BOROUGH.council,
        postal_code: venue.postcode,
        country: 'GB',
        address_type: 'physical',
      },
    ],
    accessibility: venue.accessibility.map((code) => ({
      id: nameUuid(`${id}:accessibility:${code}`),
      code,
      description: ACCESSIBILITY_FEATURES[code] ?? code,
    })),
    origin,
    created_at: now,
    updated_at: now,
  }
}

export const DEMO_SEED = 20240501

/** Fixed ids of demo listings that answer the navigator searches in the README. */
export const DEMO_ANCHORS = {
  walkingGroup: nameUuid('demo:service:sunny-hill-saturday-health-walk'),
  punjabiBefriending: nameUuid('demo:service:sangat-befriending'),
  mensShed: nameUuid('demo:service:hendon-mens-shed'),
  /** A postcode in the table for the walking-group search: Hendon Town Hall, about 0.5 km from Sunny Hill Park. */
  walkingPostcode: 'NW4 4BG',
} as const

/** The demo directory: about 230 services across every need, in the London Borough of Barnet. */
export function buildDemoDirectory(options: { now: Date; services?: number }): Directory {
  const rnd = createRandom(DEMO_SEED)
  const counters = new Map<string, number>()
  const ctx: Ctx = {
    rnd,
    now: options.now,
    origin: 'demo',
    id: (kind) => {
      const n = (counters.get(kind) ?? 0) + 1
      counters.set(kind, n)
      return nameUuid(`demo:${kind}:${n}`)
    },
  }
  const orgs = new Map(
    ORGANIZATIONS.map((b) => [b.key, organization(b, nameUuid(`demo:organization:${b.key}`), 'demo', options.now)]),
  )
  const locs = new Map(VENUES.map((v) => [v.key, location(v, nameUuid(`demo:location:${v.key}`), 'demo', options.now)]))
  const venue = (key: string) => VENUES.find((v) => v.key === key) as Venue
  const loc = (key: string) => locs.get(key) as LocationRecord
  /** A listing from a template, run by the template's organisation at one venue. */
  const listing = (t: ServiceTemplate, id: string, venueKey: string, name: string) =>
    service(ctx, t, id, orgs.get(t.org) as OrganizationRecord, venue(venueKey), loc(venueKey).id, name)

  const services: ServiceRecord[] = []
  const names = new Set<string>()

  // Hand-written anchors that the README's navigator searches find.
  const walk = listing(
    TEMPLATES.find((t) => t.name === '{venue} Health Walk') as ServiceTemplate,
    DEMO_ANCHORS.walkingGroup,
    'sunny-hill-park',
    'Sunny Hill Park Saturday Health Walk',
  )
  walk.description =
    'A free, friendly 60-minute health walk around Sunny Hill Park every Saturday morning, led by trained volunteers at a gentle pace with views across Hendon. Meet at the Greyhound Hill gate; no need to book.'
  walk.schedules = [
    weeklyAt(ctx, loc('sunny-hill-park').id, 'SA', ['10:00', '11:00'], 'Every Saturday, 10:00 to 11:00', {
      notes: 'Not on Christmas or New Year weekends',
    }),
  ]
  walk.cost_options = [{ id: ctx.id('cost'), option: 'Free', amount: 0, currency: 'GBP', amount_description: null }]
  Object.assign(walk, { status: 'active', assured_date: new Date(options.now.getTime() - 20 * DAY_MS) })
  walk.referral = { ...walk.referral, capacity: 'open', access_routes: ['open_access'], accepts_referrals: true }

  const sangat = listing(
    {
      need: 'befriending',
      extraNeeds: ['loneliness-isolation'],
      org: 'asian-elders',
      name: '',
      description: '',
      keywords: [],
      modes: ['home_visit', 'phone', 'in_person'],
      cost: 'free',
      schedule: 'weekly',
      access: ['self_referral', 'professional_referral'],
      ageMin: 60,
      languages: ['pa', 'ur', 'hi'],
      area: 'borough',
    },
    DEMO_ANCHORS.punjabiBefriending,
    'watling-hub',
    'Sangat Befriending – Punjabi-speaking befriending for older men',
  )
  sangat.description =
    'Weekly befriending for older South Asian men who live alone or feel isolated. A volunteer who speaks Punjabi (also Urdu and Hindi) visits you at home or rings you for a chat, and can come with you to our Tuesday men’s lunch at the Watling Community Hub.'
  sangat.keywords = [
    'befriending',
    'older men',
    'punjabi',
    'sikh',
    'south asian',
    'home visits',
    'phone befriending',
    'lonely',
  ]
  sangat.eligibility = {
    description: 'Men aged 60 and over, especially Punjabi speakers',
    minimum_age: 60,
    maximum_age: null,
    catchment: 'resident',
    catchment_description: 'Lives in Barnet',
    exclusions: null,
  }
  sangat.schedules = [
    weeklyAt(
      ctx,
      loc('watling-hub').id,
      'TU',
      ['11:00', '14:00'],
      'Men’s lunch every Tuesday, 11:00 to 14:00; home and phone befriending at times that suit you',
    ),
  ]
  Object.assign(sangat, { status: 'active', assured_date: new Date(options.now.getTime() - 45 * DAY_MS) })
  sangat.referral = { ...sangat.referral, capacity: 'open', accepts_referrals: true, response_days: 2 }

  const shed = listing(
    TEMPLATES.find((t) => t.name === '{area} Men’s Shed') as ServiceTemplate,
    DEMO_ANCHORS.mensShed,
    'brent-street',
    'Hendon Men’s Shed',
  )
  Object.assign(shed, { status: 'active' })

  for (const s of [walk, sangat, shed]) {
    services.push(s)
    names.add(s.name)
  }

  const target = options.services ?? 230
  for (let i = 0; services.length < target; i++) {
    const t = TEMPLATES[i % TEMPLATES.length] as ServiceTemplate
    const candidates = t.venues ?? VENUES.filter((v) => !v.accessibility.length || rnd.chance(0.9)).map((v) => v.key)
    let chosen = venue(rnd.pick(candidates))
    let name = fill(t.name, chosen)
    for (let tries = 0; names.has(name) && tries < 8; tries++) {
      chosen = venue(rnd.pick(candidates))
      name = fill(t.name, chosen)
    }
    if (names.has(name)) name = `${name} – ${chosen.area}`
    if (names.has(name)) {
      if (i > TEMPLATES.length * 12) break
      continue
    }
    names.add(name)
    services.push(listing(t, nameUuid(`demo:service:${i}`), chosen.key, name))
  }
  // A couple of pending listings (awaiting curator approval) that the public must not see.
  for (const s of services.slice(-2)) s.review_status = 'pending'

  for (const t of COMMUNITY_LANGUAGE_SERVICES) {
    const s = listing(t, nameUuid(`demo:service:${t.key}`), t.venue, t.name)
    Object.assign(s, { status: 'active', assured_date: new Date(options.now.getTime() - 30 * DAY_MS) })
    s.referral = { ...s.referral, capacity: 'open' }
    services.push(s)
  }

  return { organizations: [...orgs.values()], locations: [...locs.values()], services }
}

/**
 * Synthetic directories for benchmarks: `count` services in batches, the same for the same seed and `now`.
 * One organisation per ten services and one location per service, jittered around the borough's venues.
 */
export function* generateSyntheticDirectory(options: {
  count: number
  seed: number
  now: Date
  batchSize?: number
}): Generator<Directory> {
  const rnd = createRandom(options.seed)
  const ctx: Ctx = { rnd, now: options.now, origin: 'synthetic', id: () => rnd.uuid() }
  const batchSize = options.batchSize ?? 1000
  let orgRecord: OrganizationRecord | undefined
  let made = 0
  while (made < options.count) {
    const batch: Directory = { organizations: [], locations: [], services: [] }
    const size = Math.min(batchSize, options.count - made)
    for (let i = 0; i < size; i++, made++) {
      const t = rnd.pick(TEMPLATES)
      const block = ORGANIZATIONS.find((o) => o.key === t.org) as OrganizationBlock
      const v = rnd.pick(VENUES)
      if (!orgRecord || made % 10 === 0) {
        orgRecord = organization(
          block,
          rnd.uuid(),
          'synthetic',
          options.now,
          `${block.name} (${v.area} ${Math.floor(made / 10) + 1})`,
        )
        batch.organizations.push(orgRecord)
      }
      const l = location(v, rnd.uuid(), 'synthetic', options.now, {
        lat: (rnd.next() - 0.5) * 0.02,
        lon: (rnd.next() - 0.5) * 0.03,
      })
      batch.locations.push(l)
      batch.services.push(
        service(ctx, { ...t, org: block.key }, rnd.uuid(), orgRecord, v, l.id, `${fill(t.name, v)} #${made + 1}`),
      )
    }
    yield batch
  }
}
