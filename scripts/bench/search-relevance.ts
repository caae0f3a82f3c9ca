// The relevance set (search-relevance.json) scored against the demo directory: zero-result rate, precision at 5, the
// share of searches with the right kind of service in the top 5, and crisis recall (the urgent-support callout for
// every crisis search, with crisis services first for words of immediate risk). In process, on each adapter that
// can run: the embedded one always, Meilisearch when MEILI_URL is set.
import fs from 'node:fs'
import path from 'node:path'
import { buildDemoDirectory } from '../../server/data/demo/generate'
import { isPublic } from '../../server/data/repositories/directory.repository'
import { createCrisisDetector, type CrisisDetector } from '../../server/data/search/crisis'
import { toSearchDocument } from '../../server/data/search/documents'
import { EmbeddedSearchIndex } from '../../server/data/search/embedded-index'
import { MeilisearchIndex } from '../../server/data/search/meilisearch-index'
import type { SearchDocument, SearchIndex } from '../../server/data/search/search-index'
import { NEED_TAXONOMY } from '../../server/data/taxonomy'

export interface RelevanceQuery {
  q: string
  /** Need codes: a hit is of the right kind when it has any of them (any need when absent). */
  want?: string[]
  /** And is offered in this language (ISO 639-1). */
  language?: string
  /** And has this accessibility feature. */
  access?: string
  /** And runs on one of these days, or at one of these times. */
  days?: string[]
  times?: string[]
  /** The words must bring the urgent-support callout: for immediate risk, or for abuse (with the abuse helpline). */
  crisis?: 'risk' | 'abuse'
}

export const RELEVANCE_SET_FILE = path.join(import.meta.dirname, 'search-relevance.json')

export function readRelevanceSet(file = RELEVANCE_SET_FILE): RelevanceQuery[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { queries: RelevanceQuery[] }).queries
}

/** The public services of the demo directory as search documents, built in memory as the app indexes them. */
export function demoDocuments(now: Date): SearchDocument[] {
  const directory = buildDemoDirectory({ now })
  const organizations = new Map(directory.organizations.map((o) => [o.id, o]))
  const locations = new Map(directory.locations.map((l) => [l.id, l]))
  return directory.services.flatMap((service) => {
    const organization = organizations.get(service.organization_id)
    if (!organization || !isPublic(service, organization)) return []
    const at = service.service_at_locations.flatMap((s) => locations.get(s.location_id) ?? [])
    return [toSearchDocument(service, organization, at, NEED_TAXONOMY)]
  })
}

export function isRightKind(query: RelevanceQuery, doc: SearchDocument): boolean {
  return (
    (query.want == null || query.want.some((need) => doc.needs.includes(need))) &&
    (query.language == null || doc.languages.includes(query.language)) &&
    (query.access == null || doc.accessibility.includes(query.access)) &&
    (query.days == null || query.days.some((day) => (doc.days as string[]).includes(day))) &&
    (query.times == null || query.times.some((time) => (doc.timesOfDay as string[]).includes(time)))
  )
}

export interface QueryScore {
  q: string
  total: number
  /** Of the first five hits, how many are of the right kind, over five. */
  precisionAt5: number
  rightKindInTop5: boolean
  calloutShown: boolean
  /** The words themselves raised the callout (risk or abuse), not only an empty page. */
  wordsRaisedCallout: boolean
  /** For crisis searches: the callout names the abuse helpline exactly when the words were about abuse. */
  calloutRight: boolean | null
  crisisServiceFirst: boolean | null
  top5: string[]
}

export async function scoreQuery(
  index: SearchIndex,
  detector: CrisisDetector,
  query: RelevanceQuery,
  now: Date,
): Promise<QueryScore> {
  // As the directory service asks: crisis resources first when the words say someone may be at risk.
  const signal = detector.detect(query.q)
  const result = await index.search({
    text: detector.searchText(query.q, signal),
    crisisFirst: signal !== null || undefined,
    perPage: 5,
    now,
  })
  const top = result.hits.map((hit) => hit.document)
  const right = top.filter((doc) => isRightKind(query, doc)).length
  const calloutShown = signal !== null || result.total === 0
  return {
    q: query.q,
    total: result.total,
    precisionAt5: right / 5,
    rightKindInTop5: right > 0,
    calloutShown,
    wordsRaisedCallout: signal !== null,
    calloutRight: query.crisis ? calloutShown && (signal?.abuse === true) === (query.crisis === 'abuse') : null,
    crisisServiceFirst: query.crisis === 'risk' ? top[0]?.crisis === true : null,
    top5: top.map((doc) => doc.name),
  }
}

const round = (n: number): number => Math.round(n * 1000) / 1000

export async function scoreRelevance(index: SearchIndex, set: RelevanceQuery[], now: Date) {
  const detector = createCrisisDetector()
  const scores: QueryScore[] = []
  for (const query of set) scores.push(await scoreQuery(index, detector, query, now))
  const crisis = scores.filter((s) => s.calloutRight !== null)
  const risk = scores.filter((s) => s.crisisServiceFirst !== null)
  return {
    queries: scores.length,
    zeroResultRate: round(scores.filter((s) => s.total === 0).length / scores.length),
    precisionAt5: round(scores.reduce((sum, s) => sum + s.precisionAt5, 0) / scores.length),
    rightKindInTop5: round(scores.filter((s) => s.rightKindInTop5).length / scores.length),
    crisisQueries: crisis.length,
    crisisRecall: round(crisis.filter((s) => s.calloutRight).length / Math.max(1, crisis.length)),
    crisisServiceFirst: round(risk.filter((s) => s.crisisServiceFirst).length / Math.max(1, risk.length)),
    /** Searches that are not about a crisis whose words raised the callout anyway (and put crisis services first). */
    falseAlarms: scores.filter((s) => s.calloutRight === null && s.wordsRaisedCallout).map((s) => s.q),
    misses: scores.filter((s) => !s.rightKindInTop5 || s.calloutRight === false),
  }
}

/** For npm run bench: the set scored on the embedded adapter, and on Meilisearch when MEILI_URL is set. */
export async function benchSearchRelevance() {
  const now = new Date()
  const docs = demoDocuments(now)
  const set = readRelevanceSet()
  const embedded = new EmbeddedSearchIndex()
  await embedded.replaceAll(docs)
  type Figures = Awaited<ReturnType<typeof scoreRelevance>>
  const result: { services: number; embedded: Figures; meilisearch?: Figures } = {
    services: docs.length,
    embedded: await scoreRelevance(embedded, set, now),
  }
  if (process.env.MEILI_URL) {
    const meili = new MeilisearchIndex({
      host: process.env.MEILI_URL,
      apiKey: process.env.MEILI_KEY,
      indexName: `relevance_${Date.now()}`,
    })
    try {
      await meili.replaceAll(docs)
      result.meilisearch = await scoreRelevance(meili, set, now)
    } finally {
      await meili.drop()
    }
  }
  return result
}
