// Open Referral UK (HSDS 3.0) service JSON → our directory records. One fully nested service (as GET /services/{id}
// answers, or as assembled from the CSV data package) gives its organisation, locations and service. Our own
// `loopwell` extension is read back when present, so our exports round-trip; other publishers' services get sensible
// defaults (signpost-only, capacity open). The zod schemas below say what a record must have (an id, a name, a known
// status, a named organisation) and read everything else leniently, as publishers write it (numbers as strings, blank
// for missing, "a|b" lists); a record that cannot be used throws OrukRecordError with every reason.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { LocationRecord, OrganizationRecord, ReviewStatus, ServiceRecord } from '../../domain/directory-records'
import { isUuid, nameUuid } from '../../domain/ids'
import { ACCESS_ROUTES, CAPACITIES, DELIVERY_MODES, SERVICE_STATUSES } from '../../domain/directory-vocabulary'

export class OrukRecordError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OrukRecordError'
  }
}

export interface ExternalTerm {
  id: string
  name: string
  description: string | null
  code: string | null
  taxonomy: string | null
  parent_id: string | null
}

export interface ParseOptions {
  source: string
  /** Use the publisher's UUIDs as ours (restoring our own export); otherwise ids are derived from source + their id. */
  keepIds: boolean
  reviewStatus: ReviewStatus
  now: Date
  /** Our term id for one of theirs (mapped, or kept as a term of its own). */
  resolveTerm: (term: ExternalTerm) => string
}

export interface ParsedService {
  organization: OrganizationRecord
  locations: LocationRecord[]
  service: ServiceRecord
}

type Obj = Record<string, unknown>
const isObject = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v)

function toText(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : null
}

function toList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(toText).filter((s): s is string => s !== null)
  return (toText(v) ?? '')
    .split('|')
    .map((x) => x.trim())
    .filter(Boolean)
}

/** Text; numbers and booleans as text; blank or anything else as null. */
const text = z.transform(toText)
const blank = text.transform((s) => s ?? '')
/** A shape of text fields. */
const texts = <K extends string>(...keys: K[]) =>
  Object.fromEntries(keys.map((k) => [k, text])) as Record<K, typeof text>
const number = z.transform((v: unknown) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  return Number.isFinite(n) ? n : null
})
const date = text.transform((s) => (s && !Number.isNaN(new Date(s).getTime()) ? new Date(s) : null))
const flag = z.transform((v: unknown) =>
  v === true || v === 'true' || v === '1' ? true : v === false || v === 'false' || v === '0' ? false : null,
)
/** "10:00:00" or "10:00" → "10:00". */
const time = text.transform((s) => {
  const m = /^(\d{1,2}):(\d{2})/.exec(s ?? '')
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : null
})
/** One of `values`, or `otherwise` for anything else. */
const oneOf = <const T extends string, const O extends T | null>(values: readonly T[], otherwise: O) =>
  text.transform((s) => ((values as readonly (string | null)[]).includes(s) ? (s as T) : otherwise))
/** A list (array or "a|b") of `values`, dropping others. */
const listOf =
  <T extends string>(values: readonly T[]) =>
  (v: unknown) =>
    toList(v).filter((s): s is T => (values as readonly string[]).includes(s))
/** An array of objects; anything else reads as empty, and items that are not objects are left out. */
const many = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (Array.isArray(v) ? v.filter(isObject) : []), z.array(item))
/** A nested object read as `{}` when missing, so each of its fields takes its default. */
const nested = <S extends z.ZodRawShape>(shape: S) => z.preprocess((v) => (isObject(v) ? v : {}), z.object(shape))
/** An object whose `raw` keeps what was sent, for the provenance hash. */
const withRaw = <S extends z.ZodRawShape>(shape: S) =>
  z.preprocess((v) => ({ ...(v as Obj), raw: v }), z.object({ ...shape, raw: z.custom<Obj>() }))
/** A nested object, or null when missing. */
const optional = <S extends z.ZodRawShape>(shape: S) =>
  z.preprocess((v) => (isObject(v) ? v : null), withRaw(shape).nullable())

