// One page of a list, newest first, read straight from the PostgreSQL table FerretDB v1 keeps the collection in.
//
// Through FerretDB a page cannot be asked for: it pushes down only top-level equality, then sorts, skips and limits
// in Go after fetching and converting every match (about 1.4 ms a referral), so lists page month by month
// (repositories/month-pages.ts). PostgreSQL can do it in one query when a btree index leads with the list's equality
// fields and ends with its date (the compound indexes the models declare, which FerretDB creates as btree indexes on
// the same `_jsonb->'field'` expressions): it walks the index from the newest, skips `offset` entries and stops after
// `limit`. Only the page's rows are fetched whole (by their ctid, in the order the index walk picked them), and the
// total is counted from the same index. A page deep in a team's 20,000 referrals (page 40) takes about 30 ms; cost
// grows with the offset, as for any offset pager. The same module reads hot bounded sets (an organisation's open
// referrals), records by id and counts per value in one query each. Documents are made what `find().lean()` returns
// from FerretDB's own type annotations. Only reads; every write still goes through FerretDB.
import pg from 'pg'
import { createLogger } from '../../logger'
import { fieldExpression, quote, tablesOf } from './engine-indexes'
import type { ScannedModel } from './engine-reads'

const log = createLogger('engine-pages')

export interface EnginePageQuery {
  model: ScannedModel
  /** Equality on top-level scalar fields (FerretDB's own pushdown compares the same expressions); a list is any of. */
  match: Readonly<Record<string, string | boolean | readonly string[]>>
  /** The top-level date field the list is ordered by, newest first. */
  order: string
  /** Only documents whose `order` date is at or after `from` and before `to`. */
  from?: Date
  to?: Date
  /** Top-level fields left out of the documents (an exclusion projection). */
  exclude?: readonly string[]
  offset: number
  limit: number
  /** The total, when the caller knows it (then it is not counted). */
  total?: number
}

export interface CountQuery {
  collection: string
  match: EnginePageQuery['match']
}

/** A page asked for by number (from 1) and size; one past the end shows the last. */
export type NumberedPageQuery = Omit<EnginePageQuery, 'offset' | 'limit'> & { page: number; perPage: number }

export interface EnginePager {
  /**
   * The page's documents as `find().lean()` returns them, newest first, how many match in all, and the page shown
   * (the last, when the asked one is past it).
   */
  page(query: NumberedPageQuery): Promise<{ docs: Record<string, unknown>[]; total: number; page: number }>
  /** Every document matching (a bounded set: an organisation's open referrals), newest first. */
  list(query: Omit<EnginePageQuery, 'offset' | 'limit'>): Promise<Record<string, unknown>[]>
  /** How many documents of a collection match. */
  count(query: CountQuery): Promise<number>
  /** How many documents of a collection match, per value of a top-level `field` (documents without it left out). */
  countBy(query: CountQuery, field: string): Promise<Map<string, number>>
  /** The documents with these ids (through the `_id` index), in no particular order; missing ones left out. */
  byIds(model: ScannedModel, ids: readonly string[], exclude?: readonly string[]): Promise<Record<string, unknown>[]>
  close(): Promise<void>
}

/** FerretDB's type annotation of a value (`$s` on each stored document): its type, and its parts' annotations. */
interface Annotation {
  t?: string
  $s?: { p?: Record<string, Annotation> }
  i?: Annotation[]
}

/** A value as FerretDB returns it: a date (stored as its milliseconds) made a Date again, wherever it is nested. */
function typed(value: unknown, note: Annotation | undefined): unknown {
  if (!note || value === null || value === undefined) return value
  if (note.t === 'date') return typeof value === 'number' ? new Date(value) : value
  if (note.t === 'object' && note.$s?.p && typeof value === 'object') {
    const record = value as Record<string, unknown>
    for (const [key, part] of Object.entries(note.$s.p)) if (key in record) record[key] = typed(record[key], part)
  } else if (note.t === 'array' && note.i && Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = typed(value[i], note.i[i])
  }
  return value
}

/**
 * A stored document as `find().lean()` returns it. The dates are found from FerretDB's own annotations, not the
 * mongoose schema, so a date inside a free-form field (a referral's measures) comes back a date too.
 */
export function documentOf(stored: Record<string, unknown>): Record<string, unknown> {
  const { $s: annotations, ...doc } = stored
  return typed(doc, { t: 'object', $s: annotations as Annotation['$s'] }) as Record<string, unknown>
}

/** The rows of `table` in schema `database` that a query selects: the FROM and WHERE of every statement here. */
function selection(
  database: string,
  table: string,
  query: { match: EnginePageQuery['match']; order?: string; from?: Date; to?: Date },
) {
  const params: unknown[] = []
  const conditions = Object.entries(query.match).map(([field, value]) => {
    if (Array.isArray(value)) {
      params.push(value.map((v: string) => JSON.stringify(v)))
      return `${fieldExpression(field)} = ANY($${params.length}::jsonb[])`
    }
    params.push(JSON.stringify(value))
    return `${fieldExpression(field)} = $${params.length}::jsonb`
  })
  // FerretDB keeps a date as its milliseconds since the epoch, a jsonb number; numbers order numerically.
  const order = query.order ? fieldExpression(query.order) : null
  if (order && query.from) conditions.push(`${order} >= $${params.push(String(query.from.getTime()))}::jsonb`)
  if (order && query.to) conditions.push(`${order} < $${params.push(String(query.to.getTime()))}::jsonb`)
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''
  return { from: `${quote(database)}.${quote(table)}`, where, params }
}

