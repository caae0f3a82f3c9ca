// Copies every collection of one MongoDB-compatible database into another (MongoDB, Atlas, Azure Cosmos DB for
// MongoDB, any FerretDB, or our embedded engine), with the collections' index definitions.
//
// - One pass per collection in the source's natural order (no sort: FerretDB would sort the whole collection in
//   memory for every batch), written as upserts by _id, so a re-run never duplicates anything.
// - Resumable: a state file records each finished collection and how far an unfinished one got; a re-run skips what
//   is done and starts an unfinished collection where it stopped (upserts make any overlap harmless).
// - Verified: each collection's count in the target must equal the source's, or the copy reports the difference.
import fs from 'node:fs'
import { MongoClient, type AnyBulkWriteOperation, type Document } from 'mongodb'

export interface CopyProgress {
  collection: string
  copied: number
  total: number
}

export interface CopyResult {
  collections: { name: string; source: number; target: number; skipped: boolean }[]
  mismatches: string[]
}

interface CopyState {
  done: Record<string, number>
  partial: Record<string, number>
}

function readState(file: string | undefined): CopyState {
  if (!file || !fs.existsSync(file)) return { done: {}, partial: {} }
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<CopyState>
  return { done: parsed.done ?? {}, partial: parsed.partial ?? {} }
}

function writeState(file: string | undefined, state: CopyState) {
  if (!file) return
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2))
  fs.renameSync(`${file}.tmp`, file)
}

export async function copyDatabase(options: {
  fromUri: string
  fromDb: string
  toUri: string
  toDb: string
  batchSize?: number
  /** Where progress is kept, so an interrupted copy can be resumed. */
  stateFile?: string
  onCollectionStart?: (collection: string, total: number) => void
  onProgress?: (progress: CopyProgress) => void
}): Promise<CopyResult> {
  const batchSize = options.batchSize ?? 500
  const from = new MongoClient(options.fromUri, { serverSelectionTimeoutMS: 10_000 })
  const to = new MongoClient(options.toUri, { serverSelectionTimeoutMS: 10_000 })
  await from.connect()
  try {
    await to.connect()
    const source = from.db(options.fromDb)
    const target = to.db(options.toDb)
    const state = readState(options.stateFile)
    const names = (await source.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .filter((name) => !name.startsWith('system.'))
      .sort()
    const result: CopyResult = { collections: [], mismatches: [] }

    for (const name of names) {
      const sourceCount = await source.collection(name).countDocuments()
      if (state.done[name] !== undefined) {
        const targetCount = await target.collection(name).countDocuments()
        result.collections.push({ name, source: sourceCount, target: targetCount, skipped: true })
        if (targetCount !== sourceCount) result.mismatches.push(`${name}: source ${sourceCount}, target ${targetCount}`)
        continue
      }
      options.onCollectionStart?.(name, sourceCount)
      await target.createCollection(name).catch(() => undefined) // exists already
      const startAt = state.partial[name] ?? 0
      let copied = startAt
      let batch: AnyBulkWriteOperation<Document>[] = []
      const flush = async () => {
        if (batch.length === 0) return
        await target.collection(name).bulkWrite(batch, { ordered: false })
        copied += batch.length
        batch = []
        state.partial[name] = copied
        writeState(options.stateFile, state)
        options.onProgress?.({ collection: name, copied, total: sourceCount })
      }
      const cursor = source.collection(name).find({}, { batchSize, skip: startAt || undefined })
      for await (const doc of cursor) {
        batch.push({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } })
        if (batch.length >= batchSize) await flush()
      }
      await flush()
      await copyIndexes(source.collection(name), target.collection(name))
      const targetCount = await target.collection(name).countDocuments()
      result.collections.push({ name, source: sourceCount, target: targetCount, skipped: false })
      if (targetCount !== sourceCount) result.mismatches.push(`${name}: source ${sourceCount}, target ${targetCount}`)
      else {
        state.done[name] = targetCount
        delete state.partial[name]
        writeState(options.stateFile, state)
      }
    }
    return result
  } finally {
    await from.close().catch(() => undefined)
    await to.close().catch(() => undefined)
  }
}

type IndexSource = { listIndexes(): { toArray(): Promise<Document[]> } }
type IndexTarget = { createIndex(key: Document, options: Document): Promise<string> }

/** The source's secondary index definitions (key, name, unique, sparse) made on the target too. */
async function copyIndexes(source: IndexSource, target: IndexTarget) {
  for (const index of await source.listIndexes().toArray()) {
    if (index.name === '_id_') continue
    const options: Document = { name: index.name }
    if (index.unique) options.unique = true
    if (index.sparse) options.sparse = true
    await target.createIndex(index.key as Document, options).catch((error: unknown) => {
      throw new Error(`index ${String(index.name)} could not be made on the target`, { cause: error })
    })
  }
}
