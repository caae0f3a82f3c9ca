// Report facts: upserted one at a time by _id after every referral write, packed by month into report_fact_packs
// (see report-fact-packs.ts) so a start reads a few dozen documents, then only the facts changed since, and rebuilt
// from referrals and signpostings by streaming both collections with a cursor.
import { Binary } from 'mongodb'
import type { Connection } from 'mongoose'
import { hourOf, hoursBetween, readHours } from '../hour-buckets'
import { PACK_FORMAT } from '../report-fact-packs'
import { isDuplicateKey } from '../atomic'
import type { CareOrganisationRecord, PracticePopulation } from '../../domain/account-records'
import type { PersonRecord, ReferralRecord, SignpostingRecord } from '../../domain/referral-records'
import type { ReportFact } from '../../domain/report-fact'
import { createModels, type Models } from '../models'

type Doc = { _id: unknown } & Record<string, unknown>
type PackDoc = { _id: string; format: string; asOf: Date; count: number; data: Binary }

/** One month's facts, packed (report-fact-packs.ts), and the time up to which they include every change. */
export interface StoredPack {
  month: string
  asOf: Date
  count: number
  data: Buffer
}

function toFact(doc: Doc): ReportFact {
  const { _id, updatedHour: _h, ...rest } = doc
  return { ...(rest as unknown as Omit<ReportFact, 'id'>), id: String(_id) }
}

/**
 * The bucket of facts a rebuild wrote: they reach readers through the month packs the rebuild writes (and a new
 * generation), never as changes by the hour, which would make every reader read every fact again.
 */
export const REBUILT = 'rebuilt'
const GENERATION_ID = '_generation'

function toDoc(fact: ReportFact, rebuilt = false): Doc {
  const { id, ...rest } = fact
  return { _id: id, ...rest, updatedHour: rebuilt ? REBUILT : hourOf(new Date(fact.updatedAt)) }
}

/** What a fact needs of a referral: no history, messages, shared contact details or notes. */
const REFERRAL_PROJECTION = {
  events: 0,
  messages: 0,
  contactAttempts: 0,
  shared: 0,
  note: 0,
  referrer: 0,
  declineText: 0,
  overdue: 0,
} as const

export type FactReferralRecord = Omit<
  ReferralRecord,
  'events' | 'messages' | 'contactAttempts' | 'shared' | 'note' | 'referrer' | 'declineText' | 'overdue'
>

/** Documents from a cursor as records (`_id` → `id`), `size` at a time. */
async function* batches<T>(cursor: AsyncIterable<unknown>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = []
  for await (const doc of cursor) {
    const { _id, ...rest } = doc as Doc
    batch.push({ ...rest, id: String(_id) } as T)
    if (batch.length >= size) {
      yield batch
      batch = []
    }
  }
  if (batch.length) yield batch
}

export type FactPersonRecord = Pick<PersonRecord, 'id' | 'equality' | 'practiceId'>

/**
 * How many documents a collection holds, from collStats: the engine answers it from its catalogue in milliseconds,
 * where count and countDocuments read every document (9 s for 100,000 referrals). Falls back to the estimated count
 * where collStats is not offered.
 */
export async function countDocuments(connection: Connection, name: string): Promise<number> {
  try {
    const stats = await connection.db!.command({ collStats: name })
    if (typeof stats.count === 'number') return stats.count
  } catch {
    // a missing collection, or a server without collStats
  }
  return connection.collection(name).estimatedDocumentCount()
}

