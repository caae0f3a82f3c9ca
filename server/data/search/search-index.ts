// The SearchIndex port. Two adapters implement it and pass one contract suite (test/contract/search-index.contract.ts):
// the embedded adapter (in-process, the default) and the Meilisearch adapter (when MEILI_URL is set).
// The database is the source of truth; the index is rebuilt from it at start and kept current on every write.

import type {
  DeliveryMode,
  AccessRoute,
  Capacity,
  Day,
  TimeOfDay,
  ServiceStatus,
} from '../../domain/directory-vocabulary'

/**
 * The few display fields a results page needs beyond those searched on. Stored with the document and returned with
 * each hit, so a results page is drawn from the index alone, with no database reads.
 */
export interface ServiceCard {
  /** The description, cut to a sentence or two. */
  summary: string
  costOptions: { option: string; amount: number | null }[]
  /** Regular times as HSDS schedule rules, for "next session". Dates are ISO 8601. */
  schedules: {
    freq: 'WEEKLY' | 'MONTHLY' | null
    byday: string | null
    opens_at: string | null
    closes_at: string | null
    valid_from: string | null
    valid_to: string | null
  }[]
}

/** One public service, flattened for search. Built from the database by documents.ts. */
export interface SearchDocument {
  /** The service id (a UUID). */
  id: string
  name: string
  organizationName: string
  /** Summary and description, plain text. */
  description: string
  /** Extra words to match: taxonomy term names, alternate names, activity words. */
  keywords: string[]
  /** Need taxonomy term codes, each with all its ancestors, so a parent filter finds children. */
  needs: string[]
  deliveryModes: DeliveryMode[]
  /** True when at least one cost option is free. */
  free: boolean
  /** Days with a regular session; empty when no regular schedule is known. */
  days: Day[]
  timesOfDay: TimeOfDay[]
  /** Inclusive age range served; null means no limit on that side. */
  ageMin: number | null
  ageMax: number | null
  /** Languages offered, as lower-case ISO 639-1 codes ("en", "pa", "ur"). */
  languages: string[]
  /** Accessibility features of the venue ("step_free", "hearing_loop", "accessible_toilet", …). */
  accessibility: string[]
  accessRoutes: AccessRoute[]
  acceptsReferrals: boolean
  capacity: Capacity
  status: ServiceStatus
  /** Crisis resources are marked visibly and never hidden by filters on capacity. */
  crisis: boolean
  /** The main location, when the service has a physical one. */
  geo: { lat: number; lon: number } | null
  /** When the listing was last checked (ISO 8601), or null when never. */
  assuredDate: string | null
  /**
   * The listing did not answer its freshness reminders: it ranks and shows as not recently checked whatever its
   * assuredDate, which still says when it was last checked. Absent when not flagged.
   */
  freshnessFlagged?: boolean
  card: ServiceCard
}

/** Every facet the port counts; each is a field of SearchDocument. */
export const FACET_NAMES = [
  'needs',
  'deliveryModes',
  'free',
  'days',
  'timesOfDay',
  'languages',
  'accessibility',
  'accessRoutes',
  'acceptsReferrals',
  'capacity',
] as const
export type FacetName = (typeof FACET_NAMES)[number]

export interface SearchFilters {
  /** Any of these need codes (a parent code matches its children, because documents carry ancestors). */
  needs?: string[]
  deliveryModes?: DeliveryMode[]
  freeOnly?: boolean
  /** Any of these days. */
  days?: Day[]
  timesOfDay?: TimeOfDay[]
  /** Serves a person of this age. */
  age?: number
  /** Any of these languages. */
  languages?: string[]
  /** All of these features. */
  accessibility?: string[]
  accessRoutes?: AccessRoute[]
  acceptsReferrals?: boolean
  capacity?: Capacity[]
  /** Defaults to ['active', 'temporarily closed']: what the public directory shows. */
  statuses?: ServiceStatus[]
}

/** One condition a document must meet: a value of `field` among `values` (any of them, or all when `all`). */
export interface FilterClause {
  field: FacetName | 'status'
  values: string[]
  all?: boolean
  /** Crisis resources meet it whatever their value. */
  orCrisis?: boolean
}

/** What the public directory shows when no status is asked for. */
const DEFAULT_STATUSES: ServiceStatus[] = ['active', 'temporarily closed']

/** The filters held as document values, as clauses every adapter applies alike (age and distance are its own). */
export function filterClauses(f: SearchFilters): FilterClause[] {
  const clauses: FilterClause[] = [{ field: 'status', values: f.statuses ?? DEFAULT_STATUSES }]
  const any = (field: FacetName, values: readonly string[] | undefined, orCrisis?: boolean): void => {
    if (values != null && values.length > 0)
      clauses.push({ field, values: [...values], ...(orCrisis ? { orCrisis } : {}) })
  }
  any('needs', f.needs)
  any('deliveryModes', f.deliveryModes)
  any('days', f.days)
  any('timesOfDay', f.timesOfDay)
  any('languages', f.languages)
  any('accessRoutes', f.accessRoutes)
  // Crisis resources are never hidden by a capacity filter.
  any('capacity', f.capacity, true)
  if (f.accessibility != null && f.accessibility.length > 0)
    clauses.push({ field: 'accessibility', values: [...f.accessibility], all: true })
  if (f.freeOnly) clauses.push({ field: 'free', values: ['true'] })
  if (f.acceptsReferrals != null) clauses.push({ field: 'acceptsReferrals', values: [String(f.acceptsReferrals)] })
  return clauses
}

export interface SearchQuery {
  /**
   * Free words; typos are forgiven, the last word may be a prefix, synonyms and lay phrases expand (lay-language.json),
   * stop words never decide. When no listing has every word, those with most of them come first (rarer words count
   * for more). Empty means "everything that passes the filters".
   */
  text?: string
  filters?: SearchFilters
  /** Distance is measured from here; with radiusKm, documents further away (or with no location) are left out. */
  near?: { lat: number; lon: number; radiusKm?: number }
  /** relevance: text relevance first, then distance (the default); distance: nearest first. */
  sort?: 'relevance' | 'distance'
  /** 1-based. */
  page?: number
  perPage?: number
  /** Facet counts to return, computed over every match (not only this page). */
  facets?: FacetName[]
  /** The time that staleness is judged against (tests pass a fixed one). */
  now?: Date
  /**
   * Crisis resources among the matches come before every other listing (the words say someone may be at risk).
   * Otherwise they rank as any listing.
   */
  crisisFirst?: boolean
}

export interface SearchHit {
  id: string
  /** The document as indexed. */
  document: SearchDocument
  /** Kilometres from `near`, when it was given and the document has a location. */
  distanceKm: number | null
  /** Not checked for more than STALE_AFTER_DAYS. */
  stale: boolean
}

export interface SearchResult {
  total: number
  page: number
  perPage: number
  hits: SearchHit[]
  /** facet name → value → count of matching documents. Boolean facets use the keys "true" and "false". */
  facets: Partial<Record<FacetName, Record<string, number>>>
}

export interface SearchIndex {
  readonly kind: 'embedded' | 'meilisearch'
  /** Replace the whole index with these documents (used at start and by scripts/reindex). */
  replaceAll(documents: Iterable<SearchDocument> | AsyncIterable<SearchDocument>): Promise<void>
  /** Add or replace documents by id. */
  upsert(documents: SearchDocument[]): Promise<void>
  remove(ids: string[]): Promise<void>
  search(query: SearchQuery): Promise<SearchResult>
  count(): Promise<number>
  /** True when the index answers. Used by /healthz. */
  healthy(): Promise<boolean>
  close(): Promise<void>
}
