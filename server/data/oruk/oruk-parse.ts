// Open Referral UK (HSDS 3.0) service JSON → our directory records. One fully nested service (as GET /services/{id}
// answers, or as assembled from the CSV data package) gives its organisation, locations and service. Our own
// `loopwell` extension is read back when present, so our exports round-trip; other publishers' services get sensible
// defaults (signpost-only, capacity open). A record that cannot be used throws OrukRecordError with the reason.
import { createHash } from 'node:crypto'
import type {
  Accessibility,
  Address,
  Contact,
  LocationRecord,
  OrganizationRecord,
  Phone,
  ReviewStatus,
  ServiceRecord,
} from '../../domain/directory-records'
import { isUuid, nameUuid } from '../../domain/ids'
import {
  ACCESS_ROUTES,
  CAPACITIES,
  DELIVERY_MODES,
  SERVICE_STATUSES,
  type AccessRoute,
  type DeliveryMode,
} from '../../domain/directory-vocabulary'

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

function obj(v: unknown): Obj | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null
}

function arr(v: unknown): Obj[] {
  return Array.isArray(v) ? v.map(obj).filter((o): o is Obj => o !== null) : []
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return null
}

function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v)
    return Number.isFinite(n) ? n : null
  }
  return null
}

function date(v: unknown): Date | null {
  const s = str(v)
  if (!s) return null
  const d = new Date(s)
  return Number.isNaN(d.getTime()) ? null : d
}

function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v
  if (v === 'true' || v === '1') return true
  if (v === 'false' || v === '0') return false
  return null
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(str).filter((s): s is string => s !== null)
  const s = str(v)
  return s
    ? s
        .split('|')
        .map((x) => x.trim())
        .filter(Boolean)
    : []
}

function oneOf<T extends string>(values: readonly T[], v: unknown): T | null {
  const s = str(v)
  return s !== null && (values as readonly string[]).includes(s) ? (s as T) : null
}

/** "10:00:00" or "10:00" → "10:00". */
function hhmm(v: unknown): string | null {
  const m = /^(\d{1,2}):(\d{2})/.exec(str(v) ?? '')
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : null
}

export function digest(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('base64url')
}

