// Plain records of people (a link worker team's caseload), referrals and signpostings, as services see them.
// A referral is one document: its status, clocks, contact attempts, sessions, messages, tasks and the history of
// every transition live together, so each change is one atomic update (FerretDB v1 has no transactions). The
// outcome and wellbeing measures live in the same document.
import type { ReferralStatus } from './referral-status'
import type { OverdueStep, ReferralClocks } from './referral-clocks'

export const CONTACT_PREFERENCES = ['phone', 'text', 'email', 'letter', 'do_not_contact'] as const
export type ContactPreference = (typeof CONTACT_PREFERENCES)[number]

export const CONSENT_SCOPES = ['share_with_organisation', 'feedback_to_gp'] as const
export type ConsentScope = (typeof CONSENT_SCOPES)[number]

export interface ActorSnapshot {
  userId: string
  name: string
}

export interface ConsentEvent {
  id: string
  /** given or withdrawn: withdrawing is an event too, never a deletion. */
  type: 'given' | 'withdrawn'
  scope: ConsentScope
  /** The organisation the person agreed to share with (share_with_organisation), or the practice (feedback_to_gp). */
  organisationId: string
  organisationName: string
  how: 'verbal' | 'written'
  at: Date
  by: ActorSnapshot
}

export interface PersonDischarge {
  reason: string
  text: string | null
  at: Date
  by: ActorSnapshot
}

/** Who a person is, how to reach them and their GP practice: what a person record and an episode's referral share. */
export interface PersonDetails {
  givenName: string
  familyName: string
  /** YYYY-MM-DD */
  dateOfBirth: string
  nhsNumber: string | null
  phone: string | null
  email: string | null
  address: string | null
  postcode: string | null
  practiceId: string | null
  practiceName: string | null
  practiceOdsCode: string | null
}

/** A person's details from what a form gave (name, date of birth, contact), a checked NHS number and practice. */
export function personDetails(
  input: Pick<PersonDetails, 'givenName' | 'familyName' | 'dateOfBirth' | 'phone' | 'email' | 'address' | 'postcode'>,
  nhsNumber: string | null,
  practice: { id: string; name: string; odsCode: string | null } | null,
): PersonDetails {
  return {
    givenName: input.givenName,
    familyName: input.familyName,
    dateOfBirth: input.dateOfBirth,
    nhsNumber,
    phone: input.phone,
    email: input.email,
    address: input.address,
    postcode: input.postcode,
    practiceId: practice?.id ?? null,
    practiceName: practice?.name ?? null,
    practiceOdsCode: practice?.odsCode ?? null,
  }
}

export interface PersonRecord extends PersonDetails {
  id: string
  teamId: string
  contactPreference: ContactPreference
  whatMatters: string
  /** Need taxonomy term ids: needs, never diagnoses. */
  needs: string[]
  equality: {
    ethnicity: string | null
    sex: string | null
    ageBand: string | null
    deprivationDecile: number | null
  }
  /** The person this one cares for (carer link), in the same caseload. */
  caresForId: string | null
  consents: ConsentEvent[]
  createdBy: ActorSnapshot
  /** Set when the person leaves the caseload; they stay on record (and in its lists, marked) for the referrals. */
  discharge?: PersonDischarge | null
  /** Raised by every change (see atomic.ts); an edit from a stale form changes nothing. */
  version?: number
  created_at?: Date
  updated_at?: Date
}

export interface ReferralEvent {
  id: string
  at: Date
  /** null: the system (the clock job). */
  by: ActorSnapshot | null
  action: string
  from: ReferralStatus | null
  to: ReferralStatus
  reason: string | null
  note: string | null
}

export interface ReferralMessage {
  id: string
  at: Date
  by: ActorSnapshot
  side: 'vco' | 'referrer'
  text: string
}

export interface ContactAttempt {
  at: Date
  by: ActorSnapshot
  note: string | null
}

export interface SessionRecord {
  id: string
  date: string
  attended: boolean
  note: string | null
  by: ActorSnapshot
}

