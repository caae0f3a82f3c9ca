// Paging a large collection newest first without reading all of it. FerretDB v1 hands PostgreSQL only top-level
// equality on scalars; sorting, skipping and limiting happen after it has fetched every match. So a list that pages
// "the team's 20,000 referrals" would fetch 20,000 documents per page. Instead each bucketed document carries
// `month` ("2026-12", UTC, from the date the list sorts by), and a page is found month by month, newest first:
// count each month's documents in the list's scope (equality on indexed fields plus `month`), skip whole months
// before the page, then fetch only the one or two months the page falls in, sort them and cut the page out.
// A month that holds part of the page is read a day at a time when it is large (each document also carries `day`,
// "2026-12-07"), so a page deep in a busy team's list reads the one or two days it falls in, not the month.
// A past month's or day's count in a scope whose fields never change on a document (a referral's team, practice or
// organisation, an audit event's actor) is kept in memory: documents are added with the current date (a write
// through this process with another date forgets that month's and day's counts).
// The months and days a collection has documents in are listed in `list_months`, added to as documents are written.
// A scope's past months and days are counted in one query the first time it is paged (`countBy`: a GROUP BY in the
// embedded engine's PostgreSQL, else an aggregation), not one count per bucket.
// In the embedded engine, a list that names its date field (`order`) is paged by PostgreSQL itself instead, in one
// query through a compound index (embedded-db/engine-pages.ts); the month walk serves every other server.
import type { EnginePager } from '../embedded-db/engine-pages'
import type { Models } from '../models'
import type { AnyModel } from '../atomic'

/**
 * Counts a collection's documents matching `match`, per value of `field` (a bucket): a database's fastest way, e.g.
 * straight from the embedded engine's tables (embedded-db/engine-pages.ts countBy).
 */
export type BucketCounter = (
  collection: string,
  match: Readonly<Record<string, string | boolean>>,
  field: 'month' | 'day',
) => Promise<Map<string, number>>

const counters = new WeakMap<object, BucketCounter>()

/** Any server's way: one aggregation grouping the scope's documents by the bucket field. */
function aggregateCounter(model: AnyModel): BucketCounter {
  return async (_collection, match, field) => {
    const rows = (await model.aggregate([{ $match: match }, { $group: { _id: `$${field}`, n: { $sum: 1 } } }])) as {
      _id: unknown
      n: number
    }[]
    return new Map(rows.flatMap((r) => (typeof r._id === 'string' ? [[r._id, r.n] as const] : [])))
  }
}

/** Tells the pager of `connection` how to count buckets in one query (set by the database wrapper, db.ts). */
export function setBucketCounter(connection: object, counter: BucketCounter): void {
  counters.set(connection, counter)
}

const enginePagers = new WeakMap<object, EnginePager>()

/** Lets lists of `connection` that name their date field be paged by the engine's PostgreSQL (db.ts). */
export function setEnginePager(connection: object, pager: EnginePager | undefined): void {
  if (pager) enginePagers.set(connection, pager)
  else enginePagers.delete(connection)
}

/**
 * The embedded engine's direct reads for `connection`, when it has them: a hot bounded read (an organisation's open
 * referrals, a page's records by id) is then one query past FerretDB, which converts every document it returns field
 * by field (about 1 ms a referral).
 */
export function engineOf(connection: object): EnginePager | undefined {
  return enginePagers.get(connection)
}

export const PER_PAGE = 25

/** A document's or record's id (`_id` or `id`), for ordering documents of the same date. */
function idOf(item: unknown): string {
  const { _id, id } = item as { _id?: unknown; id?: unknown }
  return String(_id ?? id ?? '')
}

/** Newest first, documents of the same date by id, largest first (as the engine orders them). */
function laterId(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0
}

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

/** The day bucket of a date: its UTC date, "2026-12-07". */
export function dayOf(date: Date | string): string {
  return new Date(date).toISOString().slice(0, 10)
}

