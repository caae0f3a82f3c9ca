// Episode facts: one small document per social prescribing episode for the episodes report, `_id` = the episode's
// id, the de-identified fact as one JSON string (`d`): the engine reads one string per document many times faster
// than a document of nested fields. No name, NHS number, contact detail, free text, date of birth or person id.
import type { Connection } from 'mongoose'
import { collectionSchema, required } from './fields'

export const episodeFactSchema = collectionSchema('episode_facts', {
  d: required(String),
  /** When the fact was written, its UTC hour ("2026-12-07T06"): a refresh reads the hours since by equality. */
  updatedHour: required(String),
})
episodeFactSchema.index({ updatedHour: 1 })

export function createEpisodeFactModel(connection: Connection) {
  return connection.model('EpisodeFact', episodeFactSchema)
}
