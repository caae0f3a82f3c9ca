// A referral: one document holding its status, version, clocks, contact attempts, sessions, tasks, messages,
// overdue flags and every transition, so a change is one atomic updateOne guarded by {status, version}.
// Closing the loop fills `outcome` and `measures` in the same document.
import { Schema, type Connection } from 'mongoose'
import { REFERRAL_STATUSES } from '../../domain/referral-status'
import { collectionSchema, indexEach, list, nullable, required, subSchema } from './fields'
import { actorSnapshotSchema as actor, careOrigin, monthAndDay } from './shared.schemas'

const eventSchema = subSchema({
  id: required(String),
  at: required(Date),
  by: nullable(actor),
  action: required(String),
  from: { type: String, enum: [...REFERRAL_STATUSES, null], default: null },
  to: { type: String, enum: REFERRAL_STATUSES, required: true },
  reason: nullable(String),
  note: nullable(String),
})

export const referralSchema = collectionSchema(
  'referrals',
  {
    // Unique as a backstop on MongoDB; the service checks by _id first, because _id is derived from this key.
    idempotencyKey: { type: String, required: true, unique: true },
    status: { type: String, enum: REFERRAL_STATUSES, required: true },
    version: required(Number),
    open: required(Boolean),
    personId: required(String),
    teamId: required(String),
    teamName: required(String),
    referrer: {
      userId: required(String),
      name: required(String),
      email: required(String),
    },
    serviceId: required(String),
    serviceName: required(String),
    organisationId: required(String),
    organisationName: required(String),
    practiceId: nullable(String),
    gpFeedbackConsent: { type: Boolean, default: false },
    consentEventId: required(String),
    shared: {
      name: required(String),
      contactPreference: required(String),
      phone: nullable(String),
      email: nullable(String),
      address: nullable(String),
      ageBand: nullable(String),
    },
    needs: list(String),
    note: { type: String, default: '' },
    supportToAttend: { type: String, enum: ['none', 'walk_alongside', 'first_visit_together'], default: 'none' },
    submittedAt: required(Date),
    clocks: {
      acknowledgeBy: required(Date),
      contactBy: required(Date),
      outcomeBy: required(Date),
      reviewAt: required(Date),
      returnAt: required(Date),
    },
    acknowledgedAt: nullable(Date),
    acceptedAt: nullable(Date),
    firstContactAt: nullable(Date),
    closedAt: nullable(Date),
    declineReason: nullable(String),
    declineText: nullable(String),
    contactAttempts: {
      type: [subSchema({ at: Date, by: actor, note: nullable(String) })],
      default: [],
    },
    sessions: {
      type: [subSchema({ id: String, date: String, attended: Boolean, note: nullable(String), by: actor })],
      default: [],
    },
    tasks: {
      type: [
        subSchema({
          id: String,
          kind: String,
          createdAt: Date,
          doneAt: nullable(Date),
          note: nullable(String),
        }),
      ],
      default: [],
    },
    messages: {
      type: [subSchema({ id: String, at: Date, by: actor, side: String, text: String })],
      default: [],
    },
    overdue: {
      type: [
        subSchema({
          step: String,
          since: Date,
          vcoEmailedAt: nullable(Date),
          referrerEmailedAt: nullable(Date),
        }),
      ],
      default: [],
    },
    events: list(eventSchema),
    closedBySide: { type: String, enum: ['vco', 'referrer', null], default: null },
    gpNotePending: { type: Boolean, default: false },
    referrerAttention: { type: Boolean, default: false },
    attention: {
      type: [subSchema({ kind: String, at: Date, dueAt: nullable(Date) })],
      default: [],
    },
    outcome: nullable(Schema.Types.Mixed),
    measures: list(Schema.Types.Mixed),
    origin: careOrigin(),
    /** The social prescribing episode this referral was made in, if any. */
    episodeId: { type: String, default: null, index: true },
    /** Of `submittedAt`. */
    ...monthAndDay(),
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
    clockHour: nullable(String),
  },
  { minimize: false },
)
// Every field a list or job selects by equality (the embedded engine turns these into GIN expression indexes).
// The lists, newest first: the embedded engine pages each through its index (embedded-db/engine-pages.ts): a team's
// referrals, an organisation's closed referrals, a practice's referrals and its two filters.
referralSchema.index({ teamId: 1, submittedAt: -1 })
referralSchema.index({ organisationId: 1, open: 1, submittedAt: -1 })
referralSchema.index({ practiceId: 1, gpFeedbackConsent: 1, submittedAt: -1 })
referralSchema.index({ practiceId: 1, gpFeedbackConsent: 1, gpDidNotEngage: 1, submittedAt: -1 })
referralSchema.index({ practiceId: 1, gpFeedbackConsent: 1, gpNoBenefit: 1, submittedAt: -1 })
indexEach(referralSchema, ['personId', 'serviceId', 'open', 'month', 'day'])

// The referring team's worklist: its referrals that need it (equality on both fields).
referralSchema.index({ teamId: 1, referrerAttention: 1 })
// Closed referrals whose GP note waits for the reopen window to pass (the clock job).
referralSchema.index({ gpNotePending: 1 })
// The clock job: the referrals whose next check falls in an hour since its last run.
referralSchema.index({ clockHour: 1 })

export function createReferralModel(connection: Connection) {
  return connection.model('Referral', referralSchema)
}

export const signpostingSchema = collectionSchema('signpostings', {
  idempotencyKey: { type: String, required: true, unique: true },
  personId: required(String),
  teamId: required(String),
  serviceId: required(String),
  serviceName: required(String),
  organisationId: required(String),
  needs: list(String),
  note: { type: String, default: '' },
  at: required(Date),
  by: required(actor),
  origin: careOrigin(),
  episodeId: { type: String, default: null, index: true },
  /** Of `at`. */
  ...monthAndDay(),
})
signpostingSchema.index({ teamId: 1, at: -1 })
indexEach(signpostingSchema, ['personId', 'month', 'day'])

export function createSignpostingModel(connection: Connection) {
  return connection.model('Signposting', signpostingSchema)
}

// Claims on the next version of a referral or person: `<kind>:<id>#<version>`. Inserting a given _id is the one
// write only one caller can win on every backend (on FerretDB's SQLite backend a conditional updateOne is a read
// then a write, so two callers can both match it), so the caller that inserts the claim makes that version.
export const recordClaimSchema = collectionSchema('record_claims', {
  at: required(Date),
})

export function createRecordClaimModel(connection: Connection) {
  return connection.model('RecordClaim', recordClaimSchema)
}
