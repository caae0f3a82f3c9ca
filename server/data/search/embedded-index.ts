// The default SearchIndex adapter: everything in this process.
// MiniSearch's radix tree finds the words (typos, prefixes); beside it, one bitset per filter value answers filters and
// facet counts, and typed arrays hold what is compared per document (age range, location, when last checked).
// When not every word of a query is found, the listings that match most of them come first (as Meilisearch's
// "frequency" matching strategy): rarer words count for more, so "knitting group" puts knitting before any group.
import SearchableMap from 'minisearch/SearchableMap'
import { LRUCache } from 'lru-cache'
import type { FacetName, SearchDocument, SearchHit, SearchIndex, SearchQuery, SearchResult } from './search-index'
import { FACET_NAMES, filterClauses } from './search-index'
import { STALE_AFTER_DAYS } from '../../domain/directory-vocabulary'
import { createLogger } from '../../logger'
import { adjacentSwaps, attributeWords, STOP_WORDS, synonymMap, tokenize } from './lay-language'

const log = createLogger('search')

const DAY_MS = 86_400_000
const DEFAULT_PER_PAGE = 20
const MAX_PER_PAGE = 100

/** Text fields in order of importance: a match in an earlier one ranks higher (as Meilisearch's "attribute" rule). */
const TEXT_FIELDS = ['name', 'keywords', 'attributeWords', 'organizationName', 'description'] as const
const FIELD_WEIGHT = [3, 2, 1.8, 1.5, 1]
/** A match through a synonym counts for less than the words typed, as Meilisearch's "exactness" rule. */
const SYNONYM_WEIGHT = 0.6
/** Postings pack a slot and one bit per text field: slot * FIELD_SLOTS + fields. */
const FIELD_SLOTS = 32
const ALL_FIELDS = FIELD_SLOTS - 1

/**
 * Rank bits, lower first: crisis resources first when asked, then most words matched, then fresh before stale (a
 * stale listing that matches every word still comes before fresh ones that match fewer), then fewer typos.
 */
const NOT_CRISIS = 1 << 25
const MISSING = 1 << 16
const STALE = 1 << 15

/** The facets that have a posting set per value; the field of SearchDocument each comes from. */
const FACETS: readonly FacetName[] = [...FACET_NAMES]

const stopWords = new Set(STOP_WORDS)
const withoutStopWords = (words: string[]): string[] => words.filter((word) => !stopWords.has(word))

/** As Meilisearch by default: no typo under 5 letters, one from 5, two from 9. */
export function typoBudget(word: string): number {
  return word.length >= 9 ? 2 : word.length >= 5 ? 1 : 0
}

// ---- query expansion -----------------------------------------------------------------------------------------------

export interface Alternative {
  words: string[]
  /** The words the user typed (typos and a prefix allowed), as opposed to a synonym (matched exactly). */
  typed: boolean
}
/** One thing the user asked for: every group must match; any alternative of a group will do. */
export interface QueryGroup {
  alternatives: Alternative[]
  /** The last group the user typed: its last word may be the start of a longer one. */
  last: boolean
}

const expansions = buildExpansions()
const longestPhrase = Math.max(...[...expansions.keys()].map((phrase) => phrase.split(' ').length))

function buildExpansions(): Map<string, string[][]> {
  const map = new Map<string, string[][]>()
  for (const [from, to] of Object.entries(synonymMap())) {
    const key = tokenize(from).join(' ')
    const list = map.get(key) ?? []
    for (const term of to) {
      const words = withoutStopWords(tokenize(term))
      if (words.length > 0 && words.join(' ') !== key && !list.some((known) => known.join(' ') === words.join(' ')))
        list.push(words)
    }
    map.set(key, list)
  }
  return map
}

/**
 * Splits the text into groups, taking the longest known phrase first (stop words included, so "hits me" and "back to
 * work" are phrases), each with its synonyms as alternatives. Stop words outside a phrase are left out.
 */
export function parseQuery(text: string): QueryGroup[] {
  const words = tokenize(text)
  const groups: QueryGroup[] = []
  for (let i = 0; i < words.length;) {
    let length = Math.min(longestPhrase, words.length - i)
    for (; length > 1; length--) if (expansions.has(words.slice(i, i + length).join(' '))) break
    const phrase = words.slice(i, i + length)
    const synonyms = expansions.get(phrase.join(' ')) ?? []
    i += length
    const typed = withoutStopWords(phrase)
    if (typed.length === 0 && synonyms.length === 0) continue
    groups.push({
      alternatives: [
        ...(typed.length > 0 ? [{ words: typed, typed: true }] : []),
        ...synonyms.map((syn) => ({ words: syn, typed: false })),
      ],
      last: false,
    })
  }
  // The last thing typed may be the start of a longer word.
  const last = groups.at(-1)
  if (last) last.last = true
  return groups
}