export function createReportFactRepository(
  connection: Connection,
  models: Models = createModels(connection),
  options: {
    /**
     * Called once the emptied collection exists again: a drop takes the engine's indexes with it, and without the
     * index on `_id` every fact upsert scans every fact (124 ms each at 4,000 facts, measured). Pass the database's
     * ensureIndexes.
     */
    recreated?: () => Promise<void>
  } = {},
) {
  const { Referral, Signposting, Person, CareOrganisation } = models
  const facts = () => connection.collection<Doc>('report_facts')
  const packs = () => connection.collection<PackDoc>('report_fact_packs')

  const countOf = (name: string) => countDocuments(connection, name)

  return {
    async upsert(fact: ReportFact): Promise<void> {
      await facts().replaceOne({ _id: fact.id } as never, toDoc(fact), { upsert: true })
    },

    /** Removes every fact and pack (a rebuild starts here; readers keep their in-memory copy meanwhile). */
    async clear(): Promise<void> {
      await packs().deleteMany({})
      // Dropping is one quick command; deleteMany reads every fact first (1.4 s for 2,500 on a busy machine).
      await facts()
        .drop()
        .catch(() => false)
      await connection.createCollection('report_facts').catch(() => undefined)
      await options.recreated?.()
    },

    /**
     * Inserts facts in one round trip (a rebuild: 500 replaceOne upserts took seconds on FerretDB, an insertMany takes
     * milliseconds). A fact already there was written by a live referral write since the rebuild began, and is newer:
     * it is kept.
     */
    async insertMany(list: readonly ReportFact[], options: { rebuilt?: boolean } = {}): Promise<void> {
      if (!list.length) return
      try {
        await facts().insertMany(
          list.map((f) => toDoc(f, options.rebuilt)),
          { ordered: false },
        )
      } catch (error) {
        if (!isDuplicateKey(error)) throw error
      }
    },

    async count(): Promise<number> {
      return countOf('report_facts')
    },

    /**
     * Every fact, or those written after `since`: the hour buckets from then to now, each selected by equality (the
     * engine fetches every match of a range), then the exact time compared here. Over two days back, everything.
     */
    async list(since?: Date, now: Date = new Date()): Promise<ReportFact[]> {
      const hours = since ? hoursBetween(since, now) : null
      if (!since || !hours) {
        const docs = await facts().find({}, { batchSize: 5000 }).toArray()
        return docs.map(toFact).filter((f) => !since || new Date(f.updatedAt).getTime() > since.getTime())
      }
      const docs = await readHours(hours, (updatedHour) =>
        facts()
          .find({ updatedHour } as never)
          .toArray(),
      )
      return docs.map(toFact).filter((f) => new Date(f.updatedAt).getTime() > since.getTime())
    },

    /** Every pack written in this version's row layout. */
    async readPacks(): Promise<StoredPack[]> {
      const docs = await packs().find({ format: PACK_FORMAT }).toArray()
      return docs.map((d) => ({ month: d._id, asOf: d.asOf, count: d.count, data: Buffer.from(d.data.buffer) }))
    },

    async writePack(pack: StoredPack): Promise<void> {
      await packs().replaceOne(
        { _id: pack.month },
        { format: PACK_FORMAT, asOf: pack.asOf, count: pack.count, data: new Binary(pack.data) },
        { upsert: true },
      )
    },

    /**
     * Says every pack is current up to `asOf`: called by a process that has written every month whose facts it saw
     * change, so the months it did not write hold no change it has not seen.
     */
    async markPacksCurrent(asOf: Date): Promise<void> {
      await packs().updateMany({ format: PACK_FORMAT }, { $set: { asOf } })
    },

    /** Which rebuild the packs come from: a reader that sees another reads the packs again. Null before any. */
    async generation(): Promise<string | null> {
      const doc = (await packs().findOne({ _id: GENERATION_ID })) as { value?: string } | null
      return doc?.value ?? null
    },

    async setGeneration(value: string): Promise<void> {
      await packs().replaceOne({ _id: GENERATION_ID }, { value } as never, { upsert: true })
    },

    async getReferral(id: string): Promise<FactReferralRecord | null> {
      const doc = await Referral.findById(id, REFERRAL_PROJECTION).lean()
      if (!doc) return null
      const { _id, ...rest } = doc as unknown as Doc
      return { ...(rest as unknown as FactReferralRecord), id: String(_id) }
    },

    async getSignposting(id: string): Promise<SignpostingRecord | null> {
      const doc = await Signposting.findById(id).lean()
      if (!doc) return null
      const { _id, ...rest } = doc as unknown as Doc
      return { ...(rest as unknown as SignpostingRecord), id: String(_id) }
    },

    async getPerson(id: string): Promise<FactPersonRecord | null> {
      const doc = await Person.findById(id, { equality: 1, practiceId: 1 }).lean()
      return doc
        ? {
            id: String(doc._id),
            equality: doc.equality as PersonRecord['equality'],
            practiceId: doc.practiceId ?? null,
          }
        : null
    },

    /** Every person's equality fields and practice, for a rebuild (one pass; a rebuild needs them all). */
    async listPeople(): Promise<FactPersonRecord[]> {
      // Modest batches: each round trip stays short on a busy machine (the socket times out at 30 s).
      const docs = await Person.find({}, { equality: 1, practiceId: 1 }).batchSize(2000).lean()
      return docs.map((d) => ({
        id: String(d._id),
        equality: d.equality as PersonRecord['equality'],
        practiceId: d.practiceId ?? null,
      }))
    },

    async countSources(): Promise<{ referrals: number; signpostings: number }> {
      const [referrals, signpostings] = await Promise.all([countOf('referrals'), countOf('signpostings')])
      return { referrals, signpostings }
    },

    /** Streams referrals in batches (a cursor: a rebuild of 100,000 never holds them all). */
    referralBatches(size: number): AsyncGenerator<FactReferralRecord[]> {
      return batches<FactReferralRecord>(
        Referral.find({}, REFERRAL_PROJECTION).lean().cursor({ batchSize: size }),
        size,
      )
    },

    signpostingBatches(size: number): AsyncGenerator<SignpostingRecord[]> {
      return batches<SignpostingRecord>(
        Signposting.find({}, { note: 0, by: 0 }).lean().cursor({ batchSize: size }),
        size,
      )
    },

    async listPractices(): Promise<CareOrganisationRecord[]> {
      const docs = await CareOrganisation.find({ kind: 'practice' }).sort({ name: 1 }).lean()
      return docs.map((d) => {
        const { _id, ...rest } = d as unknown as Doc
        return { ...(rest as unknown as CareOrganisationRecord), id: String(_id) }
      })
    },

    /** Sets a practice's population where none is recorded (demo seeding: never overwrites real figures). */
    async ensurePracticePopulation(id: string, population: PracticePopulation): Promise<boolean> {
      const result = await CareOrganisation.updateOne({ _id: id, population: null }, { $set: { population } })
      return result.modifiedCount === 1
    },
  }
}

export type ReportFactRepository = ReturnType<typeof createReportFactRepository>
