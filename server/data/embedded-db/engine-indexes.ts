// The PostgreSQL-side indexes that FerretDB v1 needs, made from the indexes the mongoose models declare.
//
// FerretDB v1 (PostgreSQL handler) keeps each collection in a table with one jsonb column, `_jsonb`, and pushes a
// top-level equality on a scalar down to PostgreSQL as `_jsonb->'field' @> '"value"'` (dotted paths as `#>`). Its own
// createIndexes makes btree indexes on `(_jsonb->'field')`, which that `@>` cannot use, so without help every query is
// a sequential scan (FerretDB issue #4646, even for `_id`). A GIN index on the same expression serves `@>`.
//
// The declared list is the models' own `schema.index()` declarations (which MongoDB gets as ordinary indexes): every
// field but a date of every declared index, plus `_id`, gets a GIN expression index here. This module is the only code that
// knows FerretDB's table naming (a `_ferretdb_database_metadata` table per schema maps collection → table).
import crypto from 'node:crypto'
import type { Connection } from 'mongoose'
import pg from 'pg'
import { createLogger } from '../../logger'

const log = createLogger('engine-indexes')

/** Collections that are not mongoose models (the session store) and the fields they are looked up by. */
export const EXTRA_INDEXED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  sessions: ['_id', 'expiresHour'],
}

/** collection → fields that get a GIN index: `_id` and every field of every index the models declare. */
export function declaredIndexFields(connection: Connection): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>()
  const add = (collection: string, field: string) => {
    if (!out.has(collection)) out.set(collection, new Set(['_id']))
    out.get(collection)!.add(field)
  }
  for (const model of Object.values(connection.models)) {
    const collection = model.collection.collectionName
    add(collection, '_id')
    // A date ends a list's compound index (it orders, never selects by equality): it needs no GIN index.
    const isDate = (field: string) => model.schema.path(field)?.instance === 'Date'
    for (const [fields] of model.schema.indexes())
      for (const field of Object.keys(fields)) if (!isDate(field)) add(collection, field)
    for (const [field, type] of Object.entries(model.schema.paths))
      if ((type.options as { index?: unknown; unique?: unknown }).index || type.options.unique) add(collection, field)
  }
  for (const [collection, fields] of Object.entries(EXTRA_INDEXED_FIELDS))
    for (const field of fields) add(collection, field)
  return out
}

export const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`

/** The jsonb expression FerretDB compares for a field: `_jsonb->'a'`, or `_jsonb#>'{a,b}'` for a dotted path. */
export function fieldExpression(field: string): string {
  const parts = field.split('.')
  if (parts.length === 1) return `_jsonb->${literal(field)}`
  return `_jsonb#>${literal(`{${parts.map((p) => `"${p.replace(/["\\]/g, '\\$&')}"`).join(',')}}`)}`
}

export function indexName(table: string, field: string): string {
  const hash = crypto.createHash('sha1').update(`${table}\0${field}`).digest('hex').slice(0, 10)
  return `lw_gin_${table.slice(0, 40)}_${hash}`
}

/** The FerretDB table for each collection of a database (schema); collections not yet created are absent. */
export async function tablesOf(client: pg.ClientBase, database: string): Promise<Map<string, string>> {
  const exists = await client.query(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = '_ferretdb_database_metadata'`,
    [database],
  )
  if (exists.rowCount === 0) return new Map()
  const rows = await client.query<{ collection: string; table: string }>(
    `SELECT _jsonb->>'_id' AS collection, _jsonb->>'table' AS "table" FROM ${quote(database)}._ferretdb_database_metadata`,
  )
  return new Map(rows.rows.map((r) => [r.collection, r.table]))
}

/**
 * Creates, idempotently, a GIN index for every declared field of every collection that exists in `database`.
 * Returns how many were created now.
 */
export async function ensureEngineIndexes(options: {
  postgresUrl: string
  database: string
  fields: Map<string, Set<string>>
}): Promise<number> {
  const client = new pg.Client({ connectionString: options.postgresUrl })
  await client.connect()
  try {
    const tables = await tablesOf(client, options.database)
    const existing = new Set(
      (
        await client.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = $1`, [
          options.database,
        ])
      ).rows.map((r) => r.indexname),
    )
    let created = 0
    for (const [collection, fields] of options.fields) {
      const table = tables.get(collection)
      if (!table) continue
      for (const field of fields) {
        const name = indexName(table, field)
        if (existing.has(name)) continue
        await client.query(
          `CREATE INDEX IF NOT EXISTS ${quote(name)} ON ${quote(options.database)}.${quote(table)} ` +
            `USING gin ((${fieldExpression(field)}) jsonb_path_ops)`,
        )
        created++
      }
    }
    if (created) log.info({ database: options.database, created }, 'engine indexes created')
    analyseInBackground(options.postgresUrl, options.database)
    return created
  } finally {
    await client.end()
  }
}

/**
 * ANALYZEs each table with a btree expression index PostgreSQL has no statistics for yet. The planner knows how many
 * rows an expression selects only from these; without them it guessed 27 of a practice's 4,386 referrals and sorted
 * them all (250 ms) instead of walking the list's index. Autovacuum keeps them up to date once they exist. In the
 * background: at 100,000 referrals the first ANALYZE after new indexes takes about a minute (every expression of a
 * 30,000-row sample), and a start must not wait for it.
 */
function analyseInBackground(postgresUrl: string, database: string): void {
  const client = new pg.Client({ connectionString: postgresUrl })
  client.on('error', (error) => log.warn({ err: error }, 'the engine connection for ANALYZE was dropped'))
  void (async () => {
    try {
      await client.connect()
      await analyseUnmeasured(client, database)
    } catch (error) {
      log.warn(
        { err: error },
        'analysing the engine tables failed; the planner may choose slower plans until autovacuum does',
      )
    } finally {
      await client.end().catch(() => undefined)
    }
  })()
}

async function analyseUnmeasured(client: pg.ClientBase, database: string): Promise<void> {
  const { rows } = await client.query<{ table: string }>(
    `SELECT DISTINCT c.relname AS "table"
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_am am ON am.oid = ic.relam
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND am.amname = 'btree' AND i.indexprs IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM pg_stats s WHERE s.schemaname = n.nspname AND s.tablename = ic.relname)
        AND EXISTS (SELECT 1 FROM pg_stat_user_tables t WHERE t.relid = c.oid AND t.n_live_tup > 0)`,
    [database],
  )
  for (const { table } of rows) await client.query(`ANALYZE ${quote(database)}.${quote(table)}`)
  if (rows.length) log.info({ database, tables: rows.length }, 'engine tables analysed')
}