// ---- bitsets ------------------------------------------------------------------------------------------------------

type Bits = Uint32Array<ArrayBuffer>
type Floats = Float64Array<ArrayBuffer>

/** Set bits in each 16-bit number: a popcount of a 32-bit word is two look-ups (faster here than arithmetic). */
const BITS16 = new Uint8Array(65536)
for (let i = 1; i < 65536; i++) BITS16[i] = (i & 1) + BITS16[i >>> 1]!
const has = (bits: Bits, slot: number): boolean => ((bits[slot >>> 5] ?? 0) & (1 << (slot & 31))) !== 0
const set = (bits: Bits, slot: number): void => {
  bits[slot >>> 5]! |= 1 << (slot & 31)
}
const unset = (bits: Bits, slot: number): void => {
  bits[slot >>> 5]! &= ~(1 << (slot & 31))
}
function andInto(target: Bits, other: Bits): void {
  for (let i = 0; i < target.length; i++) target[i]! &= other[i] ?? 0
}
function orInto(target: Bits, other: Bits): void {
  for (let i = 0; i < target.length; i++) target[i]! |= other[i] ?? 0
}

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180
  const dLat = (lat2 - lat1) * rad
  const dLon = (lon2 - lon1) * rad
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2
  return 12_742 * Math.asin(Math.min(1, Math.sqrt(a)))
}

// ---- results as sent between threads ----

/** A hit with its document still the JSON it is stored as, so it crosses to another thread as one string. */
export type EncodedHit = Omit<SearchHit, 'document'> & { json: string }
export type EncodedResult = Omit<SearchResult, 'hits'> & { hits: EncodedHit[] }

/**
 * Parses the hits' documents. The same stored JSON gives the same document object while it is remembered: a repeated
 * search parses nothing again, and what the results page keeps per document object (next openings) stays useful.
 */
export class HitDecoder {
  private readonly known: LRUCache<string, { json: string; document: SearchDocument }>

  /** Remembers as many documents as the recent results hold pages of them (a cyclic run of searches all hits). */
  constructor(options: EmbeddedSearchOptions = {}) {
    this.known = new LRUCache({ max: Math.max(1, resultCacheSize(options) * DEFAULT_PER_PAGE) })
  }

  decode(encoded: EncodedResult): SearchResult {
    const hits = encoded.hits.map(({ json, ...hit }) => {
      let entry = this.known.get(hit.id)
      if (entry?.json !== json) {
        entry = { json, document: JSON.parse(json) as SearchDocument }
        this.known.set(hit.id, entry)
      }
      return { ...hit, document: entry.document }
    })
    return { ...encoded, hits }
  }
}

// ---- the index ----------------------------------------------------------------------------------------------------

interface TextDoc {
  id: number
  name: string
  keywords: string
  attributeWords: string
  organizationName: string
  description: string
}

/** typos: groups matched only through a typo; missing: groups of the query the document does not match. */
type Found = (slot: number, score: number, typos: number, missing: number) => void

/** The matches of one query, as parallel arrays (no object per match: a query can match most of the directory). */
class Matches {
  length = 0
  slot = new Int32Array(0)
  score = new Float32Array(0)
  /** Lower is better: NOT_CRISIS (when crisis resources go first) + STALE + missing × MISSING + typos. */
  rank = new Uint32Array(0)
  /** Kilometres, approximate (exact for the hits returned); Infinity when unknown. */
  distance = new Float64Array(0)

  reset(capacity: number): void {
    this.length = 0
    if (this.slot.length >= capacity) return
    this.slot = new Int32Array(capacity)
    this.score = new Float32Array(capacity)
    this.rank = new Uint32Array(capacity)
    this.distance = new Float64Array(capacity)
  }

  push(slot: number, score: number, rank: number, distance: number): void {
    const i = this.length++
    this.slot[i] = slot
    this.score[i] = score
    this.rank[i] = rank
    this.distance[i] = distance
  }
}

