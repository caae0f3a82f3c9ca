// The engine's one-winner writes, in one place, so repositories read as plain data access.
//
// FerretDB v1 has no transactions, and does not make a conditional updateOne atomic: on its PostgreSQL backend, 20
// callers racing `{_id, version: 3}` → `{version: 4}` had more than one winner in 43 of 50 trials (SQLite likewise). Inserting a document with a given _id is the one write only
// one caller can win, so every one-winner step is built on it:
// - insertOnce: insert a document; false when its _id is there already.
// - claimVersion: the winner of `<kind>:<id>#<version>` may write that version of a record (record_claims);
//   claimOnce is the same over another claims collection (lease_claims). A stale claim is taken over.
// - versionedUpdate: claim the next version, then update only if the record is still at the version read.
// - retryLostRaces: run a read-then-versionedUpdate until it wins, with a short random pause between tries.
// A lost race is an answer (false); anything else the database says is an error and is thrown.
import type { Model } from 'mongoose'
import type { Models } from './models'

/** A claim older than this, for a version its winner never wrote, may be taken over. */
export const STALE_CLAIM_MS = 30_000
/** Claims older than this are spent (their version was written or abandoned long ago) and may be removed. */
export const CLAIMS_KEPT_MS = 24 * 3_600_000

const DUPLICATE_KEY = 11000

/** MongoDB's duplicate key error, alone or as every one of a bulk write's errors. */
export function isDuplicateKey(error: unknown): boolean {
  type WriteError = { code?: number; err?: { code?: number } }
  const e = error as { code?: number; writeErrors?: WriteError[] | WriteError } | null
  if (!e) return false
  if (e.code === DUPLICATE_KEY) return true
  const errors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : []
  return errors.length > 0 && errors.every((w) => (w.code ?? w.err?.code) === DUPLICATE_KEY)
}

/** A mongoose model or a driver collection: versionedUpdate only finds and updates one document. */
interface Updatable {
  findOne(filter: never, projection: never): PromiseLike<unknown>
  updateOne(filter: never, update: never): PromiseLike<{ matchedCount: number }>
}

/** Any mongoose model, for helpers that use only what every model has (create, find, count, update). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any>

/**
 * Inserts `doc`. False when a document with its _id already exists (another caller won); any other failure is
 * thrown. Some engines report a duplicate _id as a generic error, so a failure with no duplicate key code is decided by
 * looking for the document.
 */
export async function insertOnce(model: AnyModel, doc: { _id: string } & Record<string, unknown>): Promise<boolean> {
  try {
    await model.create(doc)
    return true
  } catch (error) {
    if (isDuplicateKey(error)) return false
    if (await model.exists({ _id: doc._id })) return false
    throw error
  }
}

/**
 * Claims `key` (`<kind>:<id>#<version>`) at `at`: true for the one caller that may write that version. A claim whose
 * winner died before writing (older than STALE_CLAIM_MS while the record is still at the old version) would block the
 * record for ever, so the next key for that version (`…~1`, `…~2`) may then be taken, again by one winner only.
 */
export async function claimVersion(
  models: Pick<Models, 'RecordClaim'>,
  key: string,
  at: Date,
  stillAtVersion: () => Promise<boolean> = async () => false,
): Promise<boolean> {
  return (await claimOnce(models.RecordClaim, key, at, stillAtVersion)) !== null
}

/**
 * claimVersion over any claims collection (`{_id, at}` documents, plus `extra` fields): the _id claimed, for the one
 * caller whose insert of `key` wins or who takes over a stale claim (older than STALE_CLAIM_MS while `stillOpen` says
 * its winner never wrote) by the next key `…~n`; null for everyone else.
 */
export async function claimOnce(
  model: AnyModel,
  key: string,
  at: Date,
  stillOpen: () => Promise<boolean> = async () => false,
  extra: Record<string, unknown> = {},
): Promise<string | null> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const id = attempt === 0 ? key : `${key}~${attempt}`
    if (await insertOnce(model, { ...extra, _id: id, at })) return id
    const existing = (await model.findById(id).lean()) as { at: Date } | null
    // Gone again (a spent claim cleaned up): the version moved on long ago, so this caller lost.
    if (!existing) return null
    const stale = at.getTime() - new Date(existing.at).getTime() > STALE_CLAIM_MS
    if (!stale || !(await stillOpen())) return null
  }
  return null
}

/**
 * One version-guarded update of the document `id` in `model`: claims `<claimKey>#<version + 1>`, then applies
 * `update` only if the document still matches `guard` (which must include the version read). False: someone else
 * changed it first.
 */
export async function versionedUpdate(
  models: Pick<Models, 'RecordClaim'>,
  model: Updatable,
  options: {
    id: string
    claimKey: string
    version: number
    guard: Record<string, unknown>
    update: Record<string, unknown>
    at?: Date
  },
): Promise<boolean> {
  const guard = { ...options.guard, _id: options.id }
  const stillAtVersion = async () => Boolean(await model.findOne(guard as never, { _id: 1 } as never))
  const key = `${options.claimKey}#${options.version + 1}`
  if (!(await claimVersion(models, key, options.at ?? new Date(), stillAtVersion))) return false
  const result = await model.updateOne(guard as never, options.update as never)
  return result.matchedCount === 1
}

export const LOST = Symbol('lost race')

/**
 * Runs `attempt` until it returns something other than LOST (a lost race: the record changed under it), pausing a
 * short random while between tries. After `tries` lost races it throws, naming `what` could not be done.
 */
export async function retryLostRaces<T>(what: string, attempt: () => Promise<T | typeof LOST>, tries = 30): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const result = await attempt()
    if (result !== LOST) return result
    await backoff(i)
  }
  throw new Error(`Could not ${what}: the record kept changing`)
}

/** A short random pause before trying again after losing a claim. */
export function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random())
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Removes spent version claims (older than CLAIMS_KEPT_MS); returns how many. */
export async function removeSpentClaims(models: Pick<Models, 'RecordClaim'>, now: Date): Promise<number> {
  const result = await models.RecordClaim.deleteMany({ at: { $lt: new Date(now.getTime() - CLAIMS_KEPT_MS) } })
  return result.deletedCount
}
