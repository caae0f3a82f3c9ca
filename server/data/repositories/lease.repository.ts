// Leases: "exactly one instance does this now". A lease is one document per name (_id lookups only).
//
// A conditional updateOne alone could let two instances both "match" an expired lease (see atomic.ts), so taking a
// lease is: read the lease (generation g, expired, due) → insert the claim `<name>#<g+1>` → the winner writes
// generation g+1 with itself as holder. A missing lease is created by an insert of the lease itself (same guarantee).
// A claim whose taker died before writing the lease would stop the job for ever, so once it is STALE_CLAIM_MS old
// (by the clocks the callers pass) and the lease is still at generation g, one caller may take it over (claimOnce).
// Old claims are removed by _id, keeping the last CLAIMS_KEPT. Losing a race is false; a database error is thrown.
import type { Connection } from 'mongoose'
import { claimOnce, insertOnce } from '../atomic'
import { createModels, type Models } from '../models'

export interface LeaseRecord {
  name: string
  holder: string | null
  until: Date
  lastRunAt: Date | null
  generation: number
}

export interface AcquireOptions {
  /** Only acquire when the job has not finished a run after this time (never run counts as due). */
  notRunSince?: Date
}

const CLAIMS_KEPT = 20

export function createLeaseRepository(connection: Connection, models: Models = createModels(connection)) {
  const { Lease, LeaseClaim } = models

  async function get(name: string): Promise<LeaseRecord | null> {
    const doc = await Lease.findById(name).lean()
    if (!doc) return null
    return {
      name: String(doc._id),
      holder: doc.holder ?? null,
      until: doc.until,
      lastRunAt: doc.last_run_at ?? null,
      generation: doc.generation ?? 1,
    }
  }

  return {
    get,

    /**
     * Takes the lease `name` for `holder` until now + ttlMs when it is free (expired) and, with notRunSince, due.
     * Among instances racing for the same lease, at most one gets true.
     */
    async acquire(name: string, holder: string, now: Date, ttlMs: number, options: AcquireOptions = {}) {
      const until = new Date(now.getTime() + ttlMs)
      const lease = await get(name)
      if (!lease) {
        return insertOnce(Lease, { _id: name, holder, until, last_run_at: null, generation: 1 })
      }
      if (lease.until.getTime() > now.getTime()) return false
      if (options.notRunSince && lease.lastRunAt && lease.lastRunAt.getTime() > options.notRunSince.getTime()) {
        return false
      }
      const next = lease.generation + 1
      const stillAtGeneration = async () => (await get(name))?.generation === lease.generation
      const won = await claimOnce(LeaseClaim, `${name}#${next}`, now, stillAtGeneration, { holder })
      if (!won) return false
      // Not matched: this caller's claim went stale before it wrote, and another took the lease over.
      const taken = await Lease.updateOne(
        { _id: name, generation: lease.generation },
        { $set: { holder, until, generation: next } },
      )
      if (taken.matchedCount !== 1) return false
      if (next > CLAIMS_KEPT)
        await LeaseClaim.deleteOne({ _id: `${name}#${next - CLAIMS_KEPT}` }).catch(() => undefined)
      return true
    },

    /** Extends a lease this holder still holds; false when it has expired or another instance took it. */
    async renew(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
      const lease = await get(name)
      if (!lease || lease.holder !== holder || lease.until.getTime() <= now.getTime()) return false
      const result = await Lease.updateOne(
        { _id: name, holder, generation: lease.generation },
        { $set: { until: new Date(now.getTime() + ttlMs) } },
      )
      return result.modifiedCount === 1
    },

    /** Gives the lease up; with ranAt, records that the job finished a run (for catch-up after downtime). */
    async release(name: string, holder: string, options: { ranAt?: Date } = {}): Promise<void> {
      const set: Record<string, unknown> = { holder: null, until: new Date(0) }
      if (options.ranAt) set.last_run_at = options.ranAt
      await Lease.updateOne({ _id: name, holder }, { $set: set })
    },
  }
}

export type LeaseRepository = ReturnType<typeof createLeaseRepository>