/**
 * The indexed documents as UTF-8 JSON in a few large byte chunks, parsed only for the hits a page shows: about a third
 * of the memory of keeping 100,000 documents as objects, and nothing for the garbage collector to walk. Append-only;
 * the bytes of a replaced or removed document stay until the next rebuild (see vacuumIfDirty).
 */
class DocumentStore {
  private static readonly CHUNK = 8 * 1024 * 1024
  private readonly encoder = new TextEncoder()
  private readonly decoder = new TextDecoder()
  private chunks: Uint8Array[] = []
  private used = 0
  private chunkOf = new Uint16Array(0)
  private offset = new Uint32Array(0)
  private length = new Uint32Array(0)

  grow(capacity: number): void {
    const widen = <T extends Uint16Array | Uint32Array>(from: T, to: T): T => {
      to.set(from)
      return to
    }
    this.chunkOf = widen(this.chunkOf, new Uint16Array(capacity))
    this.offset = widen(this.offset, new Uint32Array(capacity))
    this.length = widen(this.length, new Uint32Array(capacity))
  }

  put(slot: number, doc: SearchDocument): void {
    const json = JSON.stringify(doc)
    // UTF-8 needs at most three bytes per UTF-16 unit.
    const room = json.length * 3
    let chunk = this.chunks.at(-1)
    if (chunk == null || this.used + room > chunk.length) {
      chunk = new Uint8Array(Math.max(DocumentStore.CHUNK, room))
      this.chunks.push(chunk)
      this.used = 0
    }
    const { written } = this.encoder.encodeInto(json, chunk.subarray(this.used))
    this.chunkOf[slot] = this.chunks.length - 1
    this.offset[slot] = this.used
    this.length[slot] = written
    this.used += written
  }

  get(slot: number): SearchDocument {
    return JSON.parse(this.json(slot)) as SearchDocument
  }

  json(slot: number): string {
    const start = this.offset[slot]!
    return this.decoder.decode(this.chunks[this.chunkOf[slot]!]!.subarray(start, start + this.length[slot]!))
  }
}

/**
 * The latest results by query (least recently used goes first), so repeated searches and paging back and forth cost
 * nothing. Any write to the index empties it, so a hit is always what a fresh search would return.
 */
class ResultCache {
  private readonly entries: LRUCache<string, EncodedResult> | null
  hits = 0
  misses = 0

  constructor(size: number) {
    this.entries = size > 0 ? new LRUCache({ max: size }) : null
  }

  get(key: string): EncodedResult | undefined {
    const result = this.entries?.get(key)
    if (result === undefined) this.misses++
    else this.hits++
    return result
  }

  set(key: string, result: EncodedResult): void {
    this.entries?.set(key, result)
  }

  clear(): void {
    this.entries?.clear()
  }
}

export interface EmbeddedSearchOptions {
  /** How many recent results to keep (0: none). Default 256. */
  resultCache?: number
}

const resultCacheSize = (options: EmbeddedSearchOptions): number => options.resultCache ?? 256

export class EmbeddedSearchIndex implements SearchIndex {
  readonly kind = 'embedded' as const
  private readonly cache: ResultCache
  private readonly decoder: HitDecoder

  constructor(options: EmbeddedSearchOptions = {}) {
    this.cache = new ResultCache(resultCacheSize(options))
    this.decoder = new HitDecoder(options)
    this.clear()
  }

  private clear(): void {
    this.cache.clear()
    this.text = new TextPostings()
    this.docs = new DocumentStore()
    this.slots = 0
    this.slotOf = new Map()
    this.idOf = []
    this.capacity = 0
    this.live = new Uint32Array(0)
    this.crisis = new Uint32Array(0)
    this.postings = new Map()
    this.keyNumber = new Map()
    this.keyFacet = []
    this.keyValue = []
    this.keys = new Uint32Array(0)
    this.keysUsed = 0
    this.keyStart = new Uint32Array(0)
    this.keyCount = new Uint16Array(0)
    for (const arrays of ['lat', 'lon', 'ageMin', 'ageMax', 'assured'] as const) this[arrays] = new Float64Array(0)
  }

  /** How often a search was answered from the recent results. */
  cacheStats(): { hits: number; misses: number } {
    return { hits: this.cache.hits, misses: this.cache.misses }
  }

