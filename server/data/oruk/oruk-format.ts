// Our directory records as Open Referral UK (HSDS 3.0 UK profile) JSON. The profile's JSON schemas type fields as plain
// strings and numbers (not nullable), so empty values are left out rather than sent as null. What HSDS has no field for
// (delivery modes, keywords, referral routes, capacity, catchment) travels in a `loopwell` extension object, which the
// profile allows (it sets no additionalProperties: false) and our importer reads back, so a round trip loses nothing.
// Never here: assurer_email (a person's address) or anything about people.
import type {
  Accessibility,
  Address,
  Contact,
  LocationRecord,
  OrganizationRecord,
  Phone,
  ServiceRecord,
  ServiceView,
} from '../../domain/directory-records'
import { nameUuid } from '../../domain/ids'
import type { TaxonomyTerm } from '../taxonomy'

export type OrukObject = Record<string, unknown>

/** Drops null, undefined and empty-string fields (the profile's schemas do not allow null). */
export function compact(o: Record<string, unknown>): OrukObject {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && v !== ''))
}

function isoDateTime(d: Date | string | null | undefined): string | null {
  return d ? new Date(d).toISOString() : null
}

/** The id of the attribute that links a service to a taxonomy term: stable, so re-exports do not churn. */
export function attributeId(serviceId: string, termId: string): string {
  return nameUuid(`oruk:attribute:${serviceId}:${termId}`)
}

export function orukTaxonomyId(taxonomy: string): string {
  return nameUuid(`taxonomy:${taxonomy}`)
}

export function orukTaxonomyTerm(term: TaxonomyTerm, all: readonly TaxonomyTerm[]): OrukObject {
  const parent = term.parentCode
    ? all.find((t) => t.code === term.parentCode && t.taxonomy === term.taxonomy)
    : undefined
  return compact({
    id: term.id,
    name: term.name,
    description: term.description || term.name,
    parent_id: parent?.id,
    taxonomy: term.taxonomy,
    taxonomy_id: orukTaxonomyId(term.taxonomy),
    term: term.code,
    loopwell: term.crisis ? { crisis: true } : undefined,
  })
}

export function orukPhone(phone: Phone, link: Record<string, string>): OrukObject {
  return compact({ id: phone.id, ...link, number: phone.number, type: phone.type, description: phone.description })
}

function orukContact(contact: Contact, serviceId: string): OrukObject {
  return compact({
    id: contact.id,
    service_id: serviceId,
    name: contact.name,
    title: contact.title,
    email: contact.email,
    phones: contact.phones.map((p) => orukPhone(p, { contact_id: contact.id })),
  })
}

function orukAddress(address: Address, locationId: string): OrukObject {
  return {
    ...compact({
      id: address.id,
      location_id: locationId,
      address_1: address.address_1,
      address_2: address.address_2,
      city: address.city,
      region: address.region,
      postal_code: address.postal_code,
      country: address.country,
      address_type: address.address_type,
    }),
    // Required by the profile; England has no states, so it is often empty.
    state_province: address.state_province ?? '',
  }
}

function orukAccessibility(a: Accessibility, locationId: string): OrukObject {
  return compact({ id: a.id, location_id: locationId, description: a.description, loopwell: { code: a.code } })
}

export function orukLocation(location: LocationRecord): OrukObject {
  return compact({
    id: location.id,
    location_type: location.location_type,
    organization_id: location.organization_id,
    name: location.name,
    description: location.description,
    latitude: location.latitude,
    longitude: location.longitude,
    addresses: location.addresses.map((a) => orukAddress(a, location.id)),
    accessibility: location.accessibility.map((a) => orukAccessibility(a, location.id)),
  })
}

/** An organisation's one-to-one fields (the list shape). */
export function orukOrganizationBasic(org: OrganizationRecord): OrukObject {
  return compact({
    id: org.id,
    name: org.name,
    alternate_name: org.alternate_name,
    description: org.description || org.name,
    email: org.email,
    website: org.website,
  })
}

