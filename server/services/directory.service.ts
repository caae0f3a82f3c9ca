// The directory: search (words, needs, postcode distance, filters), a service's page, and keeping the search index
// in step with the database, which is the source of truth.
import type { ServiceView } from '../domain/directory-records'
import type { GeoPoint, Geocoder } from '../data/geo/geocoder'
import { createCrisisDetector, type CrisisCallout, type CrisisDetector } from '../data/search/crisis'
import type { DirectoryRepository } from '../data/repositories/directory.repository'
import type { FacetName, SearchDocument, SearchFilters, SearchIndex } from '../data/search/search-index'
import type { TaxonomyTerm } from '../data/taxonomy'
import { NotFoundError, ValidationError } from '../errors'
import { placePostcode } from './place-postcode'
import { createBackgroundWrites } from './background-writes'
import { createLogger } from '../logger'

const log = createLogger('directory')

export const KM_PER_MILE = 1.609344

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
  /**
   * Urgent support to show above every result: when the words say someone may be at risk or living with abuse (crisis
   * resources then rank first), and whenever nothing is found. Null otherwise.
   */
  urgentSupport: CrisisCallout | null
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
  /** Reads crisis words and the callout from server/data/search/crisis.json unless given. */
  crisis?: CrisisDetector
}

/** The taxonomy changes only at start-up (seeding) today; curators editing it later must call invalidateTaxonomy. */
const TAXONOMY_TTL_MS = 5 * 60_000
/** A search with this many results or fewer is recorded as a miss, for the unmet need report. */
export const FEW_RESULTS = 3
const RECHECK_AT_ONCE = 8
/** Services read, and search documents stored, per batch of a full rebuild. */
const REBUILD_BATCH = 2000

