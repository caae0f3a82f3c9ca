// Social prescribing episodes. A change is one updateOne of the whole next episode, applied only by the caller that
// claims the next version (record-claims.ts) and only if the document is still at the version that was read: the
// rules live in applyEpisodeAction, this file only stores. Lists select by one indexed top-level equality (teamId,
// ownerId, practiceId, personId), which FerretDB v1 pushes down, then sort in the service.
import type { Connection } from 'mongoose'
import type { EpisodeRecord } from '../../domain/episode'
import type { ReferralSummary, SignpostingRecord } from '../../domain/referral-records'
import { createModels, type Models } from '../models'
import { findRecord, findRecords } from './records'
import type { EngineReader } from '../embedded-db/engine-reads'
import { insertOnce, versionedUpdate } from '../atomic'

type Doc = { _id: unknown } & Record<string, unknown>
function fromDoc(doc: unknown): EpisodeRecord {
  const { _id, practiceId: _p, ...rest } = doc as Doc
  return { id: String(_id), ...rest } as unknown as EpisodeRecord
}

function toDoc(record: EpisodeRecord) {
  const { id, ...rest } = record
  return { _id: id, ...rest, practiceId: record.person.practiceId }
}

/** What lists need: no history, no messages, no measure answers. */
const SUMMARY_PROJECTION = { events: 0, messages: 0, measures: 0 } as const
export type EpisodeSummary = Omit<EpisodeRecord, 'events' | 'messages' | 'measures'>

export function createEpisodeRepository(
  connection: Connection,
  models: Models = createModels(connection),
  /** Told the id of every episode written (the episodes report's facts follow it); it must not throw. */
  onWrite: (id: string) => void = () => undefined,
  /** Whole-collection reads past FerretDB, when its PostgreSQL is reachable (engine-reads.ts). */
  engine: EngineReader | null = null,
) {
  const { Episode, Referral, Signposting } = models
  const many = (docs: unknown[]) => docs.map((d) => fromDoc(d) as EpisodeSummary)

  return {
    async get(id: string): Promise<EpisodeRecord | null> {
      return findRecord(Episode, id, fromDoc)
    },

    /** Inserts a new episode; false when one with this _id exists (a retried submission). */
    async insertOnce(record: EpisodeRecord): Promise<boolean> {
      if (await Episode.exists({ _id: record.id })) return false
      const inserted = await insertOnce(Episode, toDoc(record))
      if (inserted) onWrite(record.id)
      return inserted
    },

    /** Writes `next` over the episode if it is still at `next.version - 1`. False: someone else changed it first. */
    async replace(next: EpisodeRecord): Promise<boolean> {
      const expected = next.version - 1
      const { _id, ...fields } = toDoc(next)
      const written = await versionedUpdate(models, Episode, {
        id: _id,
        claimKey: `episode:${_id}`,
        version: expected,
        guard: { version: expected },
        update: { $set: fields },
      })
      if (written) onWrite(_id)
      return written
    },

    /** These episodes (a page of them), each by _id, in the order given; missing ones left out. */
    async listByIds(ids: readonly string[]): Promise<EpisodeSummary[]> {
      return findRecords(connection, Episode, ids, {
        exclude: Object.keys(SUMMARY_PROJECTION),
        toRecord: (d) => fromDoc(d) as EpisodeSummary,
      })
    },

    async listByPerson(personId: string): Promise<EpisodeSummary[]> {
      return many(await Episode.find({ personId }, SUMMARY_PROJECTION).lean())
    },

    /** A practice's episodes with their messages (the GP's page), never the history. */
    async listByPractice(practiceId: string): Promise<EpisodeRecord[]> {
      const docs = await Episode.find({ practiceId }, { events: 0 }).lean()
      return docs.map((d) => ({ ...fromDoc(d), events: [] }))
    },

    /** The VCO referrals and signpostings made in an episode (selected by their indexed episodeId). */
    async connections(episodeId: string): Promise<{ referrals: ReferralSummary[]; signpostings: SignpostingRecord[] }> {
      const [referrals, signpostings] = await Promise.all([
        Referral.find({ episodeId }, { events: 0, messages: 0, contactAttempts: 0 }).lean(),
        Signposting.find({ episodeId }).lean(),
      ])
      return {
        referrals: referrals.map((d) => ({ ...(d as object), id: String(d._id) }) as unknown as ReferralSummary),
        signpostings: signpostings.map(
          (d) => ({ ...(d as object), id: String(d._id) }) as unknown as SignpostingRecord,
        ),
      }
    },

    /** Every episode without history or messages, streamed in batches (building the episodes report's facts). */
    /**
     * Every episode without its history, in batches (the episode facts are built from them): straight from the
     * engine's PostgreSQL when we can reach it (40,000 episodes through FerretDB took minutes), else one cursor.
     */
    async *factSourceBatches(size = 1000): AsyncGenerator<Omit<EpisodeRecord, 'events'>[]> {
      if (engine) {
        for await (const docs of engine.scan(Episode, size))
          yield docs.map(({ events: _events, ...doc }) => fromDoc(doc) as Omit<EpisodeRecord, 'events'>)
        return
      }
      let batch: Omit<EpisodeRecord, 'events'>[] = []
      for await (const doc of Episode.find({}, { events: 0 }).lean().cursor({ batchSize: size })) {
        batch.push(fromDoc(doc))
        if (batch.length >= size) {
          yield batch
          batch = []
        }
      }
      if (batch.length) yield batch
    },

    async count(): Promise<number> {
      return Episode.countDocuments({})
    },
  }
}

export type EpisodeRepository = ReturnType<typeof createEpisodeRepository>
