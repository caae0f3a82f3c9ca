// The SearchIndex adapter for deployments with several app instances: one Meilisearch index shared by all of them.
// Every write waits for its task, so a search right after a write sees it.
// Staleness depends on the query's "now", which Meilisearch cannot compute, so each search runs as one query per tier
// in one multi-search request, fresh listings (assuredTs >= now - STALE_AFTER_DAYS) then stale ones (crisis resources
// before both when the query asks for them first), and pages across the tiers.
// The index's settings and the parameters every search sends are declared once, in SETTINGS and SEARCH_DEFAULTS.
import {
  Meilisearch,
  type EnqueuedTaskPromise,
  type MultiSearchParams,
  type RankingScoreDetails,
  type SearchParams,
  type Settings,
} from 'meilisearch'
import type { FacetName, SearchDocument, SearchHit, SearchIndex, SearchQuery, SearchResult } from './search-index'
import { FACET_NAMES, filterClauses } from './search-index'
import { STALE_AFTER_DAYS } from '../../domain/directory-vocabulary'
import { attributeWords, STOP_WORDS, synonymMap, tokenize } from './lay-language'

export interface MeilisearchIndexOptions {
  host: string
  apiKey?: string
  /** Index uid; default "services". */
  indexName?: string
}

/** What is stored: the document, with a location Meilisearch understands and numbers it can filter and sort on. */
export type StoredDocument = Omit<SearchDocument, 'geo'> & {
  _geo?: { lat: number; lng: number }
  /** ageMin and ageMax with "no limit" as 0 and 200, so an age filter is two comparisons. */
  ageFrom: number
  ageTo: number
  /** assuredDate in milliseconds since the epoch; 0 when never checked or flagged by the freshness process. */
  assuredTs: number
  /** The words that find the listing by its languages, accessibility, days and times (lay-language.ts). */
  attributeWords: string[]
}
/** A hit: every displayed field, and _geoDistance (metres) when the search sorts by _geoPoint. */
export type StoredHit = StoredDocument & { _geoDistance?: number; _rankingScoreDetails?: RankingScoreDetails }

const DAY_MS = 86_400_000
const DEFAULT_PER_PAGE = 20
const MAX_PER_PAGE = 100
/** Most matches sorted by distance in this adapter (see search); also Meilisearch's cap on totals. */
const MAX_TOTAL_HITS = 10_000
const BATCH = 5_000
const FACETS: FacetName[] = [...FACET_NAMES]

/**
 * The lay-language synonyms as Meilisearch takes them. Stop words are left out of the query and the index before
 * synonyms apply, so each phrase is sent as typed and without its stop words ("hits me" and "hits"), and what it
 * finds without them ("stay and play" → "stay play"), as the embedded adapter expands.
 */
function meilisearchSynonyms(): Record<string, string[]> {
  const stop = new Set(STOP_WORDS)
  const bare = (phrase: string): string =>
    tokenize(phrase)
      .filter((word) => !stop.has(word))
      .join(' ')
  const map: Record<string, string[]> = {}
  for (const [from, to] of Object.entries(synonymMap())) {
    const targets = to.map(bare).filter((term) => term !== '')
    for (const key of new Set([from, bare(from)])) {
      if (key === '') continue
      const list = (map[key] ??= [])
      for (const term of targets) if (term !== key && !list.includes(term)) list.push(term)
    }
  }
  return map
}

/** Every setting of the index, applied whenever the adapter creates or opens its index. */
export const SETTINGS: Settings = {
  // Order matters: the "attribute" ranking rule prefers a match in an earlier one (as the embedded adapter's weights).
  searchableAttributes: ['name', 'keywords', 'attributeWords', 'organizationName', 'description'],
  filterableAttributes: [...FACETS, 'status', 'crisis', 'ageFrom', 'ageTo', 'assuredTs', '_geo'],
  sortableAttributes: ['_geo', 'assuredTs'],
  // Every field: hits carry the whole document (a results page reads nothing else), and Meilisearch adds _geoDistance
  // to a hit only when _geo is displayed.
  displayedAttributes: ['*'],
  synonyms: meilisearchSynonyms(),
  stopWords: [...STOP_WORDS],
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
  faceting: { maxValuesPerFacet: 1000 },
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
}

/**
 * What every search sends. "frequency": when no listing has every word, drop the most common words first, so the
 * listings with most words (and the rarest) come first, as the embedded adapter ranks.
 */