  // The index itself: set (and emptied) by clear().
  private text!: TextPostings
  private docs!: DocumentStore
  /** The next slot to fill; slots are never reused. */
  private slots!: number
  private slotOf!: Map<string, number>
  /** The id of the document in each slot. */
  private idOf!: string[]
  /** Capacity in slots; every bitset and array below has room for this many. */
  private capacity!: number
  private live!: Bits
  private crisis!: Bits
  /** "facet\0value" → slots with that value; statuses are kept here too under "status". */
  private postings!: Map<string, Bits>
  /** Each posting key once, numbered, with its facet and value apart (for counting). */
  private keyNumber!: Map<string, number>
  private keyFacet!: string[]
  private keyValue!: string[]
  /** Per slot, the numbers of its posting keys: keys[keyStart[slot] … + keyCount[slot]] (append-only). */
  private keys!: Uint32Array<ArrayBuffer>
  private keysUsed!: number
  private keyStart!: Uint32Array<ArrayBuffer>
  private keyCount!: Uint16Array<ArrayBuffer>
  private lat!: Floats
  private lon!: Floats
  private ageMin!: Floats
  private ageMax!: Floats
  /** Milliseconds since the epoch; NaN when never checked. */
  private assured!: Floats
  private readonly matches = new Matches()
  private readonly scratchBits = new Map<string, Bits>()

  async replaceAll(documents: Iterable<SearchDocument> | AsyncIterable<SearchDocument>): Promise<void> {
    this.clear()
    let batch: SearchDocument[] = []
    for await (const doc of documents) {
      batch.push(doc)
      if (batch.length === 5000) {
        this.addAll(batch)
        batch = []
      }
    }
    this.addAll(batch)
  }

  async upsert(documents: SearchDocument[]): Promise<void> {
    this.addAll(documents)
    await this.vacuumIfDirty()
  }

  async remove(ids: string[]): Promise<void> {
    for (const id of ids) this.removeOne(id)
    await this.vacuumIfDirty()
  }

  /** Slots are never reused (the text postings of a removed one linger), so rebuild once most of them are dead. */
  private async vacuumIfDirty(): Promise<void> {
    const dead = this.slots - this.slotOf.size
    if (dead > Math.max(10_000, this.slotOf.size)) {
      const docs = this.docs
      await this.replaceAll([...this.slotOf.values()].sort((a, b) => a - b).map((slot) => docs.get(slot)))
    }
  }

  async count(): Promise<number> {
    return this.slotOf.size
  }

  async healthy(): Promise<boolean> {
    return true
  }

  async close(): Promise<void> {
    log.info({ ...this.cacheStats(), documents: this.slotOf.size }, 'search result cache')
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    return this.decoder.decode(this.searchEncoded(query))
  }

