// Data access for keeping listings true: change requests, version history (read by _id), public problem reports and
// freshness-link tokens. Writes to the listing itself go through the directory repository.
import type { Connection } from 'mongoose'
import type {
  ChangeRequestRecord,
  ChangeRequestStatus,
  FreshnessAnswer,
  ListingReportRecord,
  ListingTokenRecord,
  ListingTokenUse,
  ServiceVersionRecord,
} from '../listing-records'
import { claimOnce, insertOnce } from '../atomic'
import { createModels, type Models } from '../models'
import { recordOf, findRecord, insertRecord } from './records'
import { PUBLIC_STATUSES } from './directory.repository'
import { monthPagesFor } from './month-pages'

/** `freshness_due` values besides a month. */
export const FRESHNESS_ESCALATED = 'escalated'
export const FRESHNESS_NONE = 'none'
/** The months listed in `list_months` under this name are those some service is due in. */
const DUE_MONTHS = 'service_freshness'
const CANDIDATE_PROJECTION = {
  _id: 1,
  organization_id: 1,
  name: 1,
  email: 1,
  assured_date: 1,
  freshness: 1,
  review_status: 1,
  status: 1,
  freshness_pending: 1,
  freshness_write: 1,
} as const

function toCandidate(d: Record<string, unknown>): FreshnessCandidate {
  const f = (d.freshness as Partial<FreshnessCandidate['freshness']> | undefined) ?? {}
  return {
    id: String(d._id),
    organization_id: String(d.organization_id),
    name: String(d.name),
    email: (d.email as string | null | undefined) ?? null,
    public: d.review_status === 'approved' && (PUBLIC_STATUSES as readonly unknown[]).includes(d.status),
    write: d.freshness_pending ? ((d.freshness_write as string | null | undefined) ?? null) : null,
    assured_date: (d.assured_date as Date | null | undefined) ?? null,
    freshness: {
      review_interval_months: f.review_interval_months ?? null,
      reminders_sent: f.reminders_sent ?? 0,
      last_reminder_at: f.last_reminder_at ?? null,
      escalated_at: f.escalated_at ?? null,
    },
  }
}

/** What the freshness job needs of a listing. */
export interface FreshnessCandidate {
  id: string
  organization_id: string
  name: string
  email: string | null
  /** Approved and in a public status. */
  public: boolean
  /** Which write of the service this was read after (null: none since the job last worked it out). */
  write: string | null
  assured_date: Date | null
  freshness: {
    review_interval_months: number | null
    reminders_sent: number
    last_reminder_at: Date | null
    escalated_at: Date | null
  }
}