export function orukOrganization(org: OrganizationRecord, services: readonly OrukObject[] = []): OrukObject {
  return compact({
    ...orukOrganizationBasic(org),
    phones: org.phones.map((p) => orukPhone(p, { organization_id: org.id })),
    organization_identifiers: org.organization_identifiers.map((i) => ({ ...i, organization_id: org.id })),
    services,
  })
}

/** A service's one-to-one fields: the /services list item. */
export function orukServiceBasic(service: ServiceRecord): OrukObject {
  return compact({
    id: service.id,
    organization_id: service.organization_id,
    name: service.name,
    alternate_name: service.alternate_name,
    description: service.description,
    url: service.url,
    email: service.email,
    status: service.status,
    minimum_age: service.eligibility.minimum_age,
    maximum_age: service.eligibility.maximum_age,
    eligibility_description: service.eligibility.description,
    assured_date: isoDateTime(service.assured_date),
    alert: service.alert,
    last_modified: isoDateTime(service.updated_at),
  })
}

/** What HSDS has no field for, so our own importer can read it back. */
export function loopwellExtension(service: ServiceRecord): OrukObject {
  const r = service.referral
  return compact({
    delivery_modes: service.delivery_modes,
    keywords: service.keywords,
    catchment: service.eligibility.catchment,
    catchment_description: service.eligibility.catchment_description,
    exclusions: service.eligibility.exclusions,
    access_routes: r.access_routes,
    accepts_referrals: r.accepts_referrals,
    referral_instructions: r.referral_instructions,
    response_days: r.response_days,
    capacity: r.capacity,
    capacity_set_at: isoDateTime(r.capacity_set_at),
    capacity_note: r.capacity_note,
  })
}

/** The fully nested service of GET /services/{id}. */
export function orukService(view: ServiceView, taxonomy: readonly TaxonomyTerm[]): OrukObject {
  const { service, organization, locations } = view
  const byLocation = new Map(locations.map((l) => [l.id, l]))
  const terms = new Map(taxonomy.map((t) => [t.id, t]))
  return compact({
    ...orukServiceBasic(service),
    organization: orukOrganization(organization),
    schedules: service.schedules.map((s) =>
      compact({
        id: s.id,
        service_id: service.id,
        location_id: s.location_id,
        freq: s.freq,
        interval: s.interval,
        byday: s.byday,
        bymonthday: s.bymonthday,
        opens_at: s.opens_at,
        closes_at: s.closes_at,
        valid_from: isoDateTime(s.valid_from),
        valid_to: isoDateTime(s.valid_to),
        description: s.description,
        attending_type: s.attending_type,
        notes: s.notes,
      }),
    ),
    cost_options: service.cost_options.map((c) =>
      compact({
        id: c.id,
        service_id: service.id,
        option: c.option,
        amount: c.amount,
        currency: c.currency,
        amount_description: c.amount_description,
      }),
    ),
    languages: service.languages.map((l) =>
      compact({ id: l.id, service_id: service.id, name: l.name, code: l.code, note: l.note }),
    ),
    contacts: service.contacts.map((c) => orukContact(c, service.id)),
    service_areas: service.service_areas.map((a) =>
      compact({
        id: a.id,
        service_id: service.id,
        name: a.name,
        description: a.description,
        loopwell: { area_type: a.area_type },
      }),
    ),
    service_at_locations: service.service_at_locations.map((sal) => {
      const location = byLocation.get(sal.location_id)
      return compact({
        id: sal.id,
        service_id: service.id,
        location_id: sal.location_id,
        description: sal.description,
        location: location ? orukLocation(location) : undefined,
      })
    }),
    attributes: service.taxonomy_term_ids.flatMap((termId) => {
      const term = terms.get(termId)
      if (!term) return []
      return [
        {
          id: attributeId(service.id, termId),
          link_id: service.id,
          link_type: 'service',
          link_entity: 'service',
          taxonomy_term_id: termId,
          taxonomy_term: orukTaxonomyTerm(term, taxonomy),
        },
      ]
    }),
    funding: [],
    loopwell: loopwellExtension(service),
  })
}

/** The profile's page envelope. Page numbers are 1-based. */
export function orukPage<T>(contents: T[], total: number, page: number, perPage: number) {
  const totalPages = Math.max(1, Math.ceil(total / perPage))
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  }
}