  /** The search, each hit's document left as its stored JSON (parsed by whoever shows it; see search-worker.ts). */
  searchEncoded(query: SearchQuery): EncodedResult {
    const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.floor(query.perPage ?? DEFAULT_PER_PAGE)))
    const page = Math.max(1, Math.floor(query.page ?? 1))
    const staleBefore = (query.now ?? new Date()).getTime() - STALE_AFTER_DAYS * DAY_MS
    const key = JSON.stringify([
      query.text?.trim().toLowerCase() ?? '',
      query.filters ?? {},
      query.near ?? null,
      query.sort ?? 'relevance',
      page,
      perPage,
      query.facets ?? [],
      query.crisisFirst === true,
      // Staleness is judged to the minute.
      Math.floor(staleBefore / 60_000),
    ])
    const cached = this.cache.get(key)
    if (cached) return cached
    const result = this.searchNow(query, page, perPage, staleBefore)
    this.cache.set(key, result)
    return result
  }

  private searchNow(query: SearchQuery, page: number, perPage: number, staleBefore: number): EncodedResult {
    const m = this.matches
    this.match(query, this.filter(query), staleBefore)

    const { slot, score, rank, distance } = m
    const compare =
      query.sort === 'distance' && query.near != null
        ? (a: number, b: number): number =>
            Math.floor(rank[a]! / MISSING) - Math.floor(rank[b]! / MISSING) ||
            (rank[a]! & STALE) - (rank[b]! & STALE) ||
            distance[a]! - distance[b]! ||
            rank[a]! - rank[b]! ||
            score[b]! - score[a]! ||
            slot[a]! - slot[b]!
        : (a: number, b: number): number =>
            rank[a]! - rank[b]! || score[b]! - score[a]! || distance[a]! - distance[b]! || slot[a]! - slot[b]!
    const top = topK(m.length, page * perPage, compare).slice((page - 1) * perPage)
    const near = query.near
    const hits: EncodedHit[] = top.map((i) => {
      const at = slot[i]!
      const located = near != null && !Number.isNaN(this.lat[at]!)
      return {
        id: this.idOf[at]!,
        json: this.docs.json(at),
        distanceKm: located ? haversineKm(near.lat, near.lon, this.lat[at]!, this.lon[at]!) : null,
        stale: (rank[i]! & STALE) !== 0,
      }
    })
    return { total: m.length, page, perPage, hits, facets: this.countFacets(query.facets ?? []) }
  }

  // ---- search steps ----

  /** Slots that pass every filter held in bitsets; age and distance are checked per match. */
  private filter(query: SearchQuery): Bits {
    const result = this.scratch('candidates', this.live.length)
    result.set(this.live)
    for (const clause of filterClauses(query.filters ?? {})) {
      if (clause.all) {
        for (const value of clause.values) andInto(result, this.bits(clause.field, value))
        continue
      }
      const allowed = this.anyOf(clause.field, clause.values)
      if (clause.orCrisis) orInto(allowed, this.crisis)
      andInto(result, allowed)
    }
    return result
  }

  /** Fills this.matches with the candidates that match the words, the age and the radius. */
  private match(query: SearchQuery, candidates: Bits, staleBefore: number): void {
    const matches = this.matches
    matches.reset(this.capacity)
    const age = query.filters?.age
    const near = query.near
    const radius = near?.radiusKm ?? Infinity
    // Equirectangular distance: within a fraction of a percent of the haversine at these scales, and much cheaper.
    // Close to the radius the exact distance decides.
    const kmPerDegree = 111.195
    const kmPerDegreeLon = kmPerDegree * Math.cos((near?.lat ?? 0) * (Math.PI / 180))
    const crisisFirst = query.crisisFirst === true
    const found: Found = (slot, score, typos, missing) => {
      if (age != null && !(this.ageMin[slot]! <= age && age <= this.ageMax[slot]!)) return
      let distance = Infinity
      if (near) {
        const lat = this.lat[slot]!
        if (!Number.isNaN(lat)) {
          const dy = (lat - near.lat) * kmPerDegree
          if (Math.abs(dy) > radius * 1.05) return
          const dx = (this.lon[slot]! - near.lon) * kmPerDegreeLon
          distance = Math.sqrt(dx * dx + dy * dy)
          if (distance > radius * 0.98 && radius !== Infinity) {
            distance = haversineKm(near.lat, near.lon, lat, this.lon[slot]!)
            if (distance > radius) return
          }
        } else if (radius !== Infinity) return
      }
      const stale = this.assured[slot]! >= staleBefore ? 0 : 1
      const notCrisis = crisisFirst && !has(this.crisis, slot) ? NOT_CRISIS : 0
      const rank = notCrisis + stale * STALE + Math.min(missing, 255) * MISSING + Math.min(typos, 255)
      matches.push(slot, score, rank, distance)
    }

    const groups = parseQuery(query.text ?? '')
    if (groups.length > 0) {
      this.text.search(groups, this.slotOf.size, (slot) => has(candidates, slot), found)
      return
    }
    for (let w = 0; w < candidates.length; w++) {
      let word = candidates[w]!
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word)
        word &= word - 1
        found(w * 32 + bit, 0, 0, 0)
      }
    }
  }

  /**
   * Counts each facet value over the matches, by whichever way is less work: from each match's own posting keys (work
   * in proportion to the matches, but a scattered read per match), or by popcounts of each wanted value's bitset
   * against the matches' bitset (work in proportion to the directory, read in order).
   */
  private countFacets(names: readonly FacetName[]): SearchResult['facets'] {
    const facets: SearchResult['facets'] = {}
    if (names.length === 0) return facets
    const counts = new Uint32Array(this.keyFacet.length)
    const { slot, length } = this.matches
    const keysPerSlot = this.keysUsed / Math.max(1, this.slots)
    const words = Math.ceil(this.slots / 32)
    const wanted: number[] = []
    for (let key = 0; key < this.keyFacet.length; key++)
      if (names.includes(this.keyFacet[key] as FacetName)) wanted.push(key)
    // A match's keys are a scattered read, several times the cost of a word of popcounts read in order (measured at
    // 100k: about 3 times).
    if (length * keysPerSlot * 3 < wanted.length * words) {
      countByKeys(counts, slot, length, this.keys, this.keyStart, this.keyCount)
    } else {
      const matched = this.scratch('matched', this.live.length)
      matched.fill(0, 0, words)
      for (let i = 0; i < length; i++) set(matched, slot[i]!)
      for (const key of wanted) {
        const bits = this.postings.get(`${this.keyFacet[key]}\0${this.keyValue[key]}`)!
        counts[key] = countBoth(matched, bits, words)
      }
    }
    for (const name of names) facets[name] = {}
    for (let key = 0; key < counts.length; key++) {
      if (counts[key] === 0) continue
      const forFacet = facets[this.keyFacet[key] as FacetName]
      if (forFacet != null) forFacet[this.keyValue[key]!] = counts[key]!
    }
    return facets
  }

  // ---- writing ----

  private addAll(documents: SearchDocument[]): void {
    this.cache.clear()
    for (const doc of documents) {
      this.removeOne(doc.id)
      const slot = this.slots++
      if (slot >= this.capacity) this.grow(Math.max(1024, this.capacity * 2))
      this.docs.put(slot, doc)
      this.slotOf.set(doc.id, slot)
      this.idOf[slot] = doc.id
      set(this.live, slot)
      if (doc.crisis) set(this.crisis, slot)
      const pairs = facetValues(doc)
      if (this.keysUsed + pairs.length > this.keys.length) {
        const wider = new Uint32Array(Math.max(4096, (this.keysUsed + pairs.length) * 2))
        wider.set(this.keys)
        this.keys = wider
      }
      this.keyStart[slot] = this.keysUsed
      this.keyCount[slot] = pairs.length
      for (const [facet, value] of pairs) {
        set(this.bits(facet, value), slot)
        this.keys[this.keysUsed++] = this.keyNumber.get(`${facet}\0${value}`)!
      }
      this.lat[slot] = doc.geo?.lat ?? NaN
      this.lon[slot] = doc.geo?.lon ?? NaN
      this.ageMin[slot] = doc.ageMin ?? -Infinity
      this.ageMax[slot] = doc.ageMax ?? Infinity
      // Never checked, or flagged by the freshness process: stale whatever the time.
      this.assured[slot] = doc.assuredDate == null || doc.freshnessFlagged ? NaN : Date.parse(doc.assuredDate)
      this.text.add({
        id: slot,
        name: doc.name,
        keywords: doc.keywords.join(' '),
        attributeWords: attributeWords(doc).join(' '),
        organizationName: doc.organizationName,
        description: doc.description,
      })
    }
  }

  private removeOne(id: string): void {
    const slot = this.slotOf.get(id)
    if (slot == null) return
    this.cache.clear()
    const end = this.keyStart[slot]! + this.keyCount[slot]!
    for (let k = this.keyStart[slot]!; k < end; k++) {
      unset(this.bits(this.keyFacet[this.keys[k]!]!, this.keyValue[this.keys[k]!]!), slot)
    }
    unset(this.live, slot)
    unset(this.crisis, slot)
    this.slotOf.delete(id)
  }

  private grow(capacity: number): void {
    const words = Math.ceil(capacity / 32)
    const widen = (bits: Bits): Bits => {
      const next = new Uint32Array(words)
      next.set(bits)
      return next
    }
    const widenF = (values: Floats): Floats => {
      const next = new Float64Array(capacity)
      next.set(values)
      return next
    }
    this.live = widen(this.live)
    this.crisis = widen(this.crisis)
    for (const [key, bits] of this.postings) this.postings.set(key, widen(bits))
    this.lat = widenF(this.lat)
    this.lon = widenF(this.lon)
    this.ageMin = widenF(this.ageMin)
    this.ageMax = widenF(this.ageMax)
    this.assured = widenF(this.assured)
    this.docs.grow(capacity)
    const keyStart = new Uint32Array(capacity)
    keyStart.set(this.keyStart)
    this.keyStart = keyStart
    const keyCount = new Uint16Array(capacity)
    keyCount.set(this.keyCount)
    this.keyCount = keyCount
    this.capacity = capacity
  }

  /**
   * A bitset kept for one use within a search (searches run one at a time, start to end), so a search allocates none;
   * replaced when the index grows.
   */
  private scratch(use: 'candidates' | 'allowed' | 'matched', words: number): Bits {
    let bits = this.scratchBits.get(use)
    if (bits?.length !== words) this.scratchBits.set(use, (bits = new Uint32Array(words)))
    return bits
  }

  private bits(facet: string, value: string): Bits {
    const key = `${facet}\0${value}`
    let bits = this.postings.get(key)
    if (bits == null) {
      bits = new Uint32Array(this.live.length)
      this.postings.set(key, bits)
      this.keyNumber.set(key, this.keyFacet.length)
      this.keyFacet.push(facet)
      this.keyValue.push(value)
    }
    return bits
  }

  private anyOf(facet: string, values: readonly string[]): Bits {
    const result = this.scratch('allowed', this.live.length)
    result.fill(0)
    for (const value of values) {
      const bits = this.postings.get(`${facet}\0${value}`)
      if (bits) orInto(result, bits)
    }
    return result
  }
}

