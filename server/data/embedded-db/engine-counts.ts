// Counting a list's documents per bucket (month or day, month-pages.ts) straight from the PostgreSQL table FerretDB v1
// keeps the collection in: one GROUP BY over the rows the list's equality fields select, through the same GIN
// indexes FerretDB's own pushdown uses (engine-indexes.ts). Through FerretDB a count fetches and converts every
// document it counts: the first page of a team's 20,000 referrals counted 60 months that way and took 56 s on a busy
// machine. Only reads; the table is found as engine-indexes.ts finds it.
import pg from 'pg'
import { createLogger } from '../../logger'
import { fieldExpression, quote, tablesOf } from './engine-indexes'

const log = createLogger('engine-counts')

export interface EngineCounter {
  /** How many documents of `collection` match every `match` equality, per value of `field`; empty when none. */
  countBy(
    collection: string,
    match: Readonly<Record<string, string | boolean>>,
    field: string,
  ): Promise<Map<string, number>>
  close(): Promise<void>
}

export function createEngineCounter(options: { postgresUrl: string; database: string }): EngineCounter {
  const pool = new pg.Pool({ connectionString: options.postgresUrl, max: 2 })
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
    async countBy(collection, match, field) {
      const table = await tableOf(collection)
      if (!table) return new Map()
      const entries = Object.entries(match)
      const where = entries.map(([key], i) => `${fieldExpression(key)} @> $${i + 1}::jsonb`)
      const sql =
        `SELECT (${fieldExpression(field)}) #>> '{}' AS bucket, count(*)::int AS n ` +
        `FROM ${quote(options.database)}.${quote(table)}` +
        (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
        ' GROUP BY 1'
      const rows = await pool.query<{ bucket: string | null; n: number }>(
        sql,
        entries.map(([, value]) => JSON.stringify(value)),
      )
      return new Map(rows.rows.flatMap((r) => (r.bucket === null ? [] : [[r.bucket, r.n] as const])))
    },
    close: () => pool.end(),
  }
}
