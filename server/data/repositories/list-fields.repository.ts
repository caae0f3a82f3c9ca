// The fields lists select by are derived from each document when it is written (a referral's `month`, a person's
// `nameKeys`…). Documents written before those fields existed get them here, once per collection: a start reads
// each such collection once, sets what is missing and lists its months, then records that it is done, so later
// starts read nothing. Bulk writers (the synthetic generator) set the fields themselves. A collection's marker names
// the generation of its fields (`day` came after `month`), so a new field is set once on older documents too.
import type { Connection } from 'mongoose'
import { createModels, type Models } from '../models'
import { gpFilterFlags } from '../../domain/gp-filters'
import { hourOf } from '../hour-buckets'
import { listBuckets, monthPagesFor } from './month-pages'
import { personKeys } from './person.repository'

type Derive = (doc: Record<string, unknown>) => Record<string, unknown> | null

const DONE = '_list_fields'
/** Raised when a derived field is added, so documents written before it get it once. */
const GENERATION = 2

export function createListFieldsRepository(connection: Connection, models: Models = createModels(connection)) {
  const months = monthPagesFor(connection, models)
  const { ListMonth } = models
  const derive: Record<
    string,
    { dateField: string; fields: (doc: Record<string, unknown>) => Record<string, unknown> }
  > = {
    referrals: {
      dateField: 'submittedAt',
      fields: (d) => ({ ...listBuckets(d.submittedAt as Date), ...gpFilterFlags(d as never) }),
    },
    signpostings: { dateField: 'at', fields: (d) => listBuckets(d.at as Date) },
    people: {
      dateField: 'created_at',
      fields: (d) =>
        personKeys({
          givenName: String(d.givenName ?? ''),
          familyName: String(d.familyName ?? ''),
          created_at: (d.created_at as Date | undefined) ?? new Date(0),
        }),
    },
    audit_events: { dateField: 'at', fields: (d) => listBuckets(d.at as Date) },
    // Sessions stored before cleanup selected them by their expiry's hour.
    sessions: {
      dateField: 'expires',
      fields: (d) => (d.expires instanceof Date ? { expiresHour: hourOf(d.expires) } : {}),
    },
    // Services stored before the freshness job selected by these wait for it to work out when they are due.
    services: {
      dateField: 'updated_at',
      fields: (d) =>
        d.freshness_pending === undefined && d.freshness_due === undefined
          ? { freshness_pending: true, freshness_write: null }
          : {},
    },
  }

  return {
    /** Sets the list fields on every document of these collections that lacks them; once. Returns how many. */
    async ensure(): Promise<number> {
      let updated = 0
      for (const [name, { fields }] of Object.entries(derive)) {
        const marker = `${DONE}:${name}:${GENERATION}`
        if (await ListMonth.exists({ _id: marker })) continue
        const collection = connection.collection<{ _id: string } & Record<string, unknown>>(name)
        const seen = new Set<string>()
        for await (const doc of collection.find({})) {
          const wanted = fields(doc)
          const missing: Derive = () => {
            const out: Record<string, unknown> = {}
            for (const [k, v] of Object.entries(wanted)) if (JSON.stringify(doc[k]) !== JSON.stringify(v)) out[k] = v
            return Object.keys(out).length ? out : null
          }
          const set = missing(doc)
          if (set) {
            await collection.updateOne({ _id: doc._id }, { $set: set })
            updated++
          }
          if (typeof wanted.day === 'string') seen.add(wanted.day)
        }
        for (const day of seen) await months.register(name, day)
        await ListMonth.create({ _id: marker, collectionName: DONE, month: 'done' }).catch(() => undefined)
      }
      return updated
    },
  }
}
