// The SearchIndex adapter for deployments with several app instances: one Meilisearch index shared by all of them.
// Every write waits for its task, so a search right after a write sees it.
// Staleness depends on the query's "now", which Meilisearch cannot compute, so each search runs as two queries in one
// multi-search request, fresh listings (assuredTs >= now - STALE_AFTER_DAYS) then stale ones, and pages across both.
import {
  Meilisearch,
  type EnqueuedTaskPromise,
  type MultiSearchParams,
  type SearchParams,
  type Settings,
} from 'meilisearch'
import type { FacetName, SearchDocument, SearchHit, SearchIndex, SearchQuery, SearchResult } from './search-index'
import { FACET_NAMES, STALE_AFTER_DAYS } from './search-index'
import { STOP_WORDS, synonymMap } from './synonyms'

export interface MeilisearchIndexOptions {
  host: string
  apiKey?: string
  /** Index uid; default "services". */
  indexName?: string
}

/** What is stored: the document, with a location Meilisearch understands and numbers it can filter and sort on. */
type StoredDocument = Omit<SearchDocument, 'geo'> & {
  _geo?: { lat: number; lng: number }
  /** ageMin and ageMax with "no limit" as 0 and 200, so an age filter is two comparisons. */
  ageFrom: number
  ageTo: number
  /** assuredDate in milliseconds since the epoch; 0 when never checked. */
  assuredTs: number
}
type StoredHit = StoredDocument & { _geoDistance?: number }

const DAY_MS = 86_400_000
const DEFAULT_PER_PAGE = 20
const MAX_PER_PAGE = 100
/** Most matches sorted by distance in this adapter (see search); also Meilisearch's cap on totals. */
const MAX_TOTAL_HITS = 10_000
const BATCH = 5_000
const FACETS: FacetName[] = [...FACET_NAMES]

const SETTINGS: Settings = {
  // Order matters: the "attribute" ranking rule prefers a match in an earlier one.
  searchableAttributes: ['name', 'keywords', 'organizationName', 'description'],
  filterableAttributes: [...FACETS, 'status', 'crisis', 'ageFrom', 'ageTo', 'assuredTs', '_geo'],
  sortableAttributes: ['_geo', 'assuredTs'],
  displayedAttributes: ['id'],
  synonyms: synonymMap(),
  stopWords: [...STOP_WORDS],
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
  faceting: { maxValuesPerFacet: 1000 },
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
}

export class MeilisearchIndex implements SearchIndex {
  readonly kind = 'meilisearch' as const
  private readonly client: Meilisearch
  private readonly uid: string
  private ready: Promise<void> | undefined

  constructor(options: MeilisearchIndexOptions) {
    this.client = new Meilisearch({ host: options.host, apiKey: options.apiKey })
    this.uid = options.indexName ?? 'services'
  }

  async replaceAll(documents: Iterable<SearchDocument> | AsyncIterable<SearchDocument>): Promise<void> {
    // Build beside the live index and swap, so searches never see a half-filled index.
    await this.ensureIndex()
    const next = `${this.uid}_next_${Date.now()}`
    await this.createIndex(next)
    try {
      let batch: StoredDocument[] = []
      for await (const doc of documents) {
        batch.push(toStored(doc))
        if (batch.length === BATCH) {
          await succeeded(this.client.index(next).addDocuments(batch))
          batch = []
        }
      }
      if (batch.length > 0) await succeeded(this.client.index(next).addDocuments(batch))
      await succeeded(this.client.swapIndexes([{ indexes: [this.uid, next], rename: false }]))
    } finally {
      await succeeded(this.client.deleteIndex(next))
    }
  }