/** The bucket fields of a document listed by `date`. */
export function listBuckets(date: Date | string): { month: string; day: string } {
  return { month: monthOf(date), day: dayOf(date) }
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
/**
 * How long the engine's total of a list is trusted when nothing was written to its collection through this process
 * since: another instance's writes show within this time (as the month walk trusts a volatile scope's counts).
 */
const TOTAL_TRUST_MS = 30_000
const MAX_CACHED_COUNTS = 200_000
const PARALLEL_COUNTS = 6
/** A month holding part of a page is read a day at a time when it has more documents than this in the scope. */
const DAY_WALK_ABOVE = 100
/** How long a cached count of a scope with volatile fields is trusted. */
const VOLATILE_COUNT_MS = 60_000

export interface MonthPageQuery<T> {
  model: AnyModel
  /** Equality on fields that never change once a document is written (cached counts rely on it). */
  scope: Record<string, string | boolean>
  /**
   * Equality on fields that may change on a document but whose changes this process is told of (`changed`), e.g. a
   * GP filter's flag: part of the scope, but cached counts are trusted for a minute only, as other instances'
   * changes are not told here.
   */
  volatile?: Record<string, string | boolean>
  /** Further equality on fields that may change (e.g. `open: false`); months are then counted afresh. */
  where?: Record<string, string | boolean>
  /**
   * Per month ("2026-12") and per day ("2026-12-07"), how many of the scope's documents `where` leaves out, when the
   * caller knows (see the inbox).
   */
  minus?: ReadonlyMap<string, number>
  projection?: Record<string, 0 | 1>
  page: number
  perPage?: number
  /** Only months from this one back to `oldest` (both "YYYY-MM"), e.g. for a date range. */
  newest?: string
  oldest?: string
  /** In the months listed in `keepMonths` (a date range's first and last), only documents `keep` accepts count. */
  keep?: (doc: T) => boolean
  keepMonths?: ReadonlySet<string>
  /**
   * The top-level date field the list is ordered by, newest first. In the embedded engine the list is paged in one
   * query, given a compound index on the scope's fields and this one (the models declare them).
   */
  order: string
  /** With `order`: the date range `keep` applies, as dates (at or after `from`, before `to`). */
  between?: { from?: Date; to?: Date }
}

/** The projection's top-level exclusions, or null for an inclusion projection (applied after reading). */
function excluded(projection: Record<string, 0 | 1> | undefined): string[] | null {
  const entries = Object.entries(projection ?? {})
  return entries.every(([, v]) => v === 0) ? entries.map(([k]) => k) : null
}

/** One page through the engine's PostgreSQL: the scope, volatile and `where` fields are all plain equality there. */
async function enginePage<T>(pager: EnginePager, query: MonthPageQuery<T>, total?: number): Promise<Page<T>> {
  const perPage = query.perPage ?? PER_PAGE
  const exclude = excluded(query.projection)
  const result = await pager.page({
    model: query.model,
    match: { ...query.scope, ...query.volatile, ...query.where },
    order: query.order,
    from: query.between?.from,
    to: query.between?.to,
    exclude: exclude ?? [],
    page: query.page,
    perPage,
    total,
  })
  const pick = (doc: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(doc).filter(([k]) => k === '_id' || query.projection![k] === 1))
  const items = (exclude ? result.docs : result.docs.map(pick)) as T[]
  return { items, total: result.total, page: result.page, perPage }
}

export function createMonthPages(
  models: Pick<Models, 'ListMonth'>,
  clock: () => Date = () => new Date(),
  counter?: () => BucketCounter | undefined,
  enginePager?: () => EnginePager | undefined,
) {
  const { ListMonth } = models
  /** When each scope's buckets were last counted in one go, by collection and scope. */
  const prefilled = new Map<string, number>()
  const registered = new Set<string>()
  const bucketLists = new Map<string, { at: number; buckets: Set<string> }>()
  const counts = new Map<string, { n: number; at: number }>()
  /** Bumped when this process writes a document into a past bucket, so that bucket's cached counts are not used. */
  const generations = new Map<string, number>()
  /** Bumped by every write through this process to a collection: the engine's totals counted before are not used. */
  const writes = new Map<string, number>()
  const totals = new Map<string, { n: number; at: number }>()
  const wrote = (collectionName: string) => writes.set(collectionName, (writes.get(collectionName) ?? 0) + 1)

  /** Lists one bucket of a collection, once per process (insert-only; a duplicate means another writer did it). */
  async function listBucket(listName: string, bucket: string): Promise<void> {
    const id = `${listName}:${bucket}`
    if (registered.has(id)) return
    if (!(await ListMonth.exists({ _id: id }))) {
      await ListMonth.create({ _id: id, collectionName: listName, month: bucket }).catch(async (error: unknown) => {
        if (!(await ListMonth.exists({ _id: id }))) throw error
      })
    }
    registered.add(id)
    bucketLists.get(listName)?.buckets.add(bucket)
  }

  /**
   * Lists the month and the day of `date` for the collection ("YYYY-MM" alone lists the month only). A date before
   * today also forgets that month's and day's cached counts in this process.
   */
  async function register(collectionName: string, date: string | Date): Promise<void> {
    wrote(collectionName)
    const text = typeof date === 'string' ? date : dayOf(date)
    const month = text.slice(0, 7)
    const day = text.length >= 10 ? text.slice(0, 10) : null
    if (day && day < dayOf(clock())) {
      for (const bucket of [month, day]) {
        const key = `${collectionName}|${bucket}`
        generations.set(key, (generations.get(key) ?? 0) + 1)
      }
    }
    await listBucket(collectionName, month)
    if (day) await listBucket(`${collectionName}:days`, day)
  }

  /** A document listed by `date` changed a volatile field: that month's and day's cached counts are not used. */
  function changed(collectionName: string, date: Date | string): void {
    wrote(collectionName)
    for (const bucket of [monthOf(date), dayOf(date)]) {
      const key = `${collectionName}|${bucket}`
      generations.set(key, (generations.get(key) ?? 0) + 1)
    }
  }

  async function bucketsOf(listName: string): Promise<Set<string>> {
    const now = clock().getTime()
    let cached = bucketLists.get(listName)
    if (!cached || now - cached.at > MONTHS_TTL_MS) {
      const docs = await ListMonth.find({ collectionName: listName }, { month: 1 }).lean()
      cached = { at: now, buckets: new Set(docs.map((d) => d.month)) }
      bucketLists.set(listName, cached)
    }
    return cached.buckets
  }

  /** The collection's months, newest first, always including the current one. */
  async function monthsOf(collectionName: string): Promise<string[]> {
    return [...new Set([...(await bucketsOf(collectionName)), monthOf(clock())])].sort().reverse()
  }

  /** The collection's days in `month`, newest first, always including today and yesterday when in that month. */
  async function daysOf(collectionName: string, month: string): Promise<string[]> {
    const now = clock()
    const recent = [dayOf(now), dayOf(new Date(now.getTime() - 86_400_000))]
    const all = [...(await bucketsOf(`${collectionName}:days`)), ...recent]
    return [...new Set(all.filter((d) => d.startsWith(`${month}-`)))].sort().reverse()
  }

  const scopeKey = (query: MonthPageQuery<unknown>, bucket: string) => {
    const collection = query.model.collection.name
    const generation = generations.get(`${collection}|${bucket}`) ?? 0
    const scope = Object.entries({ ...query.scope, ...query.volatile }).sort()
    return `${collection}|${JSON.stringify(scope)}|${bucket}|${generation}`
  }
  const remember = (key: string, n: number) => {
    if (counts.size >= MAX_CACHED_COUNTS) {
      counts.clear()
      prefilled.clear()
    }
    counts.set(key, { n, at: clock().getTime() })
  }

  /**
   * Counts every past month and day of the query's scope in two queries and keeps the counts (a bucket with no
   * document in the scope counts 0), once per process for a scope whose fields never change, again after
   * VOLATILE_COUNT_MS for one with volatile fields. Without this, a first page counted each month, one query each.
   */
  async function prefill(query: MonthPageQuery<unknown>, months: readonly string[]): Promise<void> {
    const collection = query.model.collection.name
    const match = { ...query.scope, ...query.volatile }
    const key = `${collection}|${JSON.stringify(Object.entries(match).sort())}`
    const now = clock().getTime()
    const last = prefilled.get(key)
    if (last !== undefined && (!query.volatile || now - last <= VOLATILE_COUNT_MS)) return
    const count = counter?.() ?? aggregateCounter(query.model)
    const [byMonth, byDay, days] = await Promise.all([
      count(collection, match, 'month'),
      count(collection, match, 'day'),
      bucketsOf(`${collection}:days`),
    ])
    const current = monthOf(clock())
    const today = dayOf(clock())
    for (const month of months) if (month < current) remember(scopeKey(query, month), byMonth.get(month) ?? 0)
    for (const day of days) if (day < today) remember(scopeKey(query, day), byDay.get(day) ?? 0)
    prefilled.set(key, now)
  }
  const recall = (query: MonthPageQuery<unknown>, key: string): number | undefined => {
    const hit = counts.get(key)
    if (!hit) return undefined
    if (query.volatile && clock().getTime() - hit.at > VOLATILE_COUNT_MS) return undefined
    return hit.n
  }

  /** The bucket's count in the list: the scope's (cached for past buckets) less `minus`; afresh with `where` alone. */
  async function countBucket(
    query: MonthPageQuery<unknown>,
    field: 'month' | 'day',
    bucket: string,
    current: string,
  ): Promise<number> {
    const minus = query.minus?.get(bucket) ?? 0
    if (query.where && !query.minus)
      return query.model.countDocuments({ ...query.scope, ...query.volatile, ...query.where, [field]: bucket })
    const key = scopeKey(query, bucket)
    let n = recall(query, key)
    if (n === undefined) {
      n = await query.model.countDocuments({ ...query.scope, ...query.volatile, [field]: bucket })
      if (bucket < current) remember(key, n)
    }
    return Math.max(0, n - minus)
  }

  return {
    register,
    changed,
    /** A document was written to the collection (after the write): totals counted before it are not used. */
    wrote,
    monthsOf,

    /**
     * One page of a scope, newest first, with the scope's total. Months are walked newest first: a month wholly
     * before the page is skipped by its count (cached for past months); a month holding part of the page is read
     * whole when small, else a day at a time, skipping days by their counts and reading only the days the page falls
     * in; after the page only counts are needed, mostly cached. Page 1 is then usually one or two small queries.
     */
    async page<T>(query: MonthPageQuery<T>): Promise<Page<T>> {
      const direct = enginePager?.()
      if (direct) {
        // A list's total in fields that never change on a document (or whose changes this process is told of) is
        // counted once and used again while nothing is written to the collection here, for TOTAL_TRUST_MS at most.
        const collection = query.model.collection.name
        const key =
          query.where || query.between
            ? null
            : `${collection}|${writes.get(collection) ?? 0}|${JSON.stringify(Object.entries({ ...query.scope, ...query.volatile }).sort())}`
        const hit = key ? totals.get(key) : undefined
        const trusted = hit && clock().getTime() - hit.at <= TOTAL_TRUST_MS ? hit.n : undefined
        const result = await enginePage(direct, query, trusted)
        if (key && trusted === undefined) {
          if (totals.size >= MAX_CACHED_COUNTS) totals.clear()
          totals.set(key, { n: result.total, at: clock().getTime() })
        }
        return result
      }
      const perPage = query.perPage ?? PER_PAGE
      const now = clock()
      const currentMonth = monthOf(now)
      const today = dayOf(now)
      const collection = query.model.collection.name
      const anyQuery = query as MonthPageQuery<unknown>
      const months = (await monthsOf(collection)).filter(
        (m) => (!query.newest || m <= query.newest) && (!query.oldest || m >= query.oldest),
      )
      const countsCacheable = !(query.where && !query.minus)
      if (countsCacheable) await prefill(anyQuery, months)
      /** A bucket's size in the list, when known without reading it. */
      const known = (bucket: string): number | undefined => {
        if (query.keep && query.keepMonths?.has(bucket.slice(0, 7))) return undefined
        if (!countsCacheable) return undefined
        const n = recall(anyQuery, scopeKey(anyQuery, bucket))
        return n === undefined ? undefined : Math.max(0, n - (query.minus?.get(bucket) ?? 0))
      }
      const fetch = async (field: 'month' | 'day', bucket: string, current: string) => {
        const docs = (await query.model
          .find({ ...query.scope, ...query.volatile, ...query.where, [field]: bucket }, query.projection ?? {})
          .lean()) as T[]
        // The scope's own count is the fetched size only when nothing else narrowed the fetch.
        if (!query.where && bucket < current) remember(scopeKey(anyQuery, bucket), docs.length)
        return query.keep && query.keepMonths?.has(bucket.slice(0, 7)) ? docs.filter(query.keep) : docs
      }

      /**
       * The month's documents from the first day holding offset `from` (0-based within the month's part of the list)
       * to the day holding offset `to - 1`, whole days, newest first; with the offset of the first one returned and
       * the month's size in the list.
       */
      const readMonth = async (month: string, from: number, to: number) => {
        let size = known(month)
        const edge = Boolean(query.keep && query.keepMonths?.has(month))
        if (size === undefined && month < currentMonth && countsCacheable && !edge)
          size = await countBucket(anyQuery, 'month', month, currentMonth)
        // The current month is never counted in advance: it is read a day at a time when the scope's past months
        // are known to be large, else whole (a small scope's few documents in one query).
        const estimate = size ?? Math.max(0, ...months.map((m) => (m === month ? undefined : known(m)) ?? 0))
        const days = estimate <= DAY_WALK_ABOVE ? [] : await daysOf(collection, month)
        // Small months, date-range edges and months without listed days are read whole.
        if (!days.length || edge) {
          const docs = await fetch('month', month, currentMonth)
          return { docs: docs.length > from ? docs : [], offset: 0, size: docs.length }
        }
        const out: T[] = []
        let offset = -1
        let pos = 0
        let rest: string[] = []
        for (const [i, day] of days.entries()) {
          if (pos >= to) {
            rest = days.slice(i)
            break
          }
          const daySize = known(day)
          if (daySize !== undefined && (daySize === 0 || pos + daySize <= from)) {
            pos += daySize
            continue
          }
          const docs = await fetch('day', day, today)
          if (pos + docs.length > from && docs.length) {
            if (offset < 0) offset = pos
            out.push(...docs)
          }
          pos += docs.length
        }
        if (size === undefined) {
          for (let i = 0; i < rest.length; i += PARALLEL_COUNTS) {
            const found = await Promise.all(
              rest.slice(i, i + PARALLEL_COUNTS).map((d) => known(d) ?? countBucket(anyQuery, 'day', d, today)),
            )
            pos += found.reduce((a, b) => a + b, 0)
          }
          size = pos
        }
        return { docs: out, offset: Math.max(0, offset), size }
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
          const read = await readMonth(month, start - seen, end - seen)
          if (read.docs.length) {
            if (before < 0) before = seen + read.offset
            inPage.push(...read.docs)
          }
          seen += read.size
        }
        for (let i = 0; i < later.length; i += PARALLEL_COUNTS) {
          const batch = later.slice(i, i + PARALLEL_COUNTS)
          const found = await Promise.all(
            batch.map(
              async (m) =>
                known(m) ??
                (query.keep && query.keepMonths?.has(m)
                  ? (await fetch('month', m, currentMonth)).length
                  : countBucket(anyQuery, 'month', m, currentMonth)),
            ),
          )
          seen += found.reduce((a, b) => a + b, 0)
        }
        const time = (doc: T) => new Date((doc as Record<string, unknown>)[query.order] as Date).getTime() || 0
        inPage.sort((a, b) => time(b) - time(a) || laterId(idOf(a), idOf(b)))
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
    pages = createMonthPages(
      models,
      undefined,
      () => counters.get(connection),
      () => enginePagers.get(connection),
    )
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
  const merged = firsts.flatMap((p) => p.items).sort((a, b) => sortKey(b) - sortKey(a) || laterId(idOf(a), idOf(b)))
  return { items: merged.slice((shown - 1) * perPage, shown * perPage), total, page: shown, perPage }
}

type ScopeQuery<T> = Omit<MonthPageQuery<T>, 'scope' | 'page' | 'perPage'>

/**
 * One page of a list across the values of one scope field (a user's teams or organisations), newest first by the
 * query's `order`, each document made a record by `toRecord` (which keeps the `order` field). `query` may depend on
 * the value. See pageAcross.
 */
export function pageEach<D, R>(
  months: MonthPages,
  scope: { field: string; values: readonly string[]; page: number; perPage: number },
  query: ScopeQuery<D> | ((value: string) => ScopeQuery<D>),
  toRecord: (doc: D) => R,
): Promise<Page<R>> {
  const queryOf = typeof query === 'function' ? query : () => query
  // The merge's order is the scopes' own; it is needed only once a scope has been read.
  let order = ''
  return pageAcross<R>(
    scope.values,
    scope.page,
    scope.perPage,
    async (value, page, perPage) => {
      const asked = queryOf(value)
      order = asked.order
      const found = await months.page<D>({ ...asked, scope: { [scope.field]: value }, page, perPage })
      return { ...found, items: found.items.map(toRecord) }
    },
    (record) => new Date((record as Record<string, unknown>)[order] as Date).getTime() || 0,
  )
}
