// Referrals and signpostings. A referral's _id is derived from its idempotency key, so a retried submission finds
// (or collides with) the first one by _id. Every change is a single updateOne guarded by {_id, status, version};
// matchedCount 0 means someone else changed it first. Lists select by equality on indexed fields (the engine hands
// PostgreSQL nothing else) to a bounded set: a person's referrals, an organisation's open referrals, the open
// referrals for the clock job, or one or two months of a team's or organisation's (month-pages.ts).
import type { Connection } from 'mongoose'
import { createLogger } from '../../logger'
import type {
  AttentionItem,
  ReferralMessage,
  ReferralRecord,
  ReferralSummary,
  SignpostingRecord,
} from '../../domain/referral-records'
import { createModels, type Models } from '../models'
import { recordOf, findRecord, findRecords } from './records'
import { insertOnce, LOST, retryLostRaces, versionedUpdate } from '../atomic'
import { gpFilterFlags } from '../../domain/gp-filters'
import { DEFAULT_CLOCK_TARGETS, nextClockCheck } from '../../domain/referral-clocks'
import { hourOf, readHours } from '../hour-buckets'
import {
  dayOf,
  engineOf,
  listBuckets,
  monthOf,
  monthPagesFor,
  monthsBetween,
  pageAcross,
  pageEach,
  PER_PAGE,
  type MonthPages,
  type Page,
} from './month-pages'
import type { ReferralStatus } from '../../domain/referral-status'
import { pageOf } from '../../domain/paging'

const log = createLogger('referrals-data')

type Doc = { _id: unknown } & Record<string, unknown>

/** The history and the person's words stay out of lists: an inbox needs status, clocks and flags only. */
const SUMMARY_PROJECTION = { events: 0, messages: 0, contactAttempts: 0, sessions: 0 } as const

const newestFirst = (r: { submittedAt: Date }) => new Date(r.submittedAt).getTime()

/**
 * The hour the clock job next looks at a referral (`clockHour`): the hour of its next clock check
 * (referral-clocks.ts), or of `writtenAt` when that check is already due; null when the job has nothing left to do.
 */
export function clockHourOf(
  record: Parameters<typeof nextClockCheck>[0],
  escalateHours: number,
  writtenAt: Date,
): string | null {
  const next = nextClockCheck(record, escalateHours)
  return next ? hourOf(next > writtenAt ? next : writtenAt) : null
}

/**
 * Brings the fields a referral is selected by but that follow from the rest of it up to date after a write: its GP
 * filter flags (domain/gp-filters.ts) and, after a change to its status or clocks (`clocks`), its clock hour. Guarded
 * by the version it read: if another write came first, that write's own refresh sets them. A change of a GP flag
 * forgets the counts cached for its month.
 */
export async function refreshDerived(
  connection: Connection,
  months: MonthPages,
  id: string,
  clocks?: { escalateHours: number; now: Date },
): Promise<void> {
  const referrals = connection.collection<Doc>('referrals')
  const doc = await referrals.findOne({ _id: id } as never, {
    projection: {
      status: 1,
      version: 1,
      sessions: 1,
      outcome: 1,
      submittedAt: 1,
      gpDidNotEngage: 1,
      gpNoBenefit: 1,
      clocks: 1,
      acknowledgedAt: 1,
      firstContactAt: 1,
      overdue: 1,
      clockHour: 1,
    },
  })
  if (!doc) return
  const flags = gpFilterFlags(doc as never)
  const clockHour = clocks ? clockHourOf(doc as never, clocks.escalateHours, clocks.now) : doc.clockHour
  const flagsChanged = doc.gpDidNotEngage !== flags.gpDidNotEngage || doc.gpNoBenefit !== flags.gpNoBenefit
  if (!flagsChanged && doc.clockHour === clockHour) return
  await referrals.updateOne({ _id: id, version: doc.version } as never, {
    $set: clocks ? { ...flags, clockHour } : { ...flags },
  })
  if (flagsChanged && doc.submittedAt) months.changed('referrals', doc.submittedAt as Date)
}

/** Fields to set and items to append (a ReferralChange from the state machine, or a flag update). */
export interface ReferralUpdate {
  set?: object
  push?: object
}

/** A referral, signposting or episode written (created or changed); report facts are kept in step from it. */
export type RecordWritten =
  | { kind: 'referral'; id: string }
  | { kind: 'signposting'; id: string; teamId: string }
  | { kind: 'episode'; id: string }
export type WriteHook = (written: RecordWritten) => void