export interface ReferralTask {
  id: string
  kind: 're-engage'
  createdAt: Date
  doneAt: Date | null
  note: string | null
}

export interface OverdueFlag {
  step: OverdueStep
  since: Date
  vcoEmailedAt: Date | null
  referrerEmailedAt: Date | null
}

/**
 * Something on a referral that needs the referring team: the organisation declined it or wrote to them, it came back
 * unanswered, the person asked for more help, or a follow-up falls due (`dueAt`). Cleared by the team.
 */
export interface AttentionItem {
  kind: 'declined' | 'no-response' | 'message' | 'asked-for-help' | 'follow-up'
  at: Date
  /** Not shown before this time (a follow-up after completion). */
  dueAt: Date | null
}

/** What the VCO sees of the person: only what was consented to, and only what is needed to make contact. */
export interface SharedDetails {
  name: string
  contactPreference: ContactPreference
  phone: string | null
  email: string | null
  address: string | null
  ageBand: string | null
}

export interface ReferralRecord {
  id: string
  idempotencyKey: string
  status: ReferralStatus
  /** Raised by every change; an update naming a stale version changes nothing. */
  version: number
  open: boolean
  personId: string
  teamId: string
  teamName: string
  referrer: ActorSnapshot & { email: string }
  serviceId: string
  serviceName: string
  organisationId: string
  organisationName: string
  practiceId: string | null
  /** Whether the person agreed to outcomes going back to their GP practice (the outcome service reads this). */
  gpFeedbackConsent: boolean
  consentEventId: string
  shared: SharedDetails
  needs: string[]
  note: string
  supportToAttend: 'none' | 'walk_alongside' | 'first_visit_together'
  submittedAt: Date
  clocks: ReferralClocks
  acknowledgedAt: Date | null
  acceptedAt: Date | null
  firstContactAt: Date | null
  closedAt: Date | null
  declineReason: string | null
  declineText: string | null
  contactAttempts: ContactAttempt[]
  sessions: SessionRecord[]
  tasks: ReferralTask[]
  messages: ReferralMessage[]
  overdue: OverdueFlag[]
  events: ReferralEvent[]
  /** Which side closed it (only that side may reopen it, within the reopen window). */
  closedBySide?: 'vco' | 'referrer' | null
  /** Closed, and the GP practice not yet told: it is told once the reopen window has passed. */
  gpNotePending?: boolean
  /** The hour the clock job next looks at it (referral-clocks.ts nextClockCheck); null when nothing is left to do. */
  clockHour?: string | null
  /** True while `attention` holds anything: the referring team's worklist selects by this flag. */
  referrerAttention?: boolean
  attention?: AttentionItem[]
  /** Filled as the loop is closed: outcome and measures. */
  outcome: Record<string, unknown> | null
  measures: Record<string, unknown>[]
  origin: 'manual' | 'demo'
  /** The social prescribing episode it was made in (absent on referrals made outside one). */
  episodeId?: string | null
}

/** What an inbox or caseload list needs, without the history. */
export type ReferralSummary = Omit<ReferralRecord, 'events' | 'messages' | 'contactAttempts' | 'sessions'>

export interface SignpostingRecord {
  id: string
  idempotencyKey: string
  personId: string
  teamId: string
  serviceId: string
  serviceName: string
  organisationId: string
  needs: string[]
  note: string
  at: Date
  by: ActorSnapshot
  origin: 'manual' | 'demo'
  episodeId?: string | null
}

/** The fields of a referral that engagement and outcomes are made from (a subset of ReferralRecord). */
export interface OutcomeSource {
  id: string
  status: string
  personId: string
  serviceId: string
  serviceName: string
  organisationName: string
  practiceId: string | null
  gpFeedbackConsent: boolean
  submittedAt: Date
  acknowledgedAt: Date | null
  firstContactAt: Date | null
  closedAt: Date | null
  declineReason: string | null
  clocks: { acknowledgeBy: Date }
  sessions?: { date: string; attended: boolean }[]
  tasks?: { kind: string }[]
  contactAttempts?: unknown[]
  outcome: unknown
  measures: unknown[]
}
