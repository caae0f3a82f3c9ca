// Paging a large collection newest first without reading all of it. FerretDB v1 hands PostgreSQL only top-level
// equality on scalars; sorting, skipping and limiting happen after it has fetched every match. So a list that pages
// "the team's 20,000 referrals" would fetch 20,000 documents per page. Instead each bucketed document carries
// `month` ("2026-12", UTC, from the date the list sorts by), and a page is found month by month, newest first:
// count each month's documents in the list's scope (equality on indexed fields plus `month`), skip whole months
// before the page, then fetch only the one or two months the page falls in, sort them and cut the page out.
// A past month's count in a scope whose fields never change on a document (a referral's team, practice or
// organisation, an audit event's actor) is kept in memory: documents are only ever added with the current month.
// The months a collection has documents in are listed in `list_months`, added to as documents are written.
import type { Model } from 'mongoose'
import type { Models } from '../models'

export const PER_PAGE = 25

export interface Page<T> {
  items: T[]
  /** Documents in the whole list, every page. */
  total: number
  /** 1-based; a page past the end is the last page. */
  page: number
  perPage: number
}

/** The bucket of a date: its UTC year and month, "2026-12". */
export function monthOf(date: Date | string): string {
  return new Date(date).toISOString().slice(0, 7)
}

/** The months from `from` back to `to` inclusive, newest first ("2026-12", "2026-11", …). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = []
  let [y, m] = from.split('-').map(Number) as [number, number]
  while (out.length < 1200) {
    const month = `${y}-${String(m).padStart(2, '0')}`
    if (month < to) break
    out.push(month)
    if (--m === 0) {
      m = 12
      y--
    }
  }
  return out
}

const MONTHS_TTL_MS = 5 * 60_000
const MAX_CACHED_COUNTS = 100_000
const PARALLEL_COUNTS = 6

type AnyModel = Model<any> // eslint-disable-line @typescript-eslint/no-explicit-any

export interface MonthPageQuery<T> {
  model: AnyModel
  /** Equality on fields that never change once a document is written (cached counts rely on it). */
  scope: Record<string, string | boolean>
  /** Further equality on fields that may change (e.g. `open: false`); months are then counted afresh. */
  where?: Record<string, string | boolean>
  /** Per month, how many of the scope's documents `where` leaves out, when the caller knows (see the inbox). */
  minus?: ReadonlyMap<string, number>
  projection?: Record<string, 0 | 1>
  /** The newest-first order within a month: a larger key comes first. */
  sortKey: (doc: T) => number
  page: number
  perPage?: number
  /** Only months from this one back to `oldest` (both "YYYY-MM"), e.g. for a date range. */
  newest?: string
  oldest?: string
  /** In the months listed in `keepMonths` (a date range's first and last), only documents `keep` accepts count. */
  keep?: (doc: T) => boolean
  keepMonths?: ReadonlySet<string>
}