  async upsert(documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return
    await this.ensureIndex()
    await succeeded(this.index().addDocuments(documents.map(toStored)))
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return
    await this.ensureIndex()
    await succeeded(this.index().deleteDocuments(ids))
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    await this.ensureIndex()
    const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.floor(query.perPage ?? DEFAULT_PER_PAGE)))
    const page = Math.max(1, Math.floor(query.page ?? 1))
    const offset = (page - 1) * perPage
    const staleBefore = (query.now ?? new Date()).getTime() - STALE_AFTER_DAYS * DAY_MS
    const near = query.near
    const base: SearchParams = {
      q: query.text ?? '',
      matchingStrategy: 'all',
      facets: query.facets ?? [],
      ...(near ? { sort: [`_geoPoint(${near.lat}, ${near.lon}):asc`] } : {}),
    }
    const filters = toFilters(query)
    const tiers = [`assuredTs >= ${staleBefore}`, `assuredTs < ${staleBefore}`].map((tier) => [...filters, tier])

    // The ranking rules put relevance before the geo sort, so "nearest first" with words is sorted here, over every
    // match (up to MAX_TOTAL_HITS). Without words the geo sort alone decides and Meilisearch pages as usual.
    const sortHere = query.sort === 'distance' && near != null && (query.text ?? '').trim() !== ''
    const firstPage = sortHere ? { hitsPerPage: MAX_TOTAL_HITS, page: 1 } : { hitsPerPage: perPage, page }
    const { results } = await this.client.multiSearch<MultiSearchParams, StoredHit>({
      queries: [
        { indexUid: this.uid, ...base, ...firstPage, filter: tiers[0] },
        { indexUid: this.uid, ...base, hitsPerPage: sortHere ? MAX_TOTAL_HITS : 0, page: 1, filter: tiers[1] },
      ],
    })
    const [fresh, stale] = results
    if (fresh == null || stale == null) throw new Error('Meilisearch answered a multi-search with too few results')
    const freshTotal = fresh.totalHits ?? 0
    const staleTotal = stale.totalHits ?? 0

    const toHit = (isStale: boolean) => (hit: StoredHit) => ({
      id: hit.id,
      document: fromStored(hit),
      distanceKm: near != null && hit._geoDistance != null ? hit._geoDistance / 1000 : null,
      stale: isStale,
    })
    let hits: SearchHit[]
    if (sortHere) {
      const byDistance = (a: SearchHit, b: SearchHit): number => (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity)
      hits = [...fresh.hits.map(toHit(false)).sort(byDistance), ...stale.hits.map(toHit(true)).sort(byDistance)].slice(
        offset,
        offset + perPage,
      )
    } else {
      hits = fresh.hits.map(toHit(false))
      if (hits.length < perPage && offset + hits.length >= freshTotal && staleTotal > 0) {
        const more = await this.index().search<StoredHit>(base.q, {
          ...base,
          filter: tiers[1],
          offset: Math.max(0, offset - freshTotal),
          limit: perPage - hits.length,
          facets: [],
        })
        hits.push(...more.hits.map(toHit(true)))
      }
    }

    const facets: SearchResult['facets'] = {}
    for (const name of query.facets ?? []) {
      const counts: Record<string, number> = {}
      for (const response of [fresh, stale]) {
        for (const [value, count] of Object.entries(response.facetDistribution?.[name] ?? {})) {
          if (count > 0) counts[value] = (counts[value] ?? 0) + count
        }
      }
      facets[name] = counts
    }
    return { total: freshTotal + staleTotal, page, perPage, hits, facets }
  }

  async count(): Promise<number> {
    await this.ensureIndex()
    return (await this.index().getStats()).numberOfDocuments
  }

  async healthy(): Promise<boolean> {
    return this.client.isHealthy()
  }

  async close(): Promise<void> {}

  /** Deletes the index (tests use a fresh one per run). Not part of the port. */
  async drop(): Promise<void> {
    await this.client.deleteIndexIfExists(this.uid)
    this.ready = undefined
  }

  private index() {
    return this.client.index<StoredDocument>(this.uid)
  }

  private ensureIndex(): Promise<void> {
    this.ready ??= this.createIndex(this.uid).catch((error: unknown) => {
      this.ready = undefined
      throw error
    })
    return this.ready
  }

  /** Creates the index if it is missing and applies the settings (both idempotent). */
  private async createIndex(uid: string): Promise<void> {
    const task = await this.client.createIndex(uid, { primaryKey: 'id' }).waitTask()
    if (task.status === 'failed' && task.error?.code !== 'index_already_exists') {
      throw new Error(`Meilisearch could not create index ${uid}: ${task.error?.message ?? 'unknown error'}`)
    }
    await succeeded(this.client.index(uid).updateSettings(SETTINGS))
  }
}

async function succeeded(enqueued: EnqueuedTaskPromise): Promise<void> {
  const task = await enqueued.waitTask({ timeout: 120_000 })
  if (task.status !== 'succeeded') {
    throw new Error(`Meilisearch task ${task.type} ${task.status}: ${task.error?.message ?? 'no error given'}`)
  }
}

function toStored(doc: SearchDocument): StoredDocument {
  const { geo, ...rest } = doc
  return {
    ...rest,
    ...(geo ? { _geo: { lat: geo.lat, lng: geo.lon } } : {}),
    ageFrom: doc.ageMin ?? 0,
    ageTo: doc.ageMax ?? 200,
    // Never checked, or flagged by the freshness process: stale whatever the time.
    assuredTs: doc.assuredDate == null || doc.freshnessFlagged ? 0 : Date.parse(doc.assuredDate),
  }
}

function fromStored(stored: StoredHit): SearchDocument {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { _geo, _geoDistance, ageFrom, ageTo, assuredTs, ...rest } = stored
  return { ...rest, geo: _geo ? { lat: _geo.lat, lon: _geo.lng } : null }
}

const list = (values: readonly (string | number)[]): string => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`

/** The query's filters as Meilisearch filter expressions, all of which must hold. */
function toFilters(query: SearchQuery): string[] {
  const f = query.filters ?? {}
  const filters = [`status IN ${list(f.statuses ?? ['active', 'temporarily closed'])}`]
  const any = (field: string, values: readonly string[] | undefined): void => {
    if (values != null && values.length > 0) filters.push(`${field} IN ${list(values)}`)
  }
  any('needs', f.needs)
  any('deliveryModes', f.deliveryModes)
  any('days', f.days)
  any('timesOfDay', f.timesOfDay)
  any('languages', f.languages)
  any('accessRoutes', f.accessRoutes)
  // Crisis resources are never hidden by a capacity filter.
  if (f.capacity != null && f.capacity.length > 0) filters.push(`(capacity IN ${list(f.capacity)} OR crisis = true)`)
  for (const feature of f.accessibility ?? []) filters.push(`accessibility = ${JSON.stringify(feature)}`)
  if (f.freeOnly) filters.push('free = true')
  if (f.acceptsReferrals != null) filters.push(`acceptsReferrals = ${f.acceptsReferrals}`)
  if (f.age != null) filters.push(`ageFrom <= ${f.age} AND ageTo >= ${f.age}`)
  const near = query.near
  if (near?.radiusKm != null) filters.push(`_geoRadius(${near.lat}, ${near.lon}, ${Math.round(near.radiusKm * 1000)})`)
  return filters
}
