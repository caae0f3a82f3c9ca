// Version claims: the one-winner step behind every change to a referral or a person record (see RecordClaim in
// models/referral.model.ts). The winner of `<kind>:<id>#<version>` may write that version; everyone else lost.
// A claim whose winner died before writing (older than STALE_CLAIM_MS while the record still has the old version)
// would block the record for ever, so the next claim key for that version (`…~1`, `…~2`) may then be taken, again by
// one winner only.
import type { Models } from './models'

export const STALE_CLAIM_MS = 30_000

export async function claimVersion(
  models: Pick<Models, 'RecordClaim'>,
  key: string,
  at: Date,
  stillAtVersion: () => Promise<boolean> = async () => false,
): Promise<boolean> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const id = attempt === 0 ? key : `${key}~${attempt}`
    try {
      await models.RecordClaim.create({ _id: id, at })
      return true
    } catch (error) {
      // A duplicate _id (FerretDB reports it as a generic error): someone else has this version…
      const existing = await models.RecordClaim.findById(id).lean()
      if (!existing) throw error
      // …unless they took it long ago and never wrote it.
      const stale = at.getTime() - new Date(existing.at).getTime() > STALE_CLAIM_MS
      if (!stale || !(await stillAtVersion())) return false
    }
  }
  return false
}

/** A short random pause before trying again after losing a claim. */
export function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random())
  return new Promise((resolve) => setTimeout(resolve, ms))
}