const phone = z.object({
  ...texts('id', 'number', 'description'),
  type: oneOf(['voice', 'text', 'textphone'], 'voice'),
})
const organization = optional({
  ...texts('id', 'name', 'alternate_name', 'email', 'website', 'url'),
  description: blank,
  phones: many(phone),
  organization_identifiers: many(
    z.object({ ...texts('id', 'identifier'), identifier_scheme: blank, identifier_type: blank }),
  ),
  last_modified: date,
})
const address = z.object({
  ...texts('id', 'address_1', 'address_2', 'region', 'state_province', 'postal_code'),
  city: blank,
  country: text.transform((s) => s ?? 'GB'),
  address_type: oneOf(['physical', 'postal'], 'physical'),
})
const accessibility = z.object({
  ...texts('id', 'description', 'accessibility', 'details', 'loopwell_code'),
  loopwell: nested({ code: text }),
})
const location = optional({
  ...texts('id', 'organization_id', 'name', 'description'),
  location_type: oneOf(['physical', 'postal', 'virtual'], 'physical'),
  latitude: number.transform((n) => (n !== null && n >= -90 && n <= 90 ? n : null)),
  longitude: number.transform((n) => (n !== null && n >= -180 && n <= 180 ? n : null)),
  addresses: many(address),
  accessibility: many(accessibility),
  last_modified: date,
})
const term = optional(texts('id', 'name', 'term', 'code', 'description', 'taxonomy', 'taxonomy_id', 'parent_id'))
const extension = nested({
  ...texts('catchment_description', 'exclusions', 'referral_instructions', 'capacity_note'),
  /** Null when not sent at all: then the modes are inferred from the locations. */
  delivery_modes: z.transform((v: unknown) => (v === undefined ? null : listOf(DELIVERY_MODES)(v))),
  keywords: z.transform(toList),
  catchment: oneOf(['none', 'gp_registered', 'resident'], 'none'),
  access_routes: z.transform(listOf(ACCESS_ROUTES)),
  accepts_referrals: flag.transform((b) => b ?? false),
  response_days: number,
  capacity: oneOf(CAPACITIES, 'open'),
  capacity_set_at: date,
})
const badStatus = (issue: { input?: unknown }) =>
  `status "${String(issue.input)}" is not one of ${SERVICE_STATUSES.join(', ')}`

const serviceSchema = z
  .object(
    {
      id: text.pipe(z.string({ error: 'service has no id' })),
      name: text.pipe(z.string({ error: 'service has no name' })),
      status: text.transform((s) => s ?? 'active').pipe(z.enum(SERVICE_STATUSES, { error: badStatus })),
      organization,
      ...texts('organization_id', 'alternate_name', 'url', 'email', 'alert', 'eligibility_description'),
      description: blank,
      assured_date: date,
      minimum_age: number,
      maximum_age: number,
      last_modified: date,
      service_at_locations: many(withRaw({ ...texts('id', 'location_id', 'description'), location })),
      contacts: many(z.object({ ...texts('id', 'name', 'title', 'email'), phones: many(phone) })),
      attributes: many(z.object({ taxonomy_term: term, taxonomy_term_id: text })),
      schedules: many(
        z.object({
          ...texts('id', 'location_id', 'byday', 'bymonthday', 'description', 'attending_type', 'notes'),
          freq: oneOf(['WEEKLY', 'MONTHLY'], null),
          interval: number,
          opens_at: time,
          closes_at: time,
          valid_from: date,
          valid_to: date,
        }),
      ),
      cost_options: many(z.object({ ...texts('id', 'option', 'amount_description'), amount: number })),
      languages: many(z.object(texts('id', 'code', 'name', 'note'))),
      service_areas: many(
        z.object({
          ...texts('id', 'name', 'service_area', 'description'),
          loopwell: nested({ area_type: oneOf(['local', 'borough', 'national'], 'local') }),
        }),
      ),
      loopwell: extension,
    },
    { error: 'not a JSON object' },
  )
  .superRefine((s, ctx) => {
    const orgId = s.organization?.id ?? s.organization_id
    const message = !orgId
      ? 'service has no organization'
      : !s.organization?.name && `organization ${orgId} is missing or has no name`
    if (message) ctx.addIssue({ code: 'custom', path: ['organization'], message })
  })

