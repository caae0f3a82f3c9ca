// Writing synthetic people, referrals and signpostings in bulk (scripts/generate-referrals.ts), and the services
// they are made for. Documents go through the driver's insertMany (ordered:false): mongoose's casting costs ~6 ms per
// referral (10 minutes at 100,000), so the first document of each kind in every batch is validated against its model
// instead (the generator's test validates every one). A re-run (the same name-based ids) is told apart from a real
// failure: duplicate keys count as "there already".
import { hourOf } from '../hour-buckets'
import type { Connection } from 'mongoose'
import type { SearchMissRecord } from '../../domain/directory-records'
import type { Capacity } from '../../domain/directory-vocabulary'
import type { PersonRecord, ReferralRecord, SignpostingRecord } from '../../domain/referral-records'
import type { EpisodeRecord } from '../../domain/episode'
import { isDuplicateKey } from '../atomic'
import { createModels, type Models } from '../models'
import { gpFilterFlags } from '../../domain/gp-filters'
import { DEFAULT_CLOCK_TARGETS } from '../../domain/referral-clocks'
import { clockHourOf } from './referral.repository'
import { listBuckets, monthPagesFor } from './month-pages'
import { personKeys } from './person.repository'

/** Inserts what is new; returns how many were inserted. Throws on anything but duplicate keys. */
async function insertNew(
  model: Models['Referral'] | Models['Person'] | Models['Signposting'] | Models['SearchMiss'] | Models['Episode'],
  docs: object[],
) {
  if (!docs.length) return 0
  const invalid = new model(docs[0]).validateSync()
  if (invalid) throw invalid
  try {
    const result = await model.collection.insertMany(docs as never[], { ordered: false })
    return result.insertedCount
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    return (error as { result?: { insertedCount?: number } }).result?.insertedCount ?? 0
  }
}

/** A directory service as the generator needs it. */
export interface SyntheticService {
  id: string
  name: string
  organisationId: string
  organisationName: string
  /** Need taxonomy term ids the service meets. */
  needs: string[]
  acceptsReferrals: boolean
  capacity?: Capacity
}

export interface SyntheticBatch {
  people: PersonRecord[]
  referrals: ReferralRecord[]
  signpostings: SignpostingRecord[]
}

export function createSyntheticReferralRepository(connection: Connection, models: Models = createModels(connection)) {
  const { Person, Referral, Signposting, Service, Organization, SearchMiss, Episode } = models
  const months = monthPagesFor(connection, models)
  return {
    /** Synthetic search misses (generate-search-misses.ts), a thousand at a time; returns how many were new. */
    async insertSearchMisses(misses: readonly SearchMissRecord[]): Promise<number> {
      let inserted = 0
      for (let i = 0; i < misses.length; i += 1000)
        inserted += await insertNew(
          SearchMiss,
          misses.slice(i, i + 1000).map(({ id, ...rest }) => ({ _id: id, ...rest, hour: hourOf(rest.at) })),
        )
      return inserted
    },

    /** Inserts every generated batch, telling `onBatch` how many referrals have been generated so far. */
    async insertAll(
      batches: Iterable<SyntheticBatch & { episodes?: EpisodeRecord[] }>,
      onBatch: (generated: number) => void = () => undefined,
    ) {
      const totals = { generated: 0, people: 0, referrals: 0, signpostings: 0, episodes: 0 }
      for (const batch of batches) {
        const inserted = await this.insertBatch(batch)
        totals.people += inserted.people
        totals.referrals += inserted.referrals
        totals.signpostings += inserted.signpostings
        totals.episodes += inserted.episodes
        totals.generated += batch.referrals.length
        onBatch(totals.generated)
      }
      return totals
    },

    async insertBatch(
      batch: SyntheticBatch & { episodes?: EpisodeRecord[] },
    ): Promise<{ people: number; referrals: number; signpostings: number; episodes: number }> {
      const writtenAt = new Date()
      // The derived list fields the repositories would set (month buckets, name words), and their months listed.
      const people = batch.people.map(({ id, ...rest }) => ({ _id: id, version: 0, ...rest, ...personKeys(rest) }))
      const referrals = batch.referrals.map(({ id, ...rest }) => ({
        _id: id,
        ...rest,
        ...listBuckets(rest.submittedAt),
        ...gpFilterFlags(rest),
        clockHour: clockHourOf(rest, DEFAULT_CLOCK_TARGETS.escalateHours, writtenAt),
      }))
      const signpostings = batch.signpostings.map(({ id, ...rest }) => ({ _id: id, ...rest, ...listBuckets(rest.at) }))
      const listed = [
        ...people.map((d) => `people:${d.day}`),
        ...referrals.map((d) => `referrals:${d.day}`),
        ...signpostings.map((d) => `signpostings:${d.day}`),
      ]
      for (const key of new Set(listed)) {
        const [collectionName, day] = key.split(':') as [string, string]
        await months.register(collectionName, day)
      }
      return {
        people: await insertNew(Person, people),
        referrals: await insertNew(Referral, referrals),
        signpostings: await insertNew(Signposting, signpostings),
        // Social prescribing episodes (generate-episodes.ts), with their practice at the top level as the model keeps.
        episodes: await insertNew(
          Episode,
          (batch.episodes ?? []).map(({ id, ...rest }) => ({ _id: id, ...rest, practiceId: rest.person.practiceId })),
        ),
      }
    },

    /**
     * Active, approved services to refer to, at most `limit` (one pass with a small projection: the 100k directory
     * need not be read whole), leaving out the given organisations (the demo VCOs, whose staff would otherwise see
     * thousands of synthetic referrals in their inbox).
     */
    async services(options: {
      limit: number
      excludeOrganisationIds?: readonly string[]
    }): Promise<SyntheticService[]> {
      const exclude = new Set(options.excludeOrganisationIds ?? [])
      const names = new Map(
        (await Organization.find({}, { name: 1 }).lean()).map((o) => [String(o._id), String(o.name)] as const),
      )
      const out: SyntheticService[] = []
      const cursor = Service.find(
        { status: 'active', review_status: 'approved' },
        { name: 1, organization_id: 1, taxonomy_term_ids: 1, 'referral.accepts_referrals': 1, 'referral.capacity': 1 },
      )
        .sort({ _id: 1 })
        .lean()
        .cursor({ batchSize: 1000 })
      try {
        for await (const doc of cursor) {
          const organisationId = String(doc.organization_id)
          if (exclude.has(organisationId)) continue
          out.push({
            id: String(doc._id),
            name: String(doc.name),
            organisationId,
            organisationName: names.get(organisationId) ?? 'Unknown organisation',
            needs: (doc.taxonomy_term_ids ?? []).map(String),
            acceptsReferrals: Boolean(doc.referral?.accepts_referrals),
            capacity: doc.referral?.capacity,
          })
          if (out.length >= options.limit) break
        }
      } finally {
        await cursor.close().catch(() => undefined)
      }
      return out
    },
  }
}

export type SyntheticReferralRepository = ReturnType<typeof createSyntheticReferralRepository>