export function createDirectoryService(deps: DirectoryDeps) {
  const { directory, search, geocoder } = deps
  const clock = deps.clock ?? (() => new Date())
  const crisis = deps.crisis ?? createCrisisDetector()
  let taxonomy: { terms: Promise<TaxonomyTerm[]>; expires: number } | undefined
  const missWrites = createBackgroundWrites()

  function listTaxonomy(): Promise<TaxonomyTerm[]> {
    if (!taxonomy || taxonomy.expires <= Date.now()) {
      const terms = directory.listTaxonomy()
      taxonomy = { terms, expires: Date.now() + TAXONOMY_TTL_MS }
      terms.catch(() => (taxonomy = undefined))
    }
    return taxonomy.terms
  }

  /**
   * Streams every public service into a fresh index, and stores each document beside the directory for the next
   * start (loadIndex). Returns how many were indexed.
   */
  async function rebuildIndex(): Promise<number> {
    const terms = await directory.listTaxonomy()
    const stored = directory.searchDocuments
    const stamp = await stored.beginRebuild()
    let count = 0
    // Each batch is stored while the next is read; a failed write fails the rebuild (awaited below).
    let writing: Promise<void> = Promise.resolve()
    async function* documents() {
      for await (const batch of directory.iteratePublicServiceViews(REBUILD_BATCH)) {
        const entries = batch.map((view) => ({
          document: deps.toSearchDocument(view, terms),
          organizationId: view.organization.id,
        }))
        count += entries.length
        await writing
        writing = stored.writeMany(entries)
        writing.catch(() => undefined)
        for (const entry of entries) yield entry.document
      }
      await writing
    }
    await search.replaceAll(documents())
    const complete = await stored.completeRebuild(stamp, count)
    log.info({ count, stored: complete }, 'search index rebuilt from the services')
    return count
  }

  /** After a write: puts the service in the index when public, takes it out otherwise. */
  async function reindexService(id: string): Promise<void> {
    const view = await directory.getServiceView(id)
    if (view && deps.isPublic(view)) {
      const document = deps.toSearchDocument(view, await listTaxonomy())
      await search.upsert([document])
      await directory.searchDocuments.put(document, view.organization.id)
    } else {
      await search.remove([id])
      await directory.searchDocuments.remove(id)
    }
  }

  /**
   * At start: fills the index from the stored search documents when they are complete (one small document per public
   * service, written by the last full rebuild and kept current by reindexService), rechecking from the database the
   * services and organisations marked as changed since; otherwise rebuilds from the services.
   */
  async function loadIndex(): Promise<{ count: number; from: 'stored' | 'services'; rechecked: number }> {
    const stored = directory.searchDocuments
    const state = await stored.stored()
    if (!state) return { count: await rebuildIndex(), from: 'services', rechecked: 0 }
    const dirtyOrganizations = new Set(state.dirtyOrganizations)
    const recheck: string[] = []
    async function* documents() {
      for await (const rows of stored.read()) {
        for (const row of rows) {
          const changed = row.dirty || (row.organizationId !== null && dirtyOrganizations.has(row.organizationId))
          if (changed || row.document === null) recheck.push(row.id)
          else yield row.document
        }
      }
    }
    await search.replaceAll(documents())
    // A few _id lookups at a time: the only fast reads on FerretDB's SQLite backend.
    for (let i = 0; i < recheck.length; i += RECHECK_AT_ONCE) {
      await Promise.all(recheck.slice(i, i + RECHECK_AT_ONCE).map((id) => reindexService(id)))
    }
    await stored.clearDirtyOrganizations([...dirtyOrganizations])
    const count = await search.count()
    log.info({ count, rechecked: recheck.length }, 'search index loaded from the stored documents')
    return { count, from: 'stored', rechecked: recheck.length }
  }

  return {
    /** Resolves when every search miss recorded so far is written (or has failed and been logged). */
    async searchMissesWritten(): Promise<void> {
      await missWrites.settled()
    },

    async search(params: DirectorySearchParams): Promise<DirectorySearchResult> {
      const { text, postcode, radiusMiles, sort, page, perPage, facets, now, ...filters } = params
      if (radiusMiles !== undefined && !postcode?.trim()) {
        throw new ValidationError({ postcode: 'Enter a postcode to search within a distance' })
      }
      const origin = postcode?.trim() ? await placePostcode(geocoder, postcode) : null
      const signal = crisis.detect(text)
      const result = await search.search({
        crisisFirst: signal !== null || undefined,
        text: crisis.searchText(text, signal)?.trim() || undefined,
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
        // Not awaited: a results page never waits on this write (behind a busy database it waited seconds). Pending
        // writes are tracked so shutdown and tests can wait for them (searchMissesWritten).
        missWrites.start(() =>
          directory
            .recordSearchMiss({
              id: deps.newId(),
              at: clock(),
              needs: filters.needs ?? [],
              outcode: origin ? (origin.postcode.split(' ')[0] ?? null) : null,
              words: text?.trim().toLowerCase().slice(0, 100) || null,
              resultCount: result.total,
            })
            .catch((error: unknown) => log.warn({ err: error }, 'could not record a search miss')),
        )
      }
      const results = result.hits.map((hit) => ({
        document: hit.document,
        distanceKm: hit.distanceKm,
        distanceMiles: hit.distanceKm === null ? null : hit.distanceKm / KM_PER_MILE,
        stale: hit.stale,
      }))
      return {
        total: result.total,
        page: result.page,
        perPage: result.perPage,
        origin,
        results,
        facets: result.facets,
        urgentSupport: signal !== null || result.total === 0 ? crisis.callout(signal) : null,
      }
    },

    /**
     * The urgent-support callout for these words when they say someone may be at risk, else null. For pages that show
     * no results (a form error), so crisis words always bring the callout.
     */
    urgentSupportFor(text: string | undefined): CrisisCallout | null {
      const signal = crisis.detect(text)
      return signal ? crisis.callout(signal) : null
    },

    /** A public service with its organisation and locations; NotFoundError when missing or not public. */
    async getService(id: string): Promise<ServiceView> {
      const view = await directory.getServiceView(id)
      if (!view || !deps.isPublic(view)) throw new NotFoundError('Service not found')
      return view
    },

    rebuildIndex,
    loadIndex,
    reindexService,

    async taxonomy(): Promise<TaxonomyTerm[]> {
      return listTaxonomy()
    },

    invalidateTaxonomy(): void {
      taxonomy = undefined
    },
  }
}

export type DirectoryService = ReturnType<typeof createDirectoryService>