export function digest(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('base64url')
}

export function parseOrukService(input: unknown, options: ParseOptions): ParsedService {
  if (isObject(input) && typeof input.__error === 'string') throw new OrukRecordError(input.__error)
  const parsed = serviceSchema.safeParse(input)
  if (!parsed.success) throw new OrukRecordError(parsed.error.issues.map((i) => i.message).join('; '))
  const s = parsed.data
  const orgIn = s.organization!
  const externalId = s.id
  const orgExternalId = (orgIn.id ?? s.organization_id)!

  const { source, keepIds, now } = options
  /** Our id for one of theirs: theirs when keeping ids and it is a UUID, otherwise derived from the source. */
  const idFor = (kind: string, theirs: string | null, fallback: string): string => {
    const external = theirs ?? fallback
    if (keepIds && isUuid(external)) return external.toLowerCase()
    return nameUuid(`oruk:${source}:${kind}:${external}`)
  }
  /** The hash is of what the publisher sent (plus how we mapped it), so an unchanged record is skipped on a re-run. */
  const provenance = (externalIdValue: string, hashed: unknown) => ({
    source,
    external_id: externalIdValue,
    imported_at: now,
    hash: digest(hashed),
  })
  const phones = (items: z.infer<typeof phone>[], owner: string) =>
    items.flatMap(({ id, number, ...p }, i) =>
      number ? [{ ...p, id: idFor('phone', id, `${owner}:${i}`), number }] : [],
    )

  const organizationId = idFor('organization', orgExternalId, orgExternalId)
  const organization: OrganizationRecord = {
    id: organizationId,
    name: orgIn.name!,
    alternate_name: orgIn.alternate_name,
    description: orgIn.description,
    email: orgIn.email,
    website: orgIn.website ?? orgIn.url,
    phones: phones(orgIn.phones, `org:${orgExternalId}`),
    organization_identifiers: orgIn.organization_identifiers.flatMap(({ id, identifier, ...x }, i) =>
      identifier ? [{ id: idFor('organization_identifier', id, `${orgExternalId}:${i}`), ...x, identifier }] : [],
    ),
    review_status: options.reviewStatus,
    origin: 'import',
    provenance: provenance(orgExternalId, [orgIn.raw, options.reviewStatus, keepIds]),
    created_at: now,
    updated_at: orgIn.last_modified ?? now,
  }

  const locations: LocationRecord[] = []
  const locationIdByExternal = new Map<string, string>()
  const serviceAtLocations = s.service_at_locations.flatMap((sal, i) => {
    const loc = sal.location
    const locExternal = loc?.id ?? sal.location_id
    locationIdByExternal.set(locExternal ?? '', idFor('location', locExternal, locExternal ?? ''))
    if (!locExternal) return []
    const locationId = idFor('location', locExternal, locExternal)
    if (loc) {
      const addresses = loc.addresses.flatMap(({ id, address_1, postal_code, ...a }, j) =>
        address_1 && postal_code
          ? [{ id: idFor('address', id, `${locExternal}:${j}`), address_1, ...a, postal_code }]
          : [],
      )
      const inRange = loc.latitude !== null && loc.longitude !== null
      locations.push({
        id: locationId,
        organization_id: loc.organization_id ? idFor('organization', loc.organization_id, loc.organization_id) : null,
        location_type: loc.location_type,
        name: loc.name ?? addresses[0]?.address_1 ?? s.name,
        description: loc.description,
        latitude: inRange ? loc.latitude : null,
        longitude: inRange ? loc.longitude : null,
        addresses,
        accessibility: loc.accessibility.map((a, j) => ({
          id: idFor('accessibility', a.id, `${locExternal}:${j}`),
          code: a.loopwell.code ?? a.loopwell_code ?? 'other',
          description: a.description ?? a.accessibility ?? a.details ?? '',
        })),
        origin: 'import',
        provenance: provenance(locExternal, [loc.raw, sal.raw.location_id, keepIds]),
        created_at: now,
        updated_at: loc.last_modified ?? now,
      })
    }
    return [
      {
        id: idFor('service_at_location', sal.id, `${externalId}:${i}`),
        location_id: locationId,
        description: sal.description,
      },
    ]
  })

  const ext = s.loopwell
  const deliveryModes = ext.delivery_modes ?? []
  const inferredModes = [
    ...(locations.some((l) => l.location_type === 'physical') ? (['in_person'] as const) : []),
    ...(locations.some((l) => l.location_type === 'virtual') ? (['online'] as const) : []),
  ]
  const termIds = new Set<string>()
  for (const { taxonomy_term: t, taxonomy_term_id } of s.attributes) {
    const tid = t?.id ?? taxonomy_term_id
    if (!tid) continue
    termIds.add(
      options.resolveTerm({
        id: tid,
        name: t?.name ?? t?.term ?? tid,
        description: t?.description ?? null,
        code: t?.term ?? t?.code ?? null,
        taxonomy: t?.taxonomy ?? t?.taxonomy_id ?? null,
        parent_id: t?.parent_id ?? null,
      }),
    )
  }

  const core = {
    organization_id: organizationId,
    name: s.name,
    alternate_name: s.alternate_name,
    description: s.description,
    url: s.url,
    email: s.email,
    status: s.status,
    // assurer_email is a person's address: never imported, never published.
    assured_date: s.assured_date,
    assurer_email: null,
    alert: s.alert,
    delivery_modes: deliveryModes.length > 0 || ext.delivery_modes !== null ? deliveryModes : inferredModes,
    taxonomy_term_ids: [...termIds],
    keywords: ext.keywords,
    schedules: s.schedules.map(({ id, location_id, ...x }, i) => ({
      id: idFor('schedule', id, `${externalId}:${i}`),
      location_id: location_id ? (locationIdByExternal.get(location_id) ?? null) : null,
      ...x,
    })),
    cost_options: s.cost_options.flatMap(({ id, amount, amount_description, ...c }, i) => {
      const option = c.option ?? (amount === 0 ? 'Free' : null) ?? amount_description
      if (!option) return []
      const currency = 'GBP' as const
      return [{ id: idFor('cost_option', id, `${externalId}:${i}`), option, amount, currency, amount_description }]
    }),
    eligibility: {
      description: s.eligibility_description,
      minimum_age: s.minimum_age,
      maximum_age: s.maximum_age,
      catchment: ext.catchment,
      catchment_description: ext.catchment_description,
      exclusions: ext.exclusions,
    },
    languages: s.languages.flatMap((l, i) => {
      const code = l.code?.toLowerCase() ?? null
      const name = l.name ?? code
      if (!name) return []
      const id = idFor('language', l.id, `${externalId}:${i}`)
      return [{ id, code: code ?? name.slice(0, 2).toLowerCase(), name, note: l.note }]
    }),
    contacts: s.contacts.map((c, i) => ({
      ...c,
      id: idFor('contact', c.id, `${externalId}:${i}`),
      phones: phones(c.phones, `contact:${externalId}:${i}`),
    })),
    service_areas: s.service_areas.flatMap((a, i) => {
      const name = a.name ?? a.service_area ?? a.description
      if (!name) return []
      const id = idFor('service_area', a.id, `${externalId}:${i}`)
      return [{ id, name, area_type: a.loopwell.area_type, description: a.description }]
    }),
    service_at_locations: serviceAtLocations,
    referral: {
      access_routes: ext.access_routes,
      accepts_referrals: ext.accepts_referrals,
      referral_instructions: ext.referral_instructions,
      response_days: ext.response_days,
      capacity: ext.capacity,
      capacity_set_at: ext.capacity_set_at ?? s.last_modified ?? now,
      capacity_note: ext.capacity_note,
    },
  }
  const service: ServiceRecord = {
    id: idFor('service', externalId, externalId),
    ...core,
    review_status: options.reviewStatus,
    origin: 'import',
    provenance: provenance(externalId, [input, core.taxonomy_term_ids, options.reviewStatus, keepIds]),
    created_at: now,
    updated_at: s.last_modified ?? now,
  }
  return { organization, locations, service }
}