export function createListingRepository(connection: Connection, models: Models = createModels(connection)) {
  const { ChangeRequest, ServiceVersion, ListingReport, ListingToken, ListingTokenUse, Service, RecordClaim } = models
  const months = monthPagesFor(connection, models)

  return {
    // Change requests

    async insertChangeRequest(record: ChangeRequestRecord): Promise<void> {
      await insertRecord(ChangeRequest, record)
    },

    async getChangeRequest(id: string): Promise<ChangeRequestRecord | null> {
      return findRecord<ChangeRequestRecord>(ChangeRequest, id)
    },

    /**
     * Pending requests, oldest first: the curators' queue, selected by status (a set bounded by what curators keep up
     * with; the page shows it 25 at a time, every one reachable).
     */
    async listPendingChangeRequests(filter: { organizationId?: string } = {}): Promise<ChangeRequestRecord[]> {
      const query: Record<string, unknown> = { status: 'pending' }
      if (filter.organizationId) query.organization_id = filter.organizationId
      const docs = await ChangeRequest.find(query).sort({ submitted_at: 1 }).lean()
      return docs.map((d) => recordOf<ChangeRequestRecord>(d))
    },

    async listChangeRequestsForOrganization(organizationId: string, limit = 50): Promise<ChangeRequestRecord[]> {
      const docs = await ChangeRequest.find({ organization_id: organizationId })
        .sort({ submitted_at: -1 })
        .limit(limit)
        .lean()
      return docs.map((d) => recordOf<ChangeRequestRecord>(d))
    },

    /**
     * Claims the decision on a change request (approve, reject, or superseding it): the claim's id for the one caller
     * that may decide it, null for the others. A claim whose taker died with the request still pending is taken over
     * after STALE_CLAIM_MS.
     */
    async claimDecision(id: string, at: Date): Promise<string | null> {
      const stillPending = async () => (await ChangeRequest.findById(id, { status: 1 }).lean())?.status === 'pending'
      return claimOnce(RecordClaim, `change-request:${id}#decided`, at, stillPending)
    },

    /** Gives a decision claim back when nothing was decided (the listing changed under the curator). */
    async releaseDecision(claim: string): Promise<void> {
      await RecordClaim.deleteOne({ _id: claim })
    },

    /** Records a decision on a pending request, after its claimDecision won. */
    async decideChangeRequest(
      id: string,
      decision: {
        status: ChangeRequestStatus
        decided_by: ChangeRequestRecord['decided_by']
        decided_at: Date
        reason: string | null
      },
    ): Promise<void> {
      await ChangeRequest.updateOne({ _id: id }, { $set: decision })
    },

    // Version history: `<service>:<version>` ids, so history is parallel _id lookups.

    /** Inserts a version; false when that version number already exists (someone else saved it first). */
    async insertVersion(record: ServiceVersionRecord): Promise<boolean> {
      const { id, ...rest } = record
      return insertOnce(ServiceVersion, { _id: id, ...rest })
    },

    async getVersion(serviceId: string, version: number): Promise<ServiceVersionRecord | null> {
      return findRecord<ServiceVersionRecord>(ServiceVersion, `${serviceId}:${version}`)
    },

    /** The newest `limit` versions up to `latest`, newest first. */
    async listVersions(serviceId: string, latest: number, limit = 30): Promise<ServiceVersionRecord[]> {
      const numbers = Array.from({ length: Math.min(latest, limit) }, (_, i) => latest - i).filter((n) => n >= 1)
      const docs = await Promise.all(numbers.map((n) => ServiceVersion.findById(`${serviceId}:${n}`).lean()))
      return docs.filter((d) => d !== null).map((d) => recordOf<ServiceVersionRecord>(d))
    },

    // Problems reported by the public

    async insertReport(record: ListingReportRecord): Promise<void> {
      await insertRecord(ListingReport, record)
    },

    async getReport(id: string): Promise<ListingReportRecord | null> {
      return findRecord<ListingReportRecord>(ListingReport, id)
    },

    async listOpenReports(filter: { organizationId?: string } = {}): Promise<ListingReportRecord[]> {
      const query: Record<string, unknown> = { status: 'open' }
      if (filter.organizationId) query.organization_id = filter.organizationId
      const docs = await ListingReport.find(query).sort({ at: 1 }).lean()
      return docs.map((d) => recordOf<ListingReportRecord>(d))
    },

    async resolveReport(id: string, by: ListingReportRecord['resolved_by'], at: Date): Promise<void> {
      await ListingReport.updateOne({ _id: id }, { $set: { status: 'resolved', resolved_by: by, resolved_at: at } })
    },

    // Freshness-link tokens

    async insertToken(record: ListingTokenRecord): Promise<void> {
      await insertRecord(ListingToken, record)
    },

    async getToken(id: string): Promise<ListingTokenRecord | null> {
      return findRecord<ListingTokenRecord>(ListingToken, id)
    },

    async getTokenUse(id: string): Promise<ListingTokenUse | null> {
      return findRecord<ListingTokenUse>(ListingTokenUse, id)
    },

    /** Uses a token: true for exactly one caller, however many click at once (an insert of its _id). */
    async useToken(id: string, answer: FreshnessAnswer, at: Date): Promise<boolean> {
      return insertOnce(ListingTokenUse, { _id: id, answer, at })
    },

    /** Services written since the freshness job last worked out when they are due (equality on a flag). */
    async listFreshnessPending(): Promise<FreshnessCandidate[]> {
      const docs = await Service.find({ freshness_pending: true }, CANDIDATE_PROJECTION).lean()
      return docs.map((d) => toCandidate(d as unknown as Record<string, unknown>))
    },

    /**
     * What the job must look at on `day` ("2026-12-07"): services due in a listed month before this one, and in this
     * month those due on a day up to this one (not the rest of the month).
     */
    async listFreshnessDue(day: string): Promise<FreshnessCandidate[]> {
      const month = day.slice(0, 7)
      const past = (await months.monthsOf(DUE_MONTHS)).filter((m) => m < month)
      const days = Array.from(
        { length: Number(day.slice(8, 10)) },
        (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`,
      )
      const docs = (
        await Promise.all([
          ...past.map((m) => Service.find({ freshness_due: m }, CANDIDATE_PROJECTION).lean()),
          ...days.map((d) => Service.find({ freshness_due_day: d }, CANDIDATE_PROJECTION).lean()),
        ])
      ).flat()
      return docs.map((d) => toCandidate(d as unknown as Record<string, unknown>))
    },

    /**
     * Records when a written service is next due (a month, FRESHNESS_ESCALATED or FRESHNESS_NONE), unless it was
     * written again since it was read (its next run works it out again).
     */
    async setFreshnessDue(id: string, due: string, write: string | null): Promise<void> {
      const day = /^\d{4}-\d{2}-\d{2}$/.test(due) ? due : null
      if (day) await months.register(DUE_MONTHS, day.slice(0, 7))
      const guard = write === null ? { _id: id } : { _id: id, freshness_write: write }
      const set = { freshness_due: day ? day.slice(0, 7) : due, freshness_due_day: day, freshness_pending: false }
      await Service.updateOne(guard, { $set: set })
    },

    /** Lists `month` as one some service is due in (the job's own writes set `freshness_due` with their patch). */
    async listDueMonth(month: string): Promise<void> {
      await months.register(DUE_MONTHS, month)
    },

    /**
     * Public listings flagged as not recently checked. Only the job escalates, setting `freshness_due` with the flag
     * in one write; a later write leaves `freshness_due` until the job works it out again, and a check clears the flag.
     */
    async listEscalated(): Promise<FreshnessCandidate[]> {
      const docs = await Service.find({ freshness_due: FRESHNESS_ESCALATED }, CANDIDATE_PROJECTION).lean()
      return docs
        .map((d) => toCandidate(d as unknown as Record<string, unknown>))
        .filter((c) => c.public && c.freshness.escalated_at)
    },

    /** Services of one organisation, for its members' list (a scan filtered by organisation, names only). */
    async listServicesOfOrganization(organizationId: string) {
      const docs = await Service.find(
        { organization_id: organizationId },
        {
          _id: 1,
          name: 1,
          status: 1,
          review_status: 1,
          'referral.capacity': 1,
          assured_date: 1,
          freshness: 1,
          version: 1,
        },
      )
        .sort({ name: 1 })
        .lean()
      return docs.map((d) => ({
        id: String(d._id),
        name: d.name,
        status: d.status,
        review_status: d.review_status,
        capacity: d.referral?.capacity ?? 'open',
        assured_date: d.assured_date ?? null,
        escalated: Boolean((d as { freshness?: { escalated_at?: Date | null } }).freshness?.escalated_at),
      }))
    },
  }
}

export type ListingRepository = ReturnType<typeof createListingRepository>
