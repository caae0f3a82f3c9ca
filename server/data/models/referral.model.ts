// A referral: one document holding its status, version, clocks, contact attempts, sessions, tasks, messages,
// overdue flags and every transition, so a change is one atomic updateOne guarded by {status, version}.
// Closing the loop fills `outcome` and `measures` in the same document.
import { Schema, type Connection } from 'mongoose'
import { REFERRAL_STATUSES } from '../../domain/referral-status'
import { actorSnapshotSchema as actor } from './shared.schemas'

const opts = { _id: false } as const

const eventSchema = new Schema(
  {
    id: { type: String, required: true },
    at: { type: Date, required: true },
    by: { type: actor, default: null },
    action: { type: String, required: true },
    from: { type: String, enum: [...REFERRAL_STATUSES, null], default: null },
    to: { type: String, enum: REFERRAL_STATUSES, required: true },
    reason: { type: String, default: null },
    note: { type: String, default: null },
  },
  opts,
)

export const referralSchema = new Schema(
  {
    _id: { type: String, required: true },
    // Unique as a backstop on MongoDB; the service checks by _id first, because _id is derived from this key.
    idempotencyKey: { type: String, required: true, unique: true },
    status: { type: String, enum: REFERRAL_STATUSES, required: true },
    version: { type: Number, required: true },
    open: { type: Boolean, required: true },
    personId: { type: String, required: true },
    teamId: { type: String, required: true },
    teamName: { type: String, required: true },
    referrer: {
      userId: { type: String, required: true },
      name: { type: String, required: true },
      email: { type: String, required: true },
    },
    serviceId: { type: String, required: true },
    serviceName: { type: String, required: true },
    organisationId: { type: String, required: true },
    organisationName: { type: String, required: true },
    practiceId: { type: String, default: null },
    gpFeedbackConsent: { type: Boolean, default: false },
    consentEventId: { type: String, required: true },
    shared: {
      name: { type: String, required: true },
      contactPreference: { type: String, required: true },
      phone: { type: String, default: null },
      email: { type: String, default: null },
      address: { type: String, default: null },
      ageBand: { type: String, default: null },
    },
    needs: { type: [String], default: [] },
    note: { type: String, default: '' },
    supportToAttend: { type: String, enum: ['none', 'walk_alongside', 'first_visit_together'], default: 'none' },
    submittedAt: { type: Date, required: true },
    clocks: {
      acknowledgeBy: { type: Date, required: true },
      contactBy: { type: Date, required: true },
      outcomeBy: { type: Date, required: true },
      reviewAt: { type: Date, required: true },
      returnAt: { type: Date, required: true },
    },
    acknowledgedAt: { type: Date, default: null },
    acceptedAt: { type: Date, default: null },
    firstContactAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    declineReason: { type: String, default: null },
    declineText: { type: String, default: null },
    contactAttempts: {
      type: [new Schema({ at: Date, by: actor, note: { type: String, default: null } }, opts)],
      default: [],
    },
    sessions: {
      type: [
        new Schema(
          { id: String, date: String, attended: Boolean, note: { type: String, default: null }, by: actor },
          opts,
        ),
      ],
      default: [],
    },
    tasks: {
      type: [
        new Schema(
          {
            id: String,
            kind: String,
            createdAt: Date,
            doneAt: { type: Date, default: null },
            note: { type: String, default: null },
          },
          opts,
        ),
      ],
      default: [],
    },
    messages: {
      type: [new Schema({ id: String, at: Date, by: actor, side: String, text: String }, opts)],
      default: [],
    },
    overdue: {
      type: [
        new Schema(
          {
            step: String,
            since: Date,
            vcoEmailedAt: { type: Date, default: null },
            referrerEmailedAt: { type: Date, default: null },
          },
          opts,
        ),
      ],
      default: [],
    },
    events: { type: [eventSchema], default: [] },
    closedBySide: { type: String, enum: ['vco', 'referrer', null], default: null },
    gpNotePending: { type: Boolean, default: false },
    referrerAttention: { type: Boolean, default: false },
    attention: {
      type: [new Schema({ kind: String, at: Date, dueAt: { type: Date, default: null } }, opts)],
      default: [],
    },
    outcome: { type: Schema.Types.Mixed, default: null },
    measures: { type: [Schema.Types.Mixed], default: [] },
    origin: { type: String, enum: ['manual', 'demo'], default: 'manual' },
    /** The social prescribing episode this referral was made in, if any. */
    episodeId: { type: String, default: null, index: true },
    /** submittedAt's UTC month, "2026-12": lists page month by month (repositories/month-pages.ts). */
    month: { type: String },
    /** submittedAt's UTC day, "2026-12-07": a large month is read a day at a time. */
    day: { type: String },
    /**
     * The GP practice list's filters, worked out from the referral on every write (domain/gp-filters.ts). Selected by
     * equality beside the practice and the day, whose indexes narrow the rows; a boolean's own index would not.
     */
    gpDidNotEngage: { type: Boolean, default: false },
    gpNoBenefit: { type: Boolean, default: false },
    /**
     * The UTC hour the clock job next has something to do for this referral ("2026-12-07T06"), worked out on every
     * write (domain/referral-clocks.ts nextClockCheck); null when nothing is left. The job reads the hours since it last ran.
     */
    clockHour: { type: String, default: null },
  },
  { collection: 'referrals', versionKey: false, minimize: false },
)
// Every field a list or job selects by equality (the embedded engine turns these into GIN expression indexes).
// The lists, newest first: the embedded engine pages each through its index (embedded-db/engine-pages.ts): a team's
// referrals, an organisation's closed referrals, a practice's referrals and its two filters.
referralSchema.index({ teamId: 1, submittedAt: -1 })
referralSchema.index({ organisationId: 1, open: 1, submittedAt: -1 })
referralSchema.index({ practiceId: 1, gpFeedbackConsent: 1, submittedAt: -1 })
referralSchema.index({ practiceId: 1, gpFeedbackConsent: 1, gpDidNotEngage: 1, submittedAt: -1 })
referralSchema.index({ practiceId: 1, gpFeedbackConsent: 1, gpNoBenefit: 1, submittedAt: -1 })
referralSchema.index({ personId: 1 })
referralSchema.index({ serviceId: 1 })
referralSchema.index({ open: 1 })
referralSchema.index({ month: 1 })
referralSchema.index({ day: 1 })

