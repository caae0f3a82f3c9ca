// The search index's documents, kept beside the directory so a start reads one small document per public service
// instead of every service, organisation and location (FerretDB's SQLite backend reads ~1,000 full services a second).
// search_documents: `_id` = service id, `o` = organisation id, `d` = the SearchDocument as JSON (absent while only
// marked), `dirty` = the service changed after `d` was written. search_state: one document, `_id` 'directory'.
import { Schema, type Connection } from 'mongoose'

export const searchDocumentSchema = new Schema(
  {
    _id: { type: String, required: true },
    o: { type: String, default: null },
    d: { type: String, default: null },
    dirty: { type: Boolean, default: false },
  },
  { collection: 'search_documents', versionKey: false },
)

export const searchStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Changes whenever the stored documents stop being complete; a rebuild completes only its own stamp. */
    stamp: { type: String, required: true },
    complete: { type: Boolean, required: true },
    count: { type: Number, default: null },
    /** Organisations changed since: their services' documents are recomputed at the next start. */
    dirty_orgs: { type: [String], default: [] },
    at: { type: Date, required: true },
  },
  { collection: 'search_state', versionKey: false },
)

export function createSearchDocumentModels(connection: Connection) {
  return {
    SearchDocumentRow: connection.model('SearchDocumentRow', searchDocumentSchema),
    SearchState: connection.model('SearchState', searchStateSchema),
  }
}