/**
 * MiniSearch's radix tree holds the vocabulary (exact, prefix and fuzzy look-ups); each term's postings are our own
 * packed list of `slot * FIELD_SLOTS + fields` (one bit per text field), and scoring runs over typed arrays indexed by
 * slot, so a query allocates no object per matching document. Postings of removed slots stay until the next rebuild;
 * callers never reuse a slot and only accept live ones.
 */
class TextPostings {
  private readonly vocabulary = new SearchableMap<number[]>()
  /** The same postings by term in a plain map: adding looks each term up here, many times faster than in the tree. */
  private readonly byTerm = new Map<string, number[]>()
  private capacity = 0
  /** Per slot, what a search adds up (zero between searches): grown to the capacity when a search begins. */
  private perSlot = scratchArrays(0)

  add(doc: TextDoc): void {
    const fields = new Map<string, number>()
    TEXT_FIELDS.forEach((field, i) => {
      for (const term of tokenize(doc[field]))
        if (!stopWords.has(term)) fields.set(term, (fields.get(term) ?? 0) | (1 << i))
    })
    for (const [term, mask] of fields) {
      const postings = this.byTerm.get(term)
      if (postings) postings.push(doc.id * FIELD_SLOTS + mask)
      else {
        const created = [doc.id * FIELD_SLOTS + mask]
        this.byTerm.set(term, created)
        this.vocabulary.set(term, created)
      }
    }
    if (doc.id >= this.capacity) this.capacity = Math.max(1024, doc.id * 2)
  }

