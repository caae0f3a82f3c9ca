// Records and the documents that store them: a record's `id` is its document's `_id`, and nothing else differs.
import type { AnyModel } from '../atomic'

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
