// The directory: search (words, needs, postcode distance, filters), a service's page, and keeping the search index
// in step with the database, which is the source of truth.
import type { ServiceView } from '../data/directory-records'
import type { GeoPoint, Geocoder } from '../data/geo/geocoder'
import type { DirectoryRepository } from '../data/repositories/directory.repository'
import type { FacetName, SearchDocument, SearchFilters, SearchIndex } from '../data/search/search-index'
import type { TaxonomyTerm } from '../data/taxonomy'
import { NotFoundError, ValidationError } from '../errors'
import { createLogger } from '../logger'

const log = createLogger('directory')

export const KM_PER_MILE = 1.609344
const UK_POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})?$/

export interface DirectorySearchParams extends SearchFilters {
  text?: string
  postcode?: string
  /** Needs a postcode. */
  radiusMiles?: number
  sort?: 'relevance' | 'distance'
  page?: number
  perPage?: number
  facets?: FacetName[]
  now?: Date
}

export interface DirectorySearchResult {
  total: number
  page: number
  perPage: number
  origin: GeoPoint | null
  /** Drawn from the search index alone: a results page makes no database reads. */
  results: { document: SearchDocument; distanceKm: number | null; distanceMiles: number | null; stale: boolean }[]
  facets: Partial<Record<FacetName, Record<string, number>>>
}

export interface DirectoryDeps {
  directory: DirectoryRepository
  search: SearchIndex
  geocoder: Geocoder
  /** Maps a stored service to its search document (server/data/search/documents.ts). */
  toSearchDocument: (view: ServiceView, taxonomy: readonly TaxonomyTerm[]) => SearchDocument
  isPublic: (view: ServiceView) => boolean
  newId: () => string
  clock?: () => Date
}

/** The taxonomy changes only at start-up (seeding) today; curators editing it later must call invalidateTaxonomy. */
const TAXONOMY_TTL_MS = 5 * 60_000
/** A search with this many results or fewer is recorded as a miss, for the unmet need report. */
export const FEW_RESULTS = 3

export function createDirectoryService(deps: DirectoryDeps) {
  const { directory, search, geocoder } = deps
  const clock = deps.clock ?? (() => new Date())
  let taxonomy: { terms: Promise<TaxonomyTerm[]>; expires: number } | undefined

  function listTaxonomy(): Promise<TaxonomyTerm[]> {
    if (!taxonomy || taxonomy.expires <= Date.now()) {
      const terms = directory.listTaxonomy()
      taxonomy = { terms, expires: Date.now() + TAXONOMY_TTL_MS }
      terms.catch(() => (taxonomy = undefined))
    }
    return taxonomy.terms
  }

  async function resolvePostcode(input: string): Promise<GeoPoint> {
    const compact = input.trim().toUpperCase()
    if (!UK_POSTCODE.test(compact)) {
      throw new ValidationError({ postcode: 'Enter a full UK postcode, like EN5 1AA' })
    }
    const point = await geocoder.lookup(compact)
    if (!point) throw new ValidationError({ postcode: 'Enter a real postcode, like EN5 1AA' })
    return point
  }
  return {
    async search(params: DirectorySearchParams): Promise<DirectorySearchResult> {
      const { text, postcode, radiusMiles, sort, page, perPage, facets, now, ...filters } = params
      if (radiusMiles !== undefined && !postcode?.trim()) {
        throw new ValidationError({ postcode: 'Enter a postcode to search within a distance' })
      }
      const origin = postcode?.trim() ? await resolvePostcode(postcode) : null
      const result = await search.search({
        text: text?.trim() || undefined,
        filters,
        near: origin
          ? {
              lat: origin.lat,
              lon: origin.lon,
              radiusKm: radiusMiles !== undefined ? radiusMiles * KM_PER_MILE : undefined,
            }
          : undefined,
        sort: sort ?? (origin && !text?.trim() ? 'distance' : 'relevance'),
        page,
        perPage,
        facets,
        now: now ?? clock(),
      })
      if (result.total <= FEW_RESULTS) {
        await directory
          .recordSearchMiss({
            id: deps.newId(),
            at: clock(),
            needs: filters.needs ?? [],
            outcode: origin ? (origin.postcode.split(' ')[0] ?? null) : null,
            words: text?.trim().toLowerCase().slice(0, 100) || null,
            resultCount: result.total,
          })
          .catch((error: unknown) => log.warn({ err: error }, 'could not record a search miss'))
      }
      const results = result.hits.map((hit) => ({
        document: hit.document,
        distanceKm: hit.distanceKm,
        distanceMiles: hit.distanceKm === null ? null : hit.distanceKm / KM_PER_MILE,
        stale: hit.stale,
      }))
      return { total: result.total, page: result.page, perPage: result.perPage, origin, results, facets: result.facets }
    },

    /** A public service with its organisation and locations; NotFoundError when missing or not public. */
    async getService(id: string): Promise<ServiceView> {
      const view = await directory.getServiceView(id)
      if (!view || !deps.isPublic(view)) throw new NotFoundError('Service not found')
      return view
    },

    /** Streams every public service into a fresh index. Returns how many were indexed. */
    async rebuildIndex(): Promise<number> {
      const taxonomy = await directory.listTaxonomy()
      let count = 0
      async function* documents() {
        for await (const batch of directory.iteratePublicServiceViews()) {
          for (const view of batch) {
            count++
            yield deps.toSearchDocument(view, taxonomy)
          }
        }
      }
      await search.replaceAll(documents())
      log.info({ count }, 'search index rebuilt')
      return count
    },

    /** After a write: puts the service in the index when public, takes it out otherwise. */
    async reindexService(id: string): Promise<void> {
      const view = await directory.getServiceView(id)
      if (view && deps.isPublic(view)) {
        await search.upsert([deps.toSearchDocument(view, await listTaxonomy())])
      } else {
        await search.remove([id])
      }
    },

    async taxonomy(): Promise<TaxonomyTerm[]> {
      return listTaxonomy()
    },

    invalidateTaxonomy(): void {
      taxonomy = undefined
    },
  }
}

export type DirectoryService = ReturnType<typeof createDirectoryService>