  /**
   * Calls `found` once per accepted document that matches at least one group, with how many groups it misses. A
   * group's score is its best alternative's (field weight × exactness), times how rare the group is among `documents`.
   */
  search(groups: QueryGroup[], documents: number, accept: (slot: number) => boolean, found: Found): void {
    if (this.perSlot.groupScore.length < this.capacity) this.perSlot = scratchArrays(this.capacity)
    const { groupScore, groupTypo, altCount, altFields, altTypo, groupsMatched, total, typos } = this.perSlot
    // The slots met so far by the query, the group and the alternative: each slot is listed at most once in each.
    const { touched, groupTouched, altTouched } = this.perSlot
    let touchedCount = 0
    for (const group of groups) {
      let groupCount = 0
      for (const alt of group.alternatives) {
        let altSeen = 0
        for (let w = 0; w < alt.words.length; w++) {
          const prefix = alt.typed && group.last && w === alt.words.length - 1
          for (const [term, typo] of this.expand(alt.words[w]!, alt.typed, prefix)) {
            const postings = this.byTerm.get(term)
            if (postings === undefined) continue
            for (let p = 0; p < postings.length; p++) {
              const entry = postings[p]!
              const slot = Math.floor(entry / FIELD_SLOTS)
              if (altCount[slot] !== w || !accept(slot)) continue
              if (w === 0) altTouched[altSeen++] = slot
              altCount[slot] = w + 1
              altFields[slot] = w === 0 ? entry & ALL_FIELDS : altFields[slot]! & entry & ALL_FIELDS
              altTypo[slot] = w === 0 ? typo : Math.max(altTypo[slot]!, typo)
            }
          }
          // A slot still at w after this word lacks it; the "altCount === w" test keeps each word counted once.
        }
        for (let i = 0; i < altSeen; i++) {
          const slot = altTouched[i]!
          if (altCount[slot] === alt.words.length) {
            const fields = altFields[slot]! || ALL_FIELDS
            const first = 31 - Math.clz32(fields & -fields)
            const score = (3 - altTypo[slot]!) * FIELD_WEIGHT[first]! * (alt.typed ? 1 : SYNONYM_WEIGHT)
            if (groupScore[slot] === 0) groupTouched[groupCount++] = slot
            if (score > groupScore[slot]!) {
              groupScore[slot] = score
              groupTypo[slot] = altTypo[slot] === 2 ? 1 : 0
            }
          }
          altCount[slot] = 0
        }
      }
      // Rarer groups count for more, as the inverse document frequency of BM25.
      const rarity = Math.log(1 + documents / Math.max(1, groupCount))
      for (let i = 0; i < groupCount; i++) {
        const slot = groupTouched[i]!
        if (groupsMatched[slot] === 0) touched[touchedCount++] = slot
        groupsMatched[slot]!++
        total[slot]! += groupScore[slot]! * rarity
        typos[slot]! += groupTypo[slot]!
        groupScore[slot] = 0
      }
    }
    for (let i = 0; i < touchedCount; i++) {
      const slot = touched[i]!
      found(slot, total[slot]!, typos[slot]!, groups.length - groupsMatched[slot]!)
      groupsMatched[slot] = 0
      total[slot] = 0
      typos[slot] = 0
    }
  }

