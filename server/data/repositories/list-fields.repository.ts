// The fields lists select by are derived from each document when it is written (a referral's `month`, a person's
// `nameKeys`…). Documents written before those fields existed get them here, once per collection: a start reads
// each such collection once, sets what is missing and lists its months, then records that it is done, so later
// starts read nothing. Bulk writers (the synthetic generator) set the fields themselves.
import type { Connection } from 'mongoose'
import { createModels, type Models } from '../models'
import { monthOf, monthPagesFor } from './month-pages'
import { personKeys } from './person.repository'

type Derive = (doc: Record<string, unknown>) => Record<string, unknown> | null

const DONE = '_list_fields'

export function createListFieldsRepository(connection: Connection, models: Models = createModels(connection)) {
  const months = monthPagesFor(connection, models)
  const { ListMonth } = models
  const derive: Record<
    string,
    { dateField: string; fields: (doc: Record<string, unknown>) => Record<string, unknown> }
  > = {
    referrals: { dateField: 'submittedAt', fields: (d) => ({ month: monthOf(d.submittedAt as Date) }) },
    signpostings: { dateField: 'at', fields: (d) => ({ month: monthOf(d.at as Date) }) },
    people: {
      dateField: 'created_at',
      fields: (d) =>
        personKeys({
          givenName: String(d.givenName ?? ''),
          familyName: String(d.familyName ?? ''),
          created_at: (d.created_at as Date | undefined) ?? new Date(0),
        }),
    },
    audit_events: { dateField: 'at', fields: (d) => ({ month: monthOf(d.at as Date) }) },
  }

  return {
    /** Sets the list fields on every document of these collections that lacks them; once. Returns how many. */
    async ensure(): Promise<number> {
      let updated = 0
      for (const [name, { fields }] of Object.entries(derive)) {
        const marker = `${DONE}:${name}`
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
          if (typeof wanted.month === 'string') seen.add(wanted.month)
        }
        for (const month of seen) await months.register(name, month)
        await ListMonth.create({ _id: marker, collectionName: DONE, month: 'done' }).catch(() => undefined)
      }
      return updated
    },
  }
}
