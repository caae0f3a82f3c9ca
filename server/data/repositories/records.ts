// Records and the documents that store them: a record's `id` is its document's `_id`, and nothing else differs.
import type { AnyModel } from '../atomic'
import { engineOf } from './month-pages'

type Doc = { _id: unknown } & Record<string, unknown>

/** A stored document as its record. */
export function recordOf<T>(doc: unknown): T {
  const { _id, ...rest } = doc as Doc
  return { id: String(_id), ...rest } as unknown as T
}

/** A record as the document that stores it. */
export function documentOf(record: { id: string }): Record<string, unknown> {
  const { id, ...rest } = record
  return { _id: id, ...rest }
}

/** One record by id (made by `toRecord`, plainly by default); null when there is none. */
export async function findRecord<T>(
  model: AnyModel,
  id: string,
  toRecord: (doc: unknown) => T = recordOf,
): Promise<T | null> {
  const doc: unknown = await model.findById(id).lean()
  return doc ? toRecord(doc) : null
}

/** Stores a new record through its model (validated, defaults and timestamps applied). */
export async function insertRecord(model: AnyModel, record: { id: string }): Promise<void> {
  await model.create(documentOf(record))
}

/**
 * These records (a page's), in the order given; missing ones left out. In the embedded engine they are read past
 * FerretDB in one query (engine-pages.ts), else one by id each. `exclude`: top-level fields left out.
 */
export async function findRecords<T extends { id: string }>(
  connection: object,
  model: AnyModel,
  ids: readonly string[],
  options: { exclude?: readonly string[]; toRecord?: (doc: unknown) => T } = {},
): Promise<T[]> {
  const { exclude = [], toRecord = recordOf<T> } = options
  const engine = engineOf(connection)
  const docs: unknown[] = engine
    ? await engine.byIds(model, ids, exclude)
    : await Promise.all(ids.map((id) => model.findById(id, Object.fromEntries(exclude.map((f) => [f, 0]))).lean()))
  const byId = new Map(
    docs.flatMap((doc) => {
      if (!doc) return []
      const record = toRecord(doc)
      return [[record.id, record] as const]
    }),
  )
  return ids.flatMap((id) => byId.get(id) ?? [])
}
