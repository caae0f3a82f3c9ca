// The directory as an Open Referral UK API: only public, approved listings; no personal data. Whole-directory pages
// come from the search index (ids in a stable order, then parallel _id lookups), since skip/limit over a collection is
// a scan on FerretDB/SQLite; filters the index does not hold (organisation, modified since) query the database.
import type { ServiceRecord, ServiceView } from '../domain/directory-records'
import type { Geocoder } from '../data/geo/geocoder'
import type { DirectoryRepository } from '../data/repositories/directory.repository'
import type { OrukRepository } from '../data/repositories/oruk.repository'
import type { SearchIndex } from '../data/search/search-index'
import type { TaxonomyTerm } from '../data/taxonomy'
import {
  orukLocation,
  orukOrganization,
  orukOrganizationBasic,
  orukPage,
  orukService,
  orukServiceBasic,
  orukTaxonomyId,
  orukTaxonomyTerm,
  type OrukObject,
} from '../data/oruk/oruk-format'
import { NotFoundError, ValidationError } from '../errors'
import { placePostcode } from './place-postcode'

export const ORUK_MAX_PER_PAGE = 100
export const ORUK_DEFAULT_PER_PAGE = 50

export interface PageParams {
  page: number
  perPage: number
}

export interface ServiceListParams extends PageParams {
  search?: string
  taxonomyTermId?: string
  taxonomyId?: string
  organizationId?: string
  modifiedAfter?: Date
  minimal?: boolean
  full?: boolean
}

export interface OrukDeps {
  directory: DirectoryRepository
  oruk: OrukRepository
  search: SearchIndex
  geocoder: Geocoder
  isPublic: (view: ServiceView) => boolean
  taxonomy: () => Promise<TaxonomyTerm[]>
}

