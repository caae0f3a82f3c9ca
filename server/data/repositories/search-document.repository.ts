// The search documents kept beside the directory (models/search-document.model.ts), so that a start builds the index
// from one small document per public service instead of streaming every service, organisation and location.
//
// They are trusted only while search_state says they are complete. A full rebuild from the services writes them and
// completes its own stamp; anything that writes the directory in bulk (seeding, generators, the Open Referral UK
// import) calls markSearchDocumentsStale first, so the next start rebuilds from the services. A single service write
// marks that service's row dirty before it writes (and reindexService then stores the fresh document), and an
// organisation write marks the organisation, so a crash between the write and the reindex costs a recheck of those
// few services at the next start, never a wrong listing.
import type { Connection } from 'mongoose'
import { newId } from '../../domain/ids'
import { createSearchDocumentModels } from '../models/search-document.model'
import type { SearchDocument } from '../search/search-index'

const STATE_ID = 'directory'
const DUPLICATE_KEY = 11000

export interface StoredSearchDocuments {
  stamp: string
  count: number
  dirtyOrganizations: string[]
}

export interface StoredSearchRow {
  id: string
  organizationId: string | null
  /** Null when the row is only a mark (a service created since) or could not be read. */
  document: SearchDocument | null
  /** The service changed after the document was written: recompute it from the service. */
  dirty: boolean
}

interface RowDoc {
  _id: string
  o?: string | null
  d?: string | null
  dirty?: boolean
}

function parse(json: string | null | undefined): SearchDocument | null {
  if (!json) return null
  try {
    return JSON.parse(json) as SearchDocument
  } catch {
    return null
  }
}

function isDuplicateKeyOnly(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: { code?: number }[] }
  if (e.writeErrors?.length) return e.writeErrors.every((w) => w.code === DUPLICATE_KEY)
  return e.code === DUPLICATE_KEY
}

/** The one call for bulk writers of services, organisations or locations: the next start rebuilds from the services. */
export async function markSearchDocumentsStale(connection: Connection): Promise<void> {
  const { SearchState } = createSearchDocumentModels(connection)
  await SearchState.updateOne(
    { _id: STATE_ID },
    { $set: { stamp: newId(), complete: false, count: null, dirty_orgs: [], at: new Date() } },
    { upsert: true },
  )
}

export function createSearchDocumentRepository(
  connection: Connection,
  options: {
    /** Makes the engine's indexes again (the database's ensureIndexes), after a rebuild made the collection anew. */
    recreated?: () => Promise<void>
  } = {},
) {
  const { SearchDocumentRow: Row, SearchState: State } = createSearchDocumentModels(connection)

  return {
    markStale: () => markSearchDocumentsStale(connection),

    /** The stored documents when a full rebuild completed and nothing bulk-wrote since; otherwise null. */
    async stored(): Promise<StoredSearchDocuments | null> {
      const state = await State.findById(STATE_ID).lean()
      if (!state?.complete || state.count == null) return null
      return { stamp: state.stamp, count: state.count, dirtyOrganizations: state.dirty_orgs ?? [] }
    },

    /** Every stored row, in batches (one cursor; the rows are small). */
    async *read(batchSize = 2000): AsyncGenerator<StoredSearchRow[]> {
      let batch: StoredSearchRow[] = []
      for await (const doc of Row.collection.find({}, { batchSize })) {
        const row = doc as unknown as RowDoc
        batch.push({
          id: String(row._id),
          organizationId: row.o ?? null,
          document: parse(row.d),
          dirty: Boolean(row.dirty),
        })
        if (batch.length >= batchSize) {
          yield batch
          batch = []
        }
      }
      if (batch.length > 0) yield batch
    },

    /** Starts a full rebuild: the stored documents are no longer complete, and are dropped. Returns the stamp. */
    async beginRebuild(): Promise<string> {
      const stamp = newId()
      await State.updateOne(
        { _id: STATE_ID },
        { $set: { stamp, complete: false, count: null, dirty_orgs: [], at: new Date() } },
        { upsert: true },
      )
      // Dropped and made anew, not emptied: FerretDB deletes the rows of a deleteMany in one statement with a parameter
      // per row, which PostgreSQL refuses beyond 65,535 rows. The drop takes the collection's indexes with it (on the
      // embedded engine, the GIN index every later single-document reindex needs), so they are made again.
      await Row.collection.drop().catch(() => false)
      await connection.createCollection(Row.collection.collectionName).catch(() => undefined)
      await options.recreated?.()
      return stamp
    },

    /** Stores documents made by a full rebuild. A row written meanwhile by a single reindex is as new: kept. */
    async writeMany(entries: readonly { document: SearchDocument; organizationId: string }[]): Promise<void> {
      if (entries.length === 0) return
      const docs = entries.map((e) => ({ _id: e.document.id, o: e.organizationId, d: JSON.stringify(e.document) }))
      try {
        await Row.collection.insertMany(docs as never[], { ordered: false })
      } catch (error) {
        if (!isDuplicateKeyOnly(error)) throw error
      }
    },

    /**
     * Marks the rebuild with this stamp complete, unless something marked the documents stale since. (Read, then
     * write: on FerretDB's SQLite backend no conditional update is atomic, so a bulk write landing in the same
     * millisecond could be missed; bulk writers mark stale both before they start and as they go.)
     */
    async completeRebuild(stamp: string, count: number): Promise<boolean> {
      const state = await State.findById(STATE_ID).lean()
      if (state?.stamp !== stamp) return false
      await State.updateOne({ _id: STATE_ID }, { $set: { complete: true, count, at: new Date() } })
      return true
    },

    /** Organisations whose services were rechecked at start: no longer dirty. */
    async clearDirtyOrganizations(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return
      await State.updateOne({ _id: STATE_ID }, { $pullAll: { dirty_orgs: [...ids] } })
    },

    /** After a service changed: its stored document is current again. */
    async put(document: SearchDocument, organizationId: string): Promise<void> {
      await Row.replaceOne(
        { _id: document.id },
        { _id: document.id, o: organizationId, d: JSON.stringify(document), dirty: false },
        { upsert: true },
      )
    },

    /** After a service left the public directory. */
    async remove(id: string): Promise<void> {
      await Row.deleteOne({ _id: id })
    },

    /** Before a service is written: recheck it at the next start unless reindexed before then. */
    async markServiceChanged(id: string): Promise<void> {
      await Row.updateOne({ _id: id }, { $set: { dirty: true } }, { upsert: true })
    },

    /** Before an organisation is written: recheck its services at the next start. */
    async markOrganizationChanged(id: string): Promise<void> {
      await State.updateOne({ _id: STATE_ID }, { $addToSet: { dirty_orgs: id } })
    },

    /** The stored rows' count (tests). */
    async count(): Promise<number> {
      return Row.countDocuments({})
    },
  }
}

export type SearchDocumentRepository = ReturnType<typeof createSearchDocumentRepository>
