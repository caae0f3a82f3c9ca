// Episode facts (models/episode-fact.model.ts): upserted by _id after every episode write, read whole once by a
// process and then by the hour buckets written since, and built once from the episodes when there are fewer facts
// than episodes (a new deployment, or episodes written in bulk).
import type { Connection } from 'mongoose'
import { isDuplicateKey } from '../atomic'
import { createModels, type Models } from '../models'
import { hourOf, hoursBetween, readHours } from '../hour-buckets'
import { countDocuments } from './report-fact.repository'

export interface StoredEpisodeFact {
  id: string
  /** The fact as JSON. */
  json: string
}

type Row = { _id: string; d: string; updatedHour: string }
/** Markers kept beside the list fields' (list-fields.repository.ts): the facts' format, once all are rebuilt in it. */
const FORMAT_MARKER = '_episode_facts'

export function createEpisodeFactRepository(
  connection: Connection,
  models: Models = createModels(connection),
  options: {
    /** Called once the dropped collection exists again (pass the database's ensureIndexes, as for report facts). */
    recreated?: () => Promise<void>
  } = {},
) {
  const { EpisodeFact, ListMonth } = models
  const rows = () => connection.collection<Row>('episode_facts')
  const toStored = (r: Row): StoredEpisodeFact => ({ id: r._id, json: r.d })

  const countOf = (name: string) => countDocuments(connection, name)

  return {
    async upsert(fact: StoredEpisodeFact, at: Date): Promise<void> {
      await EpisodeFact.replaceOne(
        { _id: fact.id },
        { _id: fact.id, d: fact.json, updatedHour: hourOf(at) },
        { upsert: true },
      )
    },

    /** Inserts facts not there yet; one already there was written by a live episode write, and is newer. */
    async insertMissing(facts: readonly StoredEpisodeFact[], at: Date): Promise<void> {
      if (!facts.length) return
      try {
        await rows().insertMany(
          facts.map((f) => ({ _id: f.id, d: f.json, updatedHour: hourOf(at) })),
          { ordered: false },
        )
      } catch (error) {
        if (!isDuplicateKey(error)) throw error
      }
    },

    /**
     * Removes every fact (a rebuild in a new format starts here): one drop, where deleting reads every fact first.
     * The drop takes the engine's indexes with it; `recreated` makes them again.
     */
    async clear(): Promise<void> {
      await rows()
        .drop()
        .catch(() => false)
      await connection.createCollection('episode_facts').catch(() => undefined)
      await options.recreated?.()
    },

    /** Whether every stored fact is in this format (recorded by `setFormat` after a rebuild). */
    async hasFormat(format: number): Promise<boolean> {
      return Boolean(await ListMonth.exists({ _id: `${FORMAT_MARKER}:${format}` }))
    },

    async setFormat(format: number): Promise<void> {
      await ListMonth.create({ _id: `${FORMAT_MARKER}:${format}`, collectionName: FORMAT_MARKER, month: 'done' }).catch(
        async (error: unknown) => {
          if (!isDuplicateKey(error)) throw error
        },
      )
    },

    /** Every fact, or those written in the hours from `since` to `now` (each hour an indexed equality). */
    async list(since?: Date, now: Date = new Date()): Promise<StoredEpisodeFact[]> {
      const hours = since ? hoursBetween(since, now) : null
      if (!hours) return (await rows().find({}).batchSize(5000).toArray()).map(toStored)
      return (await readHours(hours, (updatedHour) => rows().find({ updatedHour }).toArray())).map(toStored)
    },

    count: () => countOf('episode_facts'),
    countEpisodes: () => countOf('episodes'),
  }
}

export type EpisodeFactRepository = ReturnType<typeof createEpisodeFactRepository>
