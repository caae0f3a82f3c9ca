// The search index's documents, kept beside the directory so a start reads one small document per public service
// instead of every service, organisation and location (FerretDB's SQLite backend reads ~1,000 full services a second).
// search_documents: `_id` = service id, `o` = organisation id, `d` = the SearchDocument as JSON (absent while only
// marked), `dirty` = the service changed after `d` was written. search_state: one document, `_id` 'directory'.
import type { Connection } from 'mongoose'
import { collectionSchema, list, nullable, required } from './fields'

export const searchDocumentSchema = collectionSchema('search_documents', {
  o: nullable(String),
  d: nullable(String),
  dirty: { type: Boolean, default: false },
})

export const searchStateSchema = collectionSchema('search_state', {
  /** Changes whenever the stored documents stop being complete; a rebuild completes only its own stamp. */
  stamp: required(String),
  complete: required(Boolean),
  count: nullable(Number),
  /** Organisations changed since: their services' documents are recomputed at the next start. */
  dirty_orgs: list(String),
  at: required(Date),
})

export function createSearchDocumentModels(connection: Connection) {
  return {
    SearchDocumentRow: connection.model('SearchDocumentRow', searchDocumentSchema),
    SearchState: connection.model('SearchState', searchStateSchema),
  }
}