export function createReferralRepository(
  connection: Connection,
  models: Models = createModels(connection),
  /** Told after every successful write; it must not throw (it runs after the write has happened). */
  onWrite: WriteHook = () => undefined,
  options: {
    /** The deployment's escalation time (ClockTargets), which decides when the clock job next looks at a referral. */
    escalateHours?: number
    clock?: () => Date
  } = {},
) {
  const { Referral, Signposting, Service } = models
  const escalateHours = options.escalateHours ?? DEFAULT_CLOCK_TARGETS.escalateHours
  const clock = options.clock ?? (() => new Date())
  const months = monthPagesFor(connection, models)
  /** Summaries matching `match`, read past FerretDB in the embedded engine (month-pages.ts engineOf). */
  async function summaries(match: Record<string, string | boolean>): Promise<ReferralSummary[]> {
    const engine = engineOf(connection)
    const docs = engine
      ? await engine.list({ model: Referral, match, order: 'submittedAt', exclude: Object.keys(SUMMARY_PROJECTION) })
      : await Referral.find(match, SUMMARY_PROJECTION).lean()
    return docs.map((d) => recordOf<ReferralSummary>(d)).sort((a, b) => newestFirst(b) - newestFirst(a))
  }
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
    if (applied) {
      await refreshDerived(connection, months, id, { escalateHours, now: clock() }).catch((error: unknown) =>
        log.warn(
          { err: error instanceof Error ? error.name : 'error', referralId: id },
          'derived fields not refreshed',
        ),
      )
      onWrite({ kind: 'referral', id })
    }
    return applied
  }

  return {
    async get(id: string): Promise<ReferralRecord | null> {
      return findRecord<ReferralRecord>(Referral, id)
    },

    /**
     * Inserts a new referral. Returns false when a referral with this _id exists already (a retry of the same
     * submission), whether we saw it before inserting or collided with it while inserting.
     */
    async insertOnce(record: ReferralRecord): Promise<boolean> {
      if (await Referral.exists({ _id: record.id })) return false
      const { id, ...rest } = record
      await months.register('referrals', record.submittedAt)
      const created = await insertOnce(Referral, {
        _id: id,
        ...rest,
        ...listBuckets(record.submittedAt),
        ...gpFilterFlags(record),
        clockHour: clockHourOf(record, escalateHours, clock()),
      })
      months.wrote('referrals')
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

    /** An organisation's open referrals (new, awaiting contact, active): bounded by what it can take on. */
    async listOpenByOrganisation(organisationId: string): Promise<ReferralSummary[]> {
      return summaries({ organisationId, open: true })
    },

    /**
     * The inbox's counts for organisations: their open referrals by status and their closed ones, counted in the
     * embedded engine's PostgreSQL; null on another server (the inbox then reads the open referrals whole).
     */
    async inboxCounts(
      organisationIds: readonly string[],
    ): Promise<{ open: Map<string, number>; closed: number } | null> {
      const engine = engineOf(connection)
      if (!engine) return null
      const open = new Map<string, number>()
      let closed = 0
      for (const organisationId of organisationIds) {
        const [byStatus, shut] = await Promise.all([
          engine.countBy({ collection: 'referrals', match: { organisationId, open: true } }, 'status'),
          engine.count({ collection: 'referrals', match: { organisationId, open: false } }),
        ])
        for (const [status, n] of byStatus) open.set(status, (open.get(status) ?? 0) + n)
        closed += shut
      }
      return { open, closed }
    },

    /** One page of the organisations' open referrals in these statuses, newest first. */
    async pageOpenByOrganisation(
      organisationIds: readonly string[],
      statuses: readonly string[],
      page: number,
      perPage = PER_PAGE,
    ): Promise<Page<ReferralSummary>> {
      const engine = engineOf(connection)
      return pageAcross<ReferralSummary>(
        organisationIds,
        page,
        perPage,
        async (organisationId, p, n) => {
          if (!engine) {
            const open = await summaries({ organisationId, open: true })
            return pageOf(
              open.filter((r) => statuses.includes(r.status)),
              p,
              n,
            )
          }
          const found = await engine.page({
            model: Referral,
            match: { organisationId, open: true, status: statuses },
            order: 'submittedAt',
            exclude: Object.keys(SUMMARY_PROJECTION),
            page: p,
            perPage: n,
          })
          return {
            items: found.docs.map((d) => recordOf<ReferralSummary>(d)),
            total: found.total,
            page: found.page,
            perPage: n,
          }
        },
        newestFirst,
      )
    },

    /**
     * One page of the organisations' closed referrals, newest first. `open` are their open referrals (the caller has
     * them already): a month's closed referrals are its referrals less its open ones, so months are counted once.
     */
    async pageClosedByOrganisation(
      organisationIds: readonly string[],
      open: readonly ReferralSummary[],
      page: number,
      perPage = PER_PAGE,
    ): Promise<Page<ReferralSummary>> {
      return pageEach(
        months,
        { field: 'organisationId', values: organisationIds, page, perPage },
        (organisationId) => {
          const minus = new Map<string, number>()
          for (const r of open)
            if (r.organisationId === organisationId) {
              for (const bucket of [monthOf(r.submittedAt), dayOf(r.submittedAt)])
                minus.set(bucket, (minus.get(bucket) ?? 0) + 1)
            }
          return {
            model: Referral,
            where: { open: false },
            minus,
            projection: SUMMARY_PROJECTION,
            order: 'submittedAt',
          }
        },
        (d: Doc) => recordOf<ReferralSummary>(d),
      )
    },

    /** One page of the teams' referrals, newest first. */
    async pageByTeam(teamIds: readonly string[], page: number, perPage = PER_PAGE): Promise<Page<ReferralSummary>> {
      return pageEach(
        months,
        { field: 'teamId', values: teamIds, page, perPage },
        { model: Referral, projection: SUMMARY_PROJECTION, order: 'submittedAt' },
        (d: Doc) => recordOf<ReferralSummary>(d),
      )
    },

    /** A person's referrals, newest first (a handful). */
    async listByPerson(personId: string): Promise<ReferralSummary[]> {
      const docs = await Referral.find({ personId }, SUMMARY_PROJECTION).lean()
      return docs.map((d) => recordOf<ReferralSummary>(d)).sort((a, b) => newestFirst(b) - newestFirst(a))
    },

    /** The referring team's referrals flagged for its attention (its worklist's declines, messages…), newest first. */
    async listFlagged(teamId: string): Promise<ReferralSummary[]> {
      return summaries({ teamId, referrerAttention: true })
    },

    /** These referrals' summaries (a page's), in the order given; missing ones left out. */
    async summariesByIds(ids: readonly string[]): Promise<ReferralSummary[]> {
      return findRecords<ReferralSummary>(connection, Referral, ids, { exclude: Object.keys(SUMMARY_PROJECTION) })
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
      return docs.map((d) => recordOf<ReferralSummary>(d))
    },

    /** A service's referrals submitted since `since` (the months from then to now), newest first. */
    async listByServiceSince(serviceId: string, since: Date, now: Date = new Date()): Promise<ReferralSummary[]> {
      const wanted = monthsBetween(monthOf(now), monthOf(since))
      const docs = (
        await Promise.all(wanted.map((month) => Referral.find({ serviceId, month }, SUMMARY_PROJECTION).lean()))
      ).flat()
      return docs
        .map((d) => recordOf<ReferralSummary>(d))
        .filter((r) => new Date(r.submittedAt).getTime() >= since.getTime())
        .sort((a, b) => newestFirst(b) - newestFirst(a))
    },

    /**
     * Open referrals, for the clock job's first run (and after a long stop): the ones with clocks still running,
     * never the closed years behind them. Later runs read only the hours since (`listClockDue`).
     */
    async listOpen(): Promise<ReferralSummary[]> {
      const docs = await Referral.find({ open: true }, SUMMARY_PROJECTION).lean()
      return docs.map((d) => recordOf<ReferralSummary>(d))
    },

    /** The referrals whose clock hour is one of `hours` (the clock job's hours since its last run). */
    async listClockDue(hours: readonly string[]): Promise<ReferralSummary[]> {
      const docs = await readHours(hours, (clockHour) => Referral.find({ clockHour }, SUMMARY_PROJECTION).lean())
      return docs.map((d) => recordOf<ReferralSummary>(d))
    },

    /** When the clock job last finished a run (it then reads only the hours since); null before its first. */
    async clockSweptAt(): Promise<Date | null> {
      const mark = await connection
        .collection<{ _id: string; at: Date }>('job_marks')
        .findOne({ _id: 'referral-clocks' })
      return mark?.at ?? null
    },

    async setClockSweptAt(at: Date): Promise<void> {
      await connection
        .collection<{ _id: string; at: Date }>('job_marks')
        .updateOne({ _id: 'referral-clocks' }, { $set: { at } }, { upsert: true })
    },

    /**
     * Sets a referral's clock hour when the clock job finds it stale (written before the field existed, or by a bulk
     * writer), guarded by its version: a write that came first set its own.
     */
    async setClockHour(id: string, version: number, clockHour: string | null): Promise<void> {
      await Referral.updateOne({ _id: id, version }, { $set: { clockHour } })
    },

    async count(filter: { organisationId?: string } = {}): Promise<number> {
      return Referral.countDocuments(filter)
    },

    async getSignposting(id: string): Promise<SignpostingRecord | null> {
      const doc = await Signposting.findById(id).lean()
      return doc ? recordOf<SignpostingRecord>(doc as Doc) : null
    },

    async insertSignpostingOnce(record: SignpostingRecord): Promise<boolean> {
      if (await Signposting.exists({ _id: record.id })) return false
      const { id, ...rest } = record
      await months.register('signpostings', record.at)
      const created = await insertOnce(Signposting, { _id: id, ...rest, ...listBuckets(record.at) })
      months.wrote('signpostings')
      if (created) onWrite({ kind: 'signposting', id, teamId: record.teamId })
      return created
    },

    /** One page of the teams' signpostings, newest first. */
    async pageSignpostingsByTeam(
      teamIds: readonly string[],
      page: number,
      perPage = PER_PAGE,
    ): Promise<Page<SignpostingRecord>> {
      return pageEach(
        months,
        { field: 'teamId', values: teamIds, page, perPage },
        { model: Signposting, order: 'at' },
        (d: Doc) => recordOf<SignpostingRecord>(d),
      )
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
