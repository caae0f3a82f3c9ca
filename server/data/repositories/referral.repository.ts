// Referrals and signpostings. A referral's _id is derived from its idempotency key, so a retried submission finds
// (or collides with) the first one by _id: the one fast lookup on FerretDB SQLite. Every change is a single updateOne
// guarded by {_id, status, version}; matchedCount 0 means someone else changed it first.
import type { Connection } from 'mongoose'
import type {
  AttentionItem,
  ReferralMessage,
  ReferralRecord,
  ReferralSummary,
  SignpostingRecord,
} from '../../domain/referral-records'
import { createModels, type Models } from '../models'
import { insertOnce, LOST, retryLostRaces, versionedUpdate } from '../atomic'
import type { ReferralStatus } from '../../domain/referral-status'

type Doc = { _id: unknown } & Record<string, unknown>
function fromDoc<T>(doc: unknown): T {
  const { _id, ...rest } = doc as Doc
  return { id: String(_id), ...rest } as unknown as T
}

/** The history and the person's words stay out of lists: an inbox needs status, clocks and flags only. */
const SUMMARY_PROJECTION = { events: 0, messages: 0, contactAttempts: 0, sessions: 0 } as const

/** Fields to set and items to append (a ReferralChange from the state machine, or a flag update). */
export interface ReferralUpdate {
  set?: object
  push?: object
}

/** A referral or signposting written (created or changed); report facts are kept in step from it. */
export type RecordWritten = { kind: 'referral'; id: string } | { kind: 'signposting'; id: string; teamId: string }
export type WriteHook = (written: RecordWritten) => void

