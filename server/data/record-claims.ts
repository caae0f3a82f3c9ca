// Version claims: the one-winner step behind every change to a referral or a person record (see RecordClaim in
// models/referral.model.ts). The winner of `<kind>:<id>#<version>` may write that version; everyone else lost.
import type { Models } from './models'

export async function claimVersion(models: Pick<Models, 'RecordClaim'>, key: string, at: Date): Promise<boolean> {
  try {
    await models.RecordClaim.create({ _id: key, at })
    return true
  } catch (error) {
    // A duplicate _id (FerretDB reports it as a generic error): someone else has this version.
    if (await models.RecordClaim.exists({ _id: key })) return false
    throw error
  }
}

/** A short random pause before trying again after losing a claim. */
export function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random())
  return new Promise((resolve) => setTimeout(resolve, ms))
}