export function createMonthPages(models: Pick<Models, 'ListMonth'>, clock: () => Date = () => new Date()) {
  const { ListMonth } = models
  const registered = new Set<string>()
  const monthLists = new Map<string, { at: number; months: Set<string> }>()
  const counts = new Map<string, number>()

  /** Lists `month` for the collection, once per process (insert-only; a duplicate means another writer did it). */
  async function register(collectionName: string, month: string): Promise<void> {
    const id = `${collectionName}:${month}`
    if (registered.has(id)) return
    if (!(await ListMonth.exists({ _id: id }))) {
      await ListMonth.create({ _id: id, collectionName, month }).catch(async (error: unknown) => {
        if (!(await ListMonth.exists({ _id: id }))) throw error
      })
    }
    registered.add(id)
    monthLists.get(collectionName)?.months.add(month)
  }

  /** The collection's months, newest first, always including the current one. */
  async function monthsOf(collectionName: string): Promise<string[]> {
    const now = clock().getTime()
    let cached = monthLists.get(collectionName)
    if (!cached || now - cached.at > MONTHS_TTL_MS) {
      const docs = await ListMonth.find({ collectionName }, { month: 1 }).lean()
      cached = { at: now, months: new Set(docs.map((d) => d.month)) }
      monthLists.set(collectionName, cached)
    }
    return [...new Set([...cached.months, monthOf(clock())])].sort().reverse()
  }

  async function countMonth(query: MonthPageQuery<unknown>, month: string, current: string): Promise<number> {
    const minus = query.minus?.get(month) ?? 0
    if (query.where && !query.minus) return query.model.countDocuments({ ...query.scope, ...query.where, month })
    const key = `${query.model.collection.name}|${JSON.stringify(Object.entries(query.scope).sort())}|${month}`
    let n = counts.get(key)
    if (n === undefined) {
      n = await query.model.countDocuments({ ...query.scope, month })
      if (month < current) {
        if (counts.size >= MAX_CACHED_COUNTS) counts.clear()
        counts.set(key, n)
      }
    }
    return Math.max(0, n - minus)
  }

  return {
    register,
    monthsOf,

    /**
     * One page of a scope, newest first, with the scope's total. Months are walked newest first: while the page is
     * not yet filled each month is fetched (its size is then known without a count), unless its cached count puts it
     * wholly before the page; after the page only counts are needed, mostly cached. Page 1 is then usually one or
     * two queries.
     */
    async page<T>(query: MonthPageQuery<T>): Promise<Page<T>> {
      const perPage = query.perPage ?? PER_PAGE
      const current = monthOf(clock())
      const months = (await monthsOf(query.model.collection.name)).filter(
        (m) => (!query.newest || m <= query.newest) && (!query.oldest || m >= query.oldest),
      )
      const keyOf = (month: string) =>
        `${query.model.collection.name}|${JSON.stringify(Object.entries(query.scope).sort())}|${month}`
      /** A month's size in the list, when known without reading it. */
      const known = (month: string): number | undefined => {
        if (query.keep && query.keepMonths?.has(month)) return undefined
        if (query.where && !query.minus) return undefined
        const n = counts.get(keyOf(month))
        return n === undefined ? undefined : Math.max(0, n - (query.minus?.get(month) ?? 0))
      }
      const fetchMonth = async (month: string) => {
        const docs = (await query.model
          .find({ ...query.scope, ...query.where, month }, query.projection ?? {})
          .lean()) as T[]
        // The scope's own count is the fetched size only when nothing else narrowed the fetch.
        if (!query.where && month < current) {
          if (counts.size >= MAX_CACHED_COUNTS) counts.clear()
          counts.set(keyOf(month), docs.length)
        }
        return query.keep && query.keepMonths?.has(month) ? docs.filter(query.keep) : docs
      }

      const walk = async (page: number) => {
        const start = (page - 1) * perPage
        const end = start + perPage
        const inPage: T[] = []
        let before = -1
        let seen = 0
        const later: string[] = []
        for (const month of months) {
          if (seen >= end) {
            later.push(month)
            continue
          }
          const size = known(month)
          if (size !== undefined && (size === 0 || seen + size <= start)) {
            seen += size
            continue
          }
          const docs = await fetchMonth(month)
          if (seen + docs.length > start && docs.length) {
            if (before < 0) before = seen
            inPage.push(...docs)
          }
          seen += docs.length
        }
        for (let i = 0; i < later.length; i += PARALLEL_COUNTS) {
          const batch = later.slice(i, i + PARALLEL_COUNTS)
          const found = await Promise.all(
            batch.map(
              async (m) =>
                known(m) ??
                (query.keep && query.keepMonths?.has(m)
                  ? (await fetchMonth(m)).length
                  : countMonth(query as MonthPageQuery<unknown>, m, current)),
            ),
          )
          seen += found.reduce((a, b) => a + b, 0)
        }
        inPage.sort((a, b) => query.sortKey(b) - query.sortKey(a))
        return { items: inPage.slice(start - Math.max(0, before), end - Math.max(0, before)), total: seen }
      }

      const asked = Math.max(1, Math.floor(query.page) || 1)
      let result = await walk(asked)
      const lastPage = Math.max(1, Math.ceil(result.total / perPage))
      if (asked > lastPage) result = await walk(lastPage)
      return { items: result.items, total: result.total, page: Math.min(asked, lastPage), perPage }
    },
  }
}

export type MonthPages = ReturnType<typeof createMonthPages>

const perConnection = new WeakMap<object, MonthPages>()

/** The one pager of a connection, so every repository shares its month lists and cached counts. */
export function monthPagesFor(connection: object, models: Pick<Models, 'ListMonth'>): MonthPages {
  let pages = perConnection.get(connection)
  if (!pages) {
    pages = createMonthPages(models)
    perConnection.set(connection, pages)
  }
  return pages
}

/**
 * One page across several scopes (a user in two organisations): each scope's first `page × perPage` documents,
 * merged newest first, and the page cut from them. Totals add up.
 */
export async function pageAcross<T>(
  scopes: readonly string[],
  page: number,
  perPage: number,
  pageOf: (scope: string, page: number, perPage: number) => Promise<Page<T>>,
  sortKey: (doc: T) => number,
): Promise<Page<T>> {
  if (scopes.length === 1) return pageOf(scopes[0]!, page, perPage)
  if (scopes.length === 0) return { items: [], total: 0, page: 1, perPage }
  const firsts = await Promise.all(scopes.map((s) => pageOf(s, 1, Math.max(1, page) * perPage)))
  const total = firsts.reduce((n, p) => n + p.total, 0)
  const lastPage = Math.max(1, Math.ceil(total / perPage))
  const shown = Math.min(Math.max(1, Math.floor(page) || 1), lastPage)
  const merged = firsts.flatMap((p) => p.items).sort((a, b) => sortKey(b) - sortKey(a))
  return { items: merged.slice((shown - 1) * perPage, shown * perPage), total, page: shown, perPage }
}
