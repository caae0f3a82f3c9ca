// Measures a SearchIndex in this process: build time, resident memory after the build, and query latency for four
// kinds of query a link worker makes. Queries are drawn from the documents themselves, so any document set will do,
// except the sentences, which are the relevance set's (search-relevance.json): whole sentences in everyday words.
import { performance } from 'node:perf_hooks'
import {
  FACET_NAMES,
  type SearchDocument,
  type SearchIndex,
  type SearchQuery,
} from '../../server/data/search/search-index'
import { createRandom } from '../../server/data/demo/prng'
import { readRelevanceSet } from './search-relevance'

export interface SearchBenchOptions {
  /** Queries timed per kind (after a warm-up of a tenth as many). Default 300. */
  queries?: number
  /** Seed for choosing queries. Default 7. */
  seed?: number
  /** The "now" that staleness is judged against. Default: now. */
  now?: Date
  /** Radius for the distance queries. Default 25 km. */
  radiusKm?: number
}

export interface Percentiles {
  p50: number
  p95: number
}

export interface SearchBenchResult {
  buildMs: number
  rssMb: number
  queries: { mix: Percentiles; typo: Percentiles; filtersOnly: Percentiles; sentences: Percentiles }
}

const ALL_FACETS: SearchQuery['facets'] = [...FACET_NAMES]

export async function benchSearchInProcess(
  index: SearchIndex,
  docs: SearchDocument[],
  opts: SearchBenchOptions = {},
): Promise<SearchBenchResult> {
  const runs = opts.queries ?? 300
  const now = opts.now ?? new Date()
  const radiusKm = opts.radiusKm ?? 25
  const random = createRandom(opts.seed ?? 7).next
  const pickDoc = (): SearchDocument => docs[Math.floor(random() * docs.length)]!
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)]
  const located = docs.filter((doc) => doc.geo != null)
  const nearSomewhere = (): { lat: number; lon: number } => {
    const doc = located[Math.floor(random() * located.length)]
    return doc?.geo ?? { lat: 52.5, lon: -1.5 }
  }
  const wordsOf = (doc: SearchDocument): string[] =>
    [...doc.name.split(/\s+/), ...doc.keywords].map((w) => w.toLowerCase().replace(/[^a-z]/g, '')).filter(Boolean)
  const longWord = (doc: SearchDocument): string => {
    const long = wordsOf(doc).filter((w) => w.length >= 6)
    return pick(long) ?? pick(wordsOf(doc)) ?? 'support'
  }
  const sentences = readRelevanceSet().map((query) => query.q)
  const withTypo = (word: string): string => {
    const at = 1 + Math.floor(random() * (word.length - 2))
    return random() < 0.5
      ? word.slice(0, at) + word.slice(at + 1)
      : word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2)
  }

  const kinds: Record<keyof SearchBenchResult['queries'], () => SearchQuery> = {
    // Words, a need, a place: what a link worker types most.
    mix: () => {
      const doc = pickDoc()
      const need = pick(doc.needs)
      return {
        text: longWord(doc),
        filters: need ? { needs: [need] } : {},
        near: { ...nearSomewhere(), radiusKm },
        sort: 'distance',
        facets: ALL_FACETS,
        now,
      }
    },
    // One word with a typo in it, ranked by relevance from a point.
    typo: () => ({ text: withTypo(longWord(pickDoc())), near: nearSomewhere(), facets: ALL_FACETS, now }),
    // No words: filters and facet counts only.
    filtersOnly: () => {
      const doc = pickDoc()
      return {
        filters: {
          needs: doc.needs.slice(0, 1),
          days: doc.days.slice(0, 2),
          freeOnly: random() < 0.5,
          ...(random() < 0.5 ? { deliveryModes: doc.deliveryModes.slice(0, 1) } : {}),
        },
        facets: ALL_FACETS,
        now,
      }
    },
    // What people type: whole sentences in everyday words, from a point. Most match only some of their words, so
    // they match far more listings than one word does.
    sentences: () => ({ text: pick(sentences), near: nearSomewhere(), facets: ALL_FACETS, now }),
  }

  const started = performance.now()
  await index.replaceAll(docs)
  const buildMs = performance.now() - started
  globalThis.gc?.()
  const rssMb = process.memoryUsage().rss / 1024 / 1024

  const queries = {} as SearchBenchResult['queries']
  for (const [kind, make] of Object.entries(kinds) as [keyof SearchBenchResult['queries'], () => SearchQuery][]) {
    const planned = Array.from({ length: runs + Math.ceil(runs / 10) }, make)
    const times: number[] = []
    for (const [i, query] of planned.entries()) {
      const t0 = performance.now()
      await index.search(query)
      if (i >= planned.length - runs) times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    const at = (q: number): number => round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN)
    queries[kind] = { p50: at(0.5), p95: at(0.95) }
  }
  return { buildMs: Math.round(buildMs), rssMb: Math.round(rssMb), queries }
}

const round = (ms: number): number => Math.round(ms * 100) / 100