export function parseOrukService(input: unknown, options: ParseOptions): ParsedService {
  const s = obj(input)
  if (!s) throw new OrukRecordError('not a JSON object')
  if (typeof s.__error === 'string') throw new OrukRecordError(s.__error)
  const externalId = str(s.id)
  if (!externalId) throw new OrukRecordError('service has no id')
  const name = str(s.name)
  if (!name) throw new OrukRecordError('service has no name')
  const status = str(s.status) ?? 'active'
  if (!(SERVICE_STATUSES as readonly string[]).includes(status)) {
    throw new OrukRecordError(`status "${status}" is not one of ${SERVICE_STATUSES.join(', ')}`)
  }
  const orgIn = obj(s.organization)
  const orgExternalId = str(orgIn?.id) ?? str(s.organization_id)
  if (!orgExternalId) throw new OrukRecordError('service has no organization')
  if (!orgIn || !str(orgIn.name)) throw new OrukRecordError(`organization ${orgExternalId} is missing or has no name`)

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

  const serviceId = idFor('service', externalId, externalId)
  const organizationId = idFor('organization', orgExternalId, orgExternalId)
  const phones = (items: unknown, owner: string): Phone[] =>
    arr(items).flatMap((p, i) => {
      const number = str(p.number)
      if (!number) return []
      return [
        {
          id: idFor('phone', str(p.id), `${owner}:${i}`),
          number,
          type: oneOf(['voice', 'text', 'textphone'] as const, p.type) ?? 'voice',
          description: str(p.description),
        },
      ]
    })

  const orgCore = {
    name: str(orgIn.name)!,
    alternate_name: str(orgIn.alternate_name),
    description: str(orgIn.description) ?? '',
    email: str(orgIn.email),
    website: str(orgIn.website) ?? str(orgIn.url),
    phones: phones(orgIn.phones, `org:${orgExternalId}`),
    organization_identifiers: arr(orgIn.organization_identifiers).flatMap((x, i) => {
      const identifier = str(x.identifier)
      if (!identifier) return []
      return [
        {
          id: idFor('organization_identifier', str(x.id), `${orgExternalId}:${i}`),
          identifier_scheme: str(x.identifier_scheme) ?? '',
          identifier_type: str(x.identifier_type) ?? '',
          identifier,
        },
      ]
    }),
  }
  const organization: OrganizationRecord = {
    id: organizationId,
    ...orgCore,
    review_status: options.reviewStatus,
    origin: 'import',
    provenance: provenance(orgExternalId, [orgIn, options.reviewStatus, keepIds]),
    created_at: now,
    updated_at: date(orgIn.last_modified) ?? now,
  }

  const locations: LocationRecord[] = []
  const salIn = arr(s.service_at_locations)
  const serviceAtLocations = salIn.flatMap((sal, i) => {
    const loc = obj(sal.location)
    const locExternal = str(loc?.id) ?? str(sal.location_id)
    if (!locExternal) return []
    const locationId = idFor('location', locExternal, locExternal)
    if (loc) {
      const addresses: Address[] = arr(loc.addresses).flatMap((a, j) => {
        const address_1 = str(a.address_1)
        const postal_code = str(a.postal_code)
        if (!address_1 || !postal_code) return []
        return [
          {
            id: idFor('address', str(a.id), `${locExternal}:${j}`),
            address_1,
            address_2: str(a.address_2),
            city: str(a.city) ?? '',
            region: str(a.region),
            state_province: str(a.state_province),
            postal_code,
            country: str(a.country) ?? 'GB',
            address_type: oneOf(['physical', 'postal'] as const, a.address_type) ?? 'physical',
          },
        ]
      })
      const accessibility: Accessibility[] = arr(loc.accessibility).map((a, j) => {
        const description = str(a.description) ?? str(a.accessibility) ?? str(a.details) ?? ''
        return {
          id: idFor('accessibility', str(a.id), `${locExternal}:${j}`),
          code: str(obj(a.loopwell)?.code) ?? str(a.loopwell_code) ?? 'other',
          description,
        }
      })
      const core = {
        organization_id: str(loc.organization_id)
          ? idFor('organization', str(loc.organization_id), str(loc.organization_id)!)
          : null,
        location_type: oneOf(['physical', 'postal', 'virtual'] as const, loc.location_type) ?? 'physical',
        name: str(loc.name) ?? addresses[0]?.address_1 ?? name,
        description: str(loc.description),
        latitude: num(loc.latitude),
        longitude: num(loc.longitude),
        addresses,
        accessibility,
      }
      if (core.latitude !== null && (core.latitude < -90 || core.latitude > 90)) core.latitude = null
      if (core.longitude !== null && (core.longitude < -180 || core.longitude > 180)) core.longitude = null
      if (core.latitude === null || core.longitude === null) core.latitude = core.longitude = null
      locations.push({
        id: locationId,
        ...core,
        origin: 'import',
        provenance: provenance(locExternal, [loc, sal.location_id, keepIds]),
        created_at: now,
        updated_at: date(loc.last_modified) ?? now,
      })
    }
    return [
      {
        id: idFor('service_at_location', str(sal.id), `${externalId}:${i}`),
        location_id: locationId,
        description: str(sal.description),
      },
    ]
  })
  const locationIdByExternal = new Map(
    salIn.map((sal) => {
      const ext = str(obj(sal.location)?.id) ?? str(sal.location_id) ?? ''
      return [ext, idFor('location', ext, ext)] as const
    }),
  )

  const ext = obj(s.loopwell) ?? {}
  const deliveryModes = list(ext.delivery_modes).filter((m): m is DeliveryMode =>
    (DELIVERY_MODES as readonly string[]).includes(m),
  )
  const inferredModes: DeliveryMode[] = []
  if (locations.some((l) => l.location_type === 'physical')) inferredModes.push('in_person')
  if (locations.some((l) => l.location_type === 'virtual')) inferredModes.push('online')

  const contacts: Contact[] = arr(s.contacts).map((c, i) => ({
    id: idFor('contact', str(c.id), `${externalId}:${i}`),
    name: str(c.name),
    title: str(c.title),
    email: str(c.email),
    phones: phones(c.phones, `contact:${externalId}:${i}`),
  }))

  const termIds = new Set<string>()
  for (const attribute of arr(s.attributes)) {
    const t = obj(attribute.taxonomy_term)
    const tid = str(t?.id) ?? str(attribute.taxonomy_term_id)
    if (!tid) continue
    termIds.add(
      options.resolveTerm({
        id: tid,
        name: str(t?.name) ?? str(t?.term) ?? tid,
        description: str(t?.description),
        code: str(t?.term) ?? str(t?.code),
        taxonomy: str(t?.taxonomy) ?? str(t?.taxonomy_id),
        parent_id: str(t?.parent_id),
      }),
    )
  }

  const core = {
    organization_id: organizationId,
    name,
    alternate_name: str(s.alternate_name),
    description: str(s.description) ?? '',
    url: str(s.url),
    email: str(s.email),
    status: status as ServiceRecord['status'],
    // assurer_email is a person's address: never imported, never published.
    assured_date: date(s.assured_date),
    assurer_email: null,
    alert: str(s.alert),
    delivery_modes: deliveryModes.length > 0 || ext.delivery_modes !== undefined ? deliveryModes : inferredModes,
    taxonomy_term_ids: [...termIds],
    keywords: list(ext.keywords),
    schedules: arr(s.schedules).map((x, i) => ({
      id: idFor('schedule', str(x.id), `${externalId}:${i}`),
      location_id: str(x.location_id) ? (locationIdByExternal.get(str(x.location_id)!) ?? null) : null,
      freq: oneOf(['WEEKLY', 'MONTHLY'] as const, x.freq),
      interval: num(x.interval),
      byday: str(x.byday),
      bymonthday: str(x.bymonthday),
      opens_at: hhmm(x.opens_at),
      closes_at: hhmm(x.closes_at),
      valid_from: date(x.valid_from),
      valid_to: date(x.valid_to),
      description: str(x.description),
      attending_type: str(x.attending_type),
      notes: str(x.notes),
    })),
    cost_options: arr(s.cost_options).flatMap((c, i) => {
      const amount = num(c.amount)
      const option = str(c.option) ?? (amount === 0 ? 'Free' : null) ?? str(c.amount_description)
      if (!option) return []
      return [
        {
          id: idFor('cost_option', str(c.id), `${externalId}:${i}`),
          option,
          amount,
          currency: 'GBP' as const,
          amount_description: str(c.amount_description),
        },
      ]
    }),
    eligibility: {
      description: str(s.eligibility_description),
      minimum_age: num(s.minimum_age),
      maximum_age: num(s.maximum_age),
      catchment: oneOf(['none', 'gp_registered', 'resident'] as const, ext.catchment) ?? 'none',
      catchment_description: str(ext.catchment_description),
      exclusions: str(ext.exclusions),
    },
    languages: arr(s.languages).flatMap((l, i) => {
      const code = str(l.code)?.toLowerCase() ?? null
      const lname = str(l.name) ?? code
      if (!lname) return []
      return [
        {
          id: idFor('language', str(l.id), `${externalId}:${i}`),
          code: code ?? lname.slice(0, 2).toLowerCase(),
          name: lname,
          note: str(l.note),
        },
      ]
    }),
    contacts,
    service_areas: arr(s.service_areas).flatMap((a, i) => {
      const aname = str(a.name) ?? str(a.service_area) ?? str(a.description)
      if (!aname) return []
      return [
        {
          id: idFor('service_area', str(a.id), `${externalId}:${i}`),
          name: aname,
          area_type: oneOf(['local', 'borough', 'national'] as const, obj(a.loopwell)?.area_type) ?? 'local',
          description: str(a.description),
        },
      ]
    }),
    service_at_locations: serviceAtLocations,
    referral: {
      access_routes: list(ext.access_routes).filter((r): r is AccessRoute =>
        (ACCESS_ROUTES as readonly string[]).includes(r),
      ),
      accepts_referrals: bool(ext.accepts_referrals) ?? false,
      referral_instructions: str(ext.referral_instructions),
      response_days: num(ext.response_days),
      capacity: oneOf(CAPACITIES, ext.capacity) ?? 'open',
      capacity_set_at: date(ext.capacity_set_at) ?? date(s.last_modified) ?? now,
      capacity_note: str(ext.capacity_note),
    },
  }
  const service: ServiceRecord = {
    id: serviceId,
    ...core,
    review_status: options.reviewStatus,
    origin: 'import',
    provenance: provenance(externalId, [s, core.taxonomy_term_ids, options.reviewStatus, keepIds]),
    created_at: now,
    updated_at: date(s.last_modified) ?? now,
  }
  return { organization, locations, service }
}