export function createReferralRepository(
  connection: Connection,
  models: Models = createModels(connection),
  /** Told after every successful write; it must not throw (it runs after the write has happened). */
  onWrite: WriteHook = () => undefined,
) {
  const { Referral, Signposting, Service } = models
  /**
   * One single-document update, applied only by the one caller that claims the next version (atomic.ts) and only if
   * the referral is still in `status` at `version`. False: someone else changed it first.
   */
  async function transition(id: string, expected: { status: ReferralStatus; version: number }, update: ReferralUpdate) {
    const change: Record<string, unknown> = { $set: { ...update.set, version: expected.version + 1 } }
    if (update.push && Object.keys(update.push).length) change.$push = update.push
    const applied = await versionedUpdate(models, Referral, {
      id,
      claimKey: `referral:${id}`,
      version: expected.version,
      guard: { status: expected.status, version: expected.version },
      update: change,
    })
    if (applied) onWrite({ kind: 'referral', id })
    return applied
  }

  return {
    async get(id: string): Promise<ReferralRecord | null> {
      const doc = await Referral.findById(id).lean()
      return doc ? fromDoc<ReferralRecord>(doc) : null
    },

    /**
     * Inserts a new referral. Returns false when a referral with this _id exists already (a retry of the same
     * submission), whether we saw it before inserting or collided with it while inserting.
     */
    async insertOnce(record: ReferralRecord): Promise<boolean> {
      if (await Referral.exists({ _id: record.id })) return false
      const { id, ...rest } = record
      const created = await insertOnce(Referral, { _id: id, ...rest })
      if (created) onWrite({ kind: 'referral', id })
      return created
    },

    transition,

    /**
     * Messages are appended whatever the status: a lost claim is retried on the latest version, never dropped. A
     * message whose id is there already (a retried post) is not added again; true when it is there.
     */
    async addMessage(id: string, message: ReferralMessage, attention?: AttentionItem): Promise<boolean> {
      return retryLostRaces('add the message', async () => {
        const doc = await Referral.findById(id, { status: 1, version: 1, messages: 1 }).lean()
        if (!doc) return false
        if ((doc.messages ?? []).some((m: { id?: string }) => m.id === message.id)) return true
        const expected = { status: doc.status as ReferralStatus, version: doc.version }
        const update = attention
          ? { set: { referrerAttention: true }, push: { messages: message, attention } }
          : { push: { messages: message } }
        return (await transition(id, expected, update)) || LOST
      })
    },

    async listByOrganisation(organisationId: string): Promise<ReferralSummary[]> {
      const docs = await Referral.find({ organisationId }, SUMMARY_PROJECTION).sort({ submittedAt: -1 }).lean()
      return docs.map((d) => fromDoc<ReferralSummary>(d))
    },

    async listByTeam(teamId: string): Promise<ReferralSummary[]> {
      const docs = await Referral.find({ teamId }, SUMMARY_PROJECTION).sort({ submittedAt: -1 }).lean()
      return docs.map((d) => fromDoc<ReferralSummary>(d))
    },

    async listByPerson(personId: string): Promise<ReferralSummary[]> {
      const docs = await Referral.find({ personId }, SUMMARY_PROJECTION).sort({ submittedAt: -1 }).lean()
      return docs.map((d) => fromDoc<ReferralSummary>(d))
    },

    /**
     * The referring team's worklist: its open referrals (for overdue steps) and those flagged for its attention.
     * Each query selects by equality on indexed fields; the two sets are merged and sorted here.
     */
    async listWorklist(teamId: string): Promise<ReferralSummary[]> {
      const [open, flagged] = await Promise.all([
        Referral.find({ teamId, open: true }, SUMMARY_PROJECTION).lean(),
        Referral.find({ teamId, referrerAttention: true }, SUMMARY_PROJECTION).lean(),
      ])
      const byId = new Map<string, ReferralSummary>()
      for (const d of [...open, ...flagged]) byId.set(String(d._id), fromDoc<ReferralSummary>(d))
      return [...byId.values()].sort((a, b) => new Date(b.submittedAt).getTime() - new Date(a.submittedAt).getTime())
    },

    /**
     * Removes the attention items shown by `now` (a follow-up not yet due stays), on the latest version. False: the
     * referral does not exist.
     */
    async clearAttention(id: string, now: Date): Promise<boolean> {
      return retryLostRaces('clear the worklist item', async () => {
        const doc = await Referral.findById(id, { status: 1, version: 1, attention: 1 }).lean()
        if (!doc) return false
        const kept = ((doc.attention ?? []) as { dueAt: Date | null }[]).filter((a) => a.dueAt && a.dueAt > now)
        const expected = { status: doc.status as ReferralStatus, version: doc.version }
        const update = { set: { attention: kept, referrerAttention: kept.length > 0 } }
        return (await transition(id, expected, update)) || LOST
      })
    },

    /** Closed referrals whose GP note waits for the reopen window, for the clock job. */
    async listGpNotePending(): Promise<ReferralSummary[]> {
      const docs = await Referral.find({ gpNotePending: true }, SUMMARY_PROJECTION).lean()
      return docs.map((d) => fromDoc<ReferralSummary>(d))
    },

    /** Open referrals, for the clock job. */
    async listOpen(): Promise<ReferralSummary[]> {
      const docs = await Referral.find({ open: true }, SUMMARY_PROJECTION).lean()
      return docs.map((d) => fromDoc<ReferralSummary>(d))
    },

    async count(filter: { organisationId?: string } = {}): Promise<number> {
      return Referral.countDocuments(filter)
    },

    async insertSignpostingOnce(record: SignpostingRecord): Promise<boolean> {
      if (await Signposting.exists({ _id: record.id })) return false
      const { id, ...rest } = record
      const created = await insertOnce(Signposting, { _id: id, ...rest })
      if (created) onWrite({ kind: 'signposting', id, teamId: record.teamId })
      return created
    },

    async listSignpostingsByTeam(teamId: string): Promise<SignpostingRecord[]> {
      const docs = await Signposting.find({ teamId }).sort({ at: -1 }).lean()
      return docs.map((d) => fromDoc<SignpostingRecord>(d))
    },

    /** Services of one organisation that take referrals (demo seeding only: a full scan). */
    async referrableServiceIds(organisationId: string): Promise<string[]> {
      const docs = await Service.find(
        { organization_id: organisationId, 'referral.accepts_referrals': true, status: 'active' },
        { _id: 1, 'referral.capacity': 1 },
      )
        .sort({ _id: 1 })
        .lean()
      return docs.map((d) => String(d._id))
    },
  }
}

export type ReferralRepository = ReturnType<typeof createReferralRepository>