// The referring team's worklist: its referrals that need it (equality on both fields).
referralSchema.index({ teamId: 1, referrerAttention: 1 })
// Closed referrals whose GP note waits for the reopen window to pass (the clock job).
referralSchema.index({ gpNotePending: 1 })
// The clock job: the referrals whose next check falls in an hour since its last run.
referralSchema.index({ clockHour: 1 })

export function createReferralModel(connection: Connection) {
  return connection.model('Referral', referralSchema)
}

export const signpostingSchema = new Schema(
  {
    _id: { type: String, required: true },
    idempotencyKey: { type: String, required: true, unique: true },
    personId: { type: String, required: true },
    teamId: { type: String, required: true },
    serviceId: { type: String, required: true },
    serviceName: { type: String, required: true },
    organisationId: { type: String, required: true },
    needs: { type: [String], default: [] },
    note: { type: String, default: '' },
    at: { type: Date, required: true },
    by: { type: actor, required: true },
    origin: { type: String, enum: ['manual', 'demo'], default: 'manual' },
    episodeId: { type: String, default: null, index: true },
    /** at's UTC month, "2026-12", and day, "2026-12-07" (repositories/month-pages.ts). */
    month: { type: String },
    day: { type: String },
  },
  { collection: 'signpostings', versionKey: false },
)
signpostingSchema.index({ teamId: 1, at: -1 })
signpostingSchema.index({ personId: 1 })
signpostingSchema.index({ month: 1 })
signpostingSchema.index({ day: 1 })

export function createSignpostingModel(connection: Connection) {
  return connection.model('Signposting', signpostingSchema)
}

// Claims on the next version of a referral or person: `<kind>:<id>#<version>`. Inserting a given _id is the one
// write only one caller can win on every backend (on FerretDB's SQLite backend a conditional updateOne is a read
// then a write, so two callers can both match it), so the caller that inserts the claim makes that version.
export const recordClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'record_claims', versionKey: false },
)

export function createRecordClaimModel(connection: Connection) {
  return connection.model('RecordClaim', recordClaimSchema)
}