export function createOrukService(deps: OrukDeps) {
  const { directory, oruk, search } = deps

  async function publicViews(ids: readonly string[]): Promise<ServiceView[]> {
    return (await directory.getServiceViews(ids)).filter(deps.isPublic)
  }

  /** Term ids → need codes for the index filter; unknown ids or taxonomies match nothing. */
  async function chosenTerms(params: ServiceListParams): Promise<TaxonomyTerm[] | undefined> {
    if (!params.taxonomyTermId && !params.taxonomyId) return undefined
    let chosen = await deps.taxonomy()
    if (params.taxonomyId) chosen = chosen.filter((t) => orukTaxonomyId(t.taxonomy) === params.taxonomyId)
    if (params.taxonomyTermId) chosen = chosen.filter((t) => t.id === params.taxonomyTermId)
    return chosen
  }

  async function needsFilter(params: ServiceListParams): Promise<string[] | undefined> {
    const chosen = await chosenTerms(params)
    if (!chosen) return undefined
    return chosen.length > 0 ? chosen.map((t) => t.code) : ['\u0000no-such-term']
  }

  async function servicePage(params: ServiceListParams): Promise<{ total: number; views: ServiceView[] }> {
    const skip = (params.page - 1) * params.perPage
    if (params.organizationId || params.modifiedAfter) {
      const { total, services } = await oruk.listPublicServices(
        { organizationId: params.organizationId, modifiedAfter: params.modifiedAfter },
        skip,
        params.perPage,
      )
      const views = await publicViews(services.map((s) => s.id))
      const terms = await chosenTerms(params)
      const termIds = terms ? new Set(terms.map((t) => t.id)) : null
      const text = params.search?.toLowerCase()
      // These narrow the page after the database query, so a page may hold fewer than per_page items.
      return {
        total,
        views: views.filter(
          (v) =>
            (!termIds || v.service.taxonomy_term_ids.some((id) => termIds.has(id))) &&
            (!text || `${v.service.name} ${v.service.description}`.toLowerCase().includes(text)),
        ),
      }
    }
    const result = await search.search({
      text: params.search?.trim() || undefined,
      filters: { needs: await needsFilter(params) },
      page: params.page,
      perPage: params.perPage,
    })
    return { total: result.total, views: await publicViews(result.hits.map((h) => h.id)) }
  }

  function basicWithOrganization(view: ServiceView): OrukObject {
    return { ...orukServiceBasic(view.service), organization: orukOrganizationBasic(view.organization) }
  }

  return {
    /** Every public service with its organisation and locations, in batches (for the CSV export). */
    exportViews(): AsyncGenerator<ServiceView[]> {
      return directory.iteratePublicServiceViews()
    },

    async listServices(params: ServiceListParams) {
      const { total, views } = await servicePage(params)
      if (params.minimal) {
        const contents = views
          .map((v) => orukServiceBasic(v.service))
          .map((s) => ({
            id: s.id,
            name: s.name,
            status: s.status,
            last_modified: s.last_modified,
          }))
        return orukPage(contents, total, params.page, params.perPage)
      }
      const taxonomy = params.full ? await deps.taxonomy() : []
      const contents = views.map((v) => (params.full ? orukService(v, taxonomy) : basicWithOrganization(v)))
      return orukPage(contents, total, params.page, params.perPage)
    },

    async getService(id: string) {
      const view = await directory.getServiceView(id)
      if (!view || !deps.isPublic(view)) throw new NotFoundError('Service not found')
      return orukService(view, await deps.taxonomy())
    },

    async listTaxonomies(params: PageParams) {
      const terms = await deps.taxonomy()
      const names = [...new Set(terms.map((t) => t.taxonomy))].sort()
      const all = names.map((name) => ({ id: orukTaxonomyId(name), name, description: name }))
      const start = (params.page - 1) * params.perPage
      return orukPage(all.slice(start, start + params.perPage), all.length, params.page, params.perPage)
    },

    async listTaxonomyTerms(params: PageParams & { parentId?: string; topOnly?: boolean; taxonomyId?: string }) {
      const terms = await deps.taxonomy()
      let chosen = terms.map((t) => orukTaxonomyTerm(t, terms))
      if (params.topOnly) chosen = chosen.filter((t) => !t.parent_id)
      if (params.parentId) chosen = chosen.filter((t) => t.parent_id === params.parentId)
      if (params.taxonomyId) chosen = chosen.filter((t) => t.taxonomy_id === params.taxonomyId)
      const start = (params.page - 1) * params.perPage
      return orukPage(chosen.slice(start, start + params.perPage), chosen.length, params.page, params.perPage)
    },

    async listOrganizations(params: PageParams & { search?: string }) {
      const { total, organizations } = await oruk.listApprovedOrganizations(
        { search: params.search?.trim() || undefined },
        (params.page - 1) * params.perPage,
        params.perPage,
      )
      return orukPage(organizations.map(orukOrganizationBasic), total, params.page, params.perPage)
    },

    /** An approved organisation with the ids and names of its public services. */
    async getOrganization(id: string) {
      const organization = await directory.getOrganization(id)
      if (!organization || organization.review_status !== 'approved') throw new NotFoundError('Organization not found')
      const services: ServiceRecord[] = []
      for (let page = 0; ; page++) {
        const { services: batch } = await oruk.listPublicServices({ organizationId: id }, page * 500, 500)
        services.push(...batch)
        if (batch.length < 500) break
      }
      return orukOrganization(
        organization,
        services.map((s) => orukServiceBasic(s)),
      )
    },

    /** Service-at-locations, nearest first when a postcode is given (proximity in metres). */
    async listServiceAtLocations(params: PageParams & { postcode?: string; proximity?: number; search?: string }) {
      let near: { lat: number; lon: number; radiusKm?: number } | undefined
      if (params.postcode) {
        const point = await placePostcode(deps.geocoder, params.postcode)
        near = {
          lat: point.lat,
          lon: point.lon,
          radiusKm: params.proximity !== undefined ? params.proximity / 1000 : undefined,
        }
      } else if (params.proximity !== undefined) {
        throw new ValidationError({ proximity: 'Give a postcode with proximity' })
      }
      const result = await search.search({
        text: params.search?.trim() || undefined,
        near,
        sort: near ? 'distance' : 'relevance',
        page: params.page,
        perPage: params.perPage,
      })
      const views = await publicViews(result.hits.map((h) => h.id))
      const contents = views.flatMap((view) => {
        const locations = new Map(view.locations.map((l) => [l.id, l]))
        return view.service.service_at_locations.map((sal) => {
          const location = locations.get(sal.location_id)
          const out: OrukObject = {
            id: sal.id,
            service_id: view.service.id,
            location_id: sal.location_id,
            service: basicWithOrganization(view),
          }
          if (sal.description) out.description = sal.description
          if (location) out.location = orukLocation(location)
          return out
        })
      })
      return orukPage(contents, result.total, params.page, params.perPage)
    },
  }
}

export type OrukService = ReturnType<typeof createOrukService>
