// Reading a whole collection straight from the PostgreSQL table FerretDB v1 keeps it in, for the one read that must
// see every document: rebuilding the search index from every service, organisation and location.
//
// Through FerretDB, each document is converted from its stored jsonb into FerretDB's own types and then to BSON, one
// field at a time: 20,000 services took 27–32 s, of which 20 s was the engine's CPU and 2.4 s ours. Read from
// PostgreSQL without FerretDB's type annotations (`_jsonb - '$s'`), the same rows arrive in 2–3 s. The annotations
// tell a date from a number; this reader puts the dates back from the paths the mongoose schema declares as dates,
// so a document read here equals the one `find().lean()` returns (test/integration/data/engine-reads.test.ts). Every
// write goes through FerretDB but one: removing a whole origin's documents (deleteWhere), which FerretDB cannot do in
// one statement past 65,535 documents and does one document at a time at about a millisecond each. FerretDB keeps no
// state about a table's rows beyond the table itself, so a row PostgreSQL deletes is gone for FerretDB too.
import type { Schema } from 'mongoose'
import pg from 'pg'
import { fieldExpression, quote, tablesOf } from './engine-indexes'

/** What a scan needs of a mongoose model: its collection, and its schema for the dates. */
export interface ScannedModel {
  readonly schema: Schema
  readonly collection: { readonly collectionName: string }
}

export interface EngineReader {
  /**
   * Every document of the model's collection as `find({}).lean()` would return it, in batches; nothing when the
   * collection does not exist. A snapshot: writes made during the scan are not seen.
   */
  scan(model: ScannedModel, batchSize?: number): AsyncGenerator<Record<string, unknown>[]>
  /**
   * Deletes every document of the collection whose top-level `field` equals the string `value`, in one statement, as
   * FerretDB would match `{field: value}`. Returns how many went.
   */
  deleteWhere(collection: string, field: string, value: string): Promise<number>
}

/** A path to a date: keys, with '*' for every element of an array. */
type Path = readonly string[]

/** The date paths a schema declares, nested sub-documents and arrays of them included. */
export function datePaths(schema: Schema): Path[] {
  const out: Path[] = []
  schema.eachPath((name, type) => {
    const at = name.split('.')
    const sub = (type as unknown as { schema?: Schema }).schema
    if (type.instance === 'Date') out.push(at)
    else if (sub && type.instance === 'Array') for (const p of datePaths(sub)) out.push([...at, '*', ...p])
    else if (sub) for (const p of datePaths(sub)) out.push([...at, ...p])
    else if (
      type.instance === 'Array' &&
      (type as unknown as { caster?: { instance?: string } }).caster?.instance === 'Date'
    )
      out.push([...at, '*'])
  })
  return out
}

/** FerretDB stores a date as milliseconds since the epoch: made a Date again wherever the schema says date. */
function restoreDates(value: unknown, path: Path, from = 0): unknown {
  if (from === path.length) return typeof value === 'number' ? new Date(value) : value
  if (value === null || typeof value !== 'object') return value
  const key = path[from]!
  if (key === '*') {
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) value[i] = restoreDates(value[i], path, from + 1)
    return value
  }
  const record = value as Record<string, unknown>
  if (key in record) record[key] = restoreDates(record[key], path, from + 1)
  return value
}

const schemaDates = new WeakMap<Schema, Path[]>()

/** A row read past FerretDB (`_jsonb - '$s'`) made the document `find().lean()` returns: its dates put back. */
export function leanOf(doc: Record<string, unknown>, schema: Schema): Record<string, unknown> {
  let dates = schemaDates.get(schema)
  if (!dates) schemaDates.set(schema, (dates = datePaths(schema)))
  for (const path of dates) restoreDates(doc, path)
  return doc
}

export function createEngineReader(options: { postgresUrl: string; database: string }): EngineReader {
  return {
    async *scan(model, batchSize = 2000) {
      const client = new pg.Client({ connectionString: options.postgresUrl })
      await client.connect()
      try {
        const table = (await tablesOf(client, options.database)).get(model.collection.collectionName)
        if (!table) return
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
        await client.query(
          `DECLARE whole_collection NO SCROLL CURSOR FOR SELECT _jsonb - '$s' AS doc FROM ${quote(options.database)}.${quote(table)}`,
        )
        const fetch = () =>
          client.query<{ doc: Record<string, unknown> }>(`FETCH ${Number(batchSize)} FROM whole_collection`)
        // The next batch is asked for before this one is handed on, so PostgreSQL reads while the caller works.
        let next = fetch()
        for (;;) {
          const { rows } = await next
          if (rows.length === 0) break
          next = fetch()
          next.catch(() => undefined)
          yield rows.map((row) => leanOf(row.doc, model.schema))
        }
        await client.query('COMMIT')
      } finally {
        await client.end()
      }
    },

    async deleteWhere(collection, field, value) {
      const client = new pg.Client({ connectionString: options.postgresUrl })
      await client.connect()
      try {
        const table = (await tablesOf(client, options.database)).get(collection)
        if (!table) return 0
        // The comparison FerretDB itself sends PostgreSQL for `{field: value}` (and that our GIN indexes serve).
        const result = await client.query(
          `DELETE FROM ${quote(options.database)}.${quote(table)} WHERE ${fieldExpression(field)} @> $1::jsonb`,
          [JSON.stringify(value)],
        )
        return result.rowCount ?? 0
      } finally {
        await client.end()
      }
    },
  }
}