export const SEARCH_DEFAULTS = {
  matchingStrategy: 'frequency',
  attributesToRetrieve: ['*'],
} as const satisfies SearchParams

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
    // The ranking rules put relevance before the geo sort, so "nearest first" with words is sorted here, over every
    // match (up to MAX_TOTAL_HITS). Without words the geo sort alone decides and Meilisearch pages as usual.
    const sortHere = query.sort === 'distance' && near != null && (query.text ?? '').trim() !== ''
    const base: SearchParams = {
      ...SEARCH_DEFAULTS,
      q: query.text ?? '',
      facets: query.facets ?? [],
      ...(near ? { sort: [`_geoPoint(${near.lat}, ${near.lon}):asc`] } : {}),
      ...(sortHere ? { showRankingScoreDetails: true } : {}),
    }
    const filters = toFilters(query)
    const fresh = `assuredTs >= ${staleBefore}`
    const stale = `assuredTs < ${staleBefore}`
    const tiers = (
      query.crisisFirst
        ? [
            ['crisis = true', fresh],
            ['crisis = true', stale],
            ['crisis = false', fresh],
            ['crisis = false', stale],
          ]
        : [[fresh], [stale]]
    ).map((tier) => [...filters, ...tier])

    // The first tier answers the page when it can; the others give their totals and facet counts.
    const { results } = await this.client.multiSearch<MultiSearchParams, StoredHit>({
      queries: tiers.map((filter, i) => ({
        indexUid: this.uid,
        ...base,
        filter,
        ...(sortHere
          ? { hitsPerPage: MAX_TOTAL_HITS, page: 1 }
          : i === 0
            ? { hitsPerPage: perPage, page }
            : { hitsPerPage: 0, page: 1 }),
      })),
    })
    if (results.length !== tiers.length) throw new Error('Meilisearch answered a multi-search with too few results')
    const totals = results.map((result) => result.totalHits ?? 0)

    const toHit = (hit: StoredHit): SearchHit => ({
      id: hit.id,
      document: fromStored(hit),
      distanceKm: near != null && hit._geoDistance != null ? hit._geoDistance / 1000 : null,
      stale: hit.assuredTs < staleBefore,
    })
    let hits: SearchHit[]
    if (sortHere) {
      // Within a tier: most words matched first (as Meilisearch's words rule), then nearest.
      const missing = (hit: StoredHit): number => {
        const words = hit._rankingScoreDetails?.words
        return words ? words.maxMatchingWords - words.matchingWords : 0
      }
      const byDistance = (a: StoredHit, b: StoredHit): number =>
        missing(a) - missing(b) || (a._geoDistance ?? Infinity) - (b._geoDistance ?? Infinity)
      hits = results.flatMap((result) => [...result.hits].sort(byDistance).map(toHit)).slice(offset, offset + perPage)
    } else {
      hits = results[0]!.hits.map(toHit)
      // The rest of the page from the later tiers, each from where the page starts in it.
      const more: { filter: string[]; offset: number; limit: number }[] = []
      let start = totals[0]!
      for (let i = 1; i < tiers.length; i++) {
        const from = Math.max(offset, start)
        const to = Math.min(offset + perPage, start + totals[i]!)
        if (to > from) more.push({ filter: tiers[i]!, offset: from - start, limit: to - from })
        start += totals[i]!
      }
      if (more.length > 0) {
        const extra = await this.client.multiSearch<MultiSearchParams, StoredHit>({
          queries: more.map((part) => ({ indexUid: this.uid, ...base, facets: [], ...part })),
        })
        for (const result of extra.results) hits.push(...result.hits.map(toHit))
      }
    }

    const facets: SearchResult['facets'] = {}
    for (const name of query.facets ?? []) {
      const counts: Record<string, number> = {}
      for (const response of results) {
        for (const [value, count] of Object.entries(response.facetDistribution?.[name] ?? {})) {
          if (count > 0) counts[value] = (counts[value] ?? 0) + count
        }
      }
      facets[name] = counts
    }
    return { total: totals.reduce((sum, n) => sum + n, 0), page, perPage, hits, facets }
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

export function toStored(doc: SearchDocument): StoredDocument {
  const { geo, ...rest } = doc
  return {
    ...rest,
    ...(geo ? { _geo: { lat: geo.lat, lng: geo.lon } } : {}),
    ageFrom: doc.ageMin ?? 0,
    ageTo: doc.ageMax ?? 200,
    // Never checked, or flagged by the freshness process: stale whatever the time.
    assuredTs: doc.assuredDate == null || doc.freshnessFlagged ? 0 : Date.parse(doc.assuredDate),
    attributeWords: attributeWords(doc),
  }
}

export function fromStored(stored: StoredHit): SearchDocument {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { _geo, _geoDistance, _rankingScoreDetails, ageFrom, ageTo, assuredTs, attributeWords, ...rest } = stored
  return { ...rest, geo: _geo ? { lat: _geo.lat, lon: _geo.lng } : null }
}

const list = (values: readonly (string | number)[]): string => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`

/** The query's filters as Meilisearch filter expressions, all of which must hold. */
function toFilters(query: SearchQuery): string[] {
  const f = query.filters ?? {}
  const filters: string[] = []
  for (const { field, values, all, orCrisis } of filterClauses(f)) {
    if (all) for (const value of values) filters.push(`${field} = ${JSON.stringify(value)}`)
    else if (orCrisis) filters.push(`(${field} IN ${list(values)} OR crisis = true)`)
    else filters.push(`${field} IN ${list(values)}`)
  }
  if (f.age != null) filters.push(`ageFrom <= ${f.age} AND ageTo >= ${f.age}`)
  const near = query.near
  if (near?.radiusKm != null) filters.push(`_geoRadius(${near.lat}, ${near.lon}, ${Math.round(near.radiusKm * 1000)})`)
  return filters
}
