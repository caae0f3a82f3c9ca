// A search that found nothing or only a few results: the need, the area (outcode only), the words and how many it
// found. No personal data is asked for, but navigators may type some into the words: reports never show those alone.
import type { Connection } from 'mongoose'
import { collectionSchema, list, nullable, required } from './fields'

export const searchMissSchema = collectionSchema('search_misses', {
  at: required(Date),
  needs: list(String),
  outcode: nullable(String),
  words: nullable(String),
  resultCount: { type: Number, default: 0 },
  /** `at`'s UTC hour, "2026-12-07T06": the unmet need report reads the hours since its last read by equality. */
  hour: { type: String },
})
searchMissSchema.index({ hour: 1 })

export function createSearchMissModel(connection: Connection) {
  return connection.model('SearchMiss', searchMissSchema)
}