/**
 * The two statements of a page on `table` of schema `database`: the page's documents, and the count of all. Documents
 * of the same date are ordered by `_id`, so every page is cut from one order: two referrals submitted in the same
 * millisecond never both land on one page and neither on the next. The index gives the date order; PostgreSQL then
 * sorts only each run of equal dates (an incremental sort).
 */
export function pageStatements(
  database: string,
  table: string,
  query: Omit<EnginePageQuery, 'model' | 'limit'> & { limit: number | null },
) {
  const { from, where, params } = selection(database, table, query)
  const n = params.length
  return {
    items: {
      text:
        `SELECT t._jsonb - $${n + 1}::text[] AS doc FROM unnest(ARRAY(SELECT ctid FROM ${from}${where} ` +
        `ORDER BY ${fieldExpression(query.order)} DESC, ${fieldExpression('_id')} DESC ` +
        `LIMIT $${n + 2} OFFSET $${n + 3})) WITH ORDINALITY AS p(id, n) ` +
        `JOIN ${from} t ON t.ctid = p.id ORDER BY p.n`,
      values: [
        ...params,
        [...(query.exclude ?? [])],
        query.limit === null ? null : Math.max(0, Math.floor(query.limit)),
        Math.max(0, Math.floor(query.offset)),
      ],
    },
    count: { text: `SELECT count(*)::int AS n FROM ${from}${where}`, values: params },
  }
}

export function createEnginePager(options: { postgresUrl: string; database: string }): EnginePager {
  const pool = new pg.Pool({ connectionString: options.postgresUrl, max: 4 })
  // An idle connection dropped by the server (a restart of the embedded engine) must not end the process.
  pool.on('error', (error) => log.warn({ err: error }, 'an idle engine connection was dropped'))
  let tables: Map<string, string> | null = null
  async function tableOf(collection: string): Promise<string | null> {
    if (!tables?.has(collection)) {
      const client = await pool.connect()
      try {
        tables = await tablesOf(client, options.database)
      } finally {
        client.release()
      }
    }
    return tables.get(collection) ?? null
  }

  return {
    async page({ page, perPage, ...query }) {
      const table = await tableOf(query.model.collection.collectionName)
      if (!table) return { docs: [], total: 0, page: 1 }
      const read = async (shown: number, total?: number) => {
        const { items, count } = pageStatements(options.database, table, {
          ...query,
          total,
          offset: (shown - 1) * perPage,
          limit: perPage,
        })
        const [rows, n] = await Promise.all([
          pool.query<{ doc: Record<string, unknown> }>(items.text, items.values),
          total ?? pool.query<{ n: number }>(count.text, count.values).then((r) => r.rows[0]?.n ?? 0),
        ])
        return { docs: rows.rows.map((r) => documentOf(r.doc)), total: n, page: shown }
      }
      const asked = Math.max(1, Math.floor(page) || 1)
      const found = await read(asked, query.total)
      const last = Math.max(1, Math.ceil(found.total / perPage))
      return asked > last ? read(last, found.total) : found
    },
    async list(query) {
      const table = await tableOf(query.model.collection.collectionName)
      if (!table) return []
      const { items } = pageStatements(options.database, table, { ...query, offset: 0, limit: null })
      const rows = await pool.query<{ doc: Record<string, unknown> }>(items.text, items.values)
      return rows.rows.map((r) => documentOf(r.doc))
    },
    async count(query) {
      const table = await tableOf(query.collection)
      if (!table) return 0
      const { from, where, params } = selection(options.database, table, query)
      const rows = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from}${where}`, params)
      return rows.rows[0]?.n ?? 0
    },
    async countBy(query, field) {
      const table = await tableOf(query.collection)
      if (!table) return new Map()
      const { from, where, params } = selection(options.database, table, query)
      const rows = await pool.query<{ value: string | null; n: number }>(
        `SELECT (${fieldExpression(field)}) #>> '{}' AS value, count(*)::int AS n FROM ${from}${where} GROUP BY 1`,
        params,
      )
      return new Map(rows.rows.flatMap((r) => (r.value === null ? [] : [[r.value, r.n] as const])))
    },
    async byIds(model, ids, exclude = []) {
      const table = await tableOf(model.collection.collectionName)
      if (!table || ids.length === 0) return []
      const rows = await pool.query<{ doc: Record<string, unknown> }>(
        `SELECT _jsonb - $2::text[] AS doc FROM ${quote(options.database)}.${quote(table)} ` +
          `WHERE _jsonb->'_id' = ANY($1::jsonb[])`,
        [ids.map((id) => JSON.stringify(id)), [...exclude]],
      )
      return rows.rows.map((r) => documentOf(r.doc))
    },
    close: () => pool.end(),
  }
}