  /** The vocabulary terms a query word stands for, each with 0 (exact), 1 (prefix) or 2 (typo). */
  private expand(word: string, typed: boolean, prefix: boolean): Map<string, number> {
    const terms = new Map<string, number>()
    if (this.byTerm.has(word)) terms.set(word, 0)
    if (!typed) return terms
    if (prefix) for (const [term] of this.vocabulary.atPrefix(word)) if (!terms.has(term)) terms.set(term, 1)
    const budget = typoBudget(word)
    if (budget === 0) return terms
    for (const term of this.vocabulary.fuzzyGet(word, budget).keys()) if (!terms.has(term)) terms.set(term, 2)
    // Two letters typed the wrong way round ("lonley", "anxeity") are one typo, as Meilisearch counts them
    // (Damerau-Levenshtein); MiniSearch's fuzzy look-up counts two, so only a word allowed one typo needs this.
    if (budget === 1)
      for (const term of adjacentSwaps(word)) if (this.byTerm.has(term) && !terms.has(term)) terms.set(term, 2)
    return terms
  }
}

function scratchArrays(n: number) {
  return {
    groupScore: new Float32Array(n),
    groupTypo: new Uint8Array(n),
    altCount: new Uint8Array(n),
    altFields: new Uint8Array(n),
    altTypo: new Uint8Array(n),
    groupsMatched: new Uint16Array(n),
    total: new Float32Array(n),
    typos: new Uint8Array(n),
    touched: new Int32Array(n),
    groupTouched: new Int32Array(n),
    altTouched: new Int32Array(n),
  }
}

function facetValues(doc: SearchDocument): [string, string][] {
  const pairs: [string, string][] = [['status', doc.status]]
  for (const name of FACETS) {
    const value = doc[name]
    if (Array.isArray(value)) for (const v of value) pairs.push([name, String(v)])
    else pairs.push([name, String(value)])
  }
  return pairs
}

/** Adds one to each posting key of each match. */
function countByKeys(
  counts: Uint32Array,
  slot: Int32Array,
  length: number,
  keys: Uint32Array,
  keyStart: Uint32Array,
  keyCount: Uint16Array,
): void {
  for (let i = 0; i < length; i++) {
    const at = slot[i]!
    const start = keyStart[at]!
    const end = start + keyCount[at]!
    for (let k = start; k < end; k++) counts[keys[k]!]!++
  }
}

/** How many slots are in both bitsets, over their first `words` words. */
function countBoth(a: Bits, b: Bits, words: number): number {
  let count = 0
  for (let w = 0; w < words; w++) {
    const both = a[w]! & b[w]!
    if (both !== 0) count += BITS16[both & 0xffff]! + BITS16[both >>> 16]!
  }
  return count
}

/** The first k of 0…n-1 in order, without sorting them all when k is small. */
function topK(n: number, k: number, compare: (a: number, b: number) => number): number[] {
  if (k * 8 >= n)
    return Array.from({ length: n }, (_, i) => i)
      .sort(compare)
      .slice(0, k)
  const best: number[] = []
  for (let i = 0; i < n; i++) {
    if (best.length === k && compare(i, best[k - 1]!) >= 0) continue
    let lo = 0
    let hi = best.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compare(best[mid]!, i) <= 0) lo = mid + 1
      else hi = mid
    }
    best.splice(lo, 0, i)
    if (best.length > k) best.pop()
  }
  return best
}
