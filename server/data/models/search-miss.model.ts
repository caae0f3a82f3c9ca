// A search that found nothing: the need, the area (outcode only) and the words. No personal data.
import { Schema, type Connection } from 'mongoose'

export const searchMissSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    needs: { type: [String], default: [] },
    outcode: { type: String, default: null },
    words: { type: String, default: null },
  },
  { collection: 'search_misses', versionKey: false },
)

export function createSearchMissModel(connection: Connection) {
  return connection.model('SearchMiss', searchMissSchema)
}
