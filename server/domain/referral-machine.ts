// The referral state machine, pure: given a referral, an action, who takes it and when, it says what changes (the
// fields to set and the items to append, with the history event) or that the action cannot be taken now. The referral
// service stores a change as one version-guarded update; the clock sweep, demo seeding and the synthetic generator
// fold changes into records in memory with `applyChange`, so every referral, however made, follows the same rules.
//
// To add an action: give it a rule in REFERRAL_ACTIONS (referral-status.ts: who, from which statuses, to which) or in
// OTHER_ACTIONS below, and an entry in EFFECTS for whatever it records beyond the status.
import { nameUuid } from './ids'
import { reopenableUntil, reopenedStatus } from './referral-closing'
import type {
  ActorSnapshot,
  AttentionItem,
  ContactAttempt,
  ReferralEvent,
  ReferralRecord,
  ReferralTask,
  SessionRecord,
} from './referral-records'
import {
  CLOSED_STATUSES,
  REFERRAL_ACTIONS,
  isOpen,
  type ReferralAction,
  type ReferralStatus,
  type Side,
} from './referral-status'

/**
 * Actions the referral page does not offer from its action list. The clock job returns a referral nobody acknowledged
 * (no person takes it); the side that closed a referral may reopen it within the reopen window, back to the status it
 * closed from (its effect decides the status, and whether the window is still open).
 */
export const OTHER_ACTIONS = {
  return: { from: ['new'], to: 'no_response' },
  reopen: { from: CLOSED_STATUSES.filter((s) => s !== 'no_response'), to: null },
} as const satisfies Record<string, { from: readonly ReferralStatus[]; to: ReferralStatus | null }>
export type OtherAction = keyof typeof OTHER_ACTIONS
export type MachineAction = ReferralAction | OtherAction

/** An action with what its form carries. Dates are ISO dates (YYYY-MM-DD). */
export interface ActionRequest {
  type: MachineAction
  reason?: string | null
  text?: string | null
  note?: string | null
  date?: string | null
  attended?: boolean
  taskId?: string | null
}

/**
 * Who acts, when a person acts for a side of the referral: a close is then theirs to reopen within `reopenHours` (the GP
 * practice waits for it to stand), and the referring team's worklist gains what the action asks of them. Demo seeding
 * and the synthetic generator leave it out and record the bare transitions.
 */
export interface ActingSide {
  side: Side
  reopenHours: number
}

/** What the referral must show for the machine to decide. */
export type ReferralState = Pick<
  ReferralRecord,
  'id' | 'status' | 'version' | 'acknowledgedAt' | 'tasks' | 'clocks' | 'open' | 'closedAt'
> &
  Pick<Partial<ReferralRecord>, 'events' | 'closedBySide' | 'attention'>

/** The items an action may append to the referral's lists. */
export interface ReferralPush {
  events: ReferralEvent
  contactAttempts?: ContactAttempt
  sessions?: SessionRecord
  tasks?: ReferralTask
  attention?: AttentionItem
}

export interface ReferralChange {
  action: MachineAction
  from: ReferralStatus
  to: ReferralStatus
  /** Open before and closed after: the close hook (the note to the GP practice) runs. */
  closes: boolean
  set: Partial<ReferralRecord>
  push: ReferralPush
}

interface EffectContext {
  referral: ReferralState
  request: ActionRequest
  by: ActorSnapshot | null
  now: Date
  acting: ActingSide | null
}

/** What an action records beyond its status; null: it cannot be taken now (e.g. the task is already done). */
type Effect = (context: EffectContext) => {
  set?: Partial<ReferralRecord>
  push?: Omit<ReferralPush, 'events'>
  /** The event's reason, when the action gives one of its own. */
  reason?: string
  /** The status it moves to, for an action whose rule leaves it to the effect. */
  to?: ReferralStatus
} | null

const acknowledgedIfNot = ({ referral, now }: EffectContext) => (referral.acknowledgedAt ? {} : { acknowledgedAt: now })

const EFFECTS: Record<MachineAction, Effect> = {
  acknowledge: ({ now }) => ({ set: { acknowledgedAt: now } }),
  accept: (c) => ({ set: { acceptedAt: c.now, ...acknowledgedIfNot(c) } }),
  decline: (c) => ({
    set: {
      declineReason: c.request.reason ?? null,
      declineText: c.request.text ?? null,
      ...acknowledgedIfNot(c),
    },
  }),
  'contact-attempt': ({ request, by, now }) => ({
    push: { contactAttempts: { at: now, by: by!, note: request.note ?? null } },
  }),
  'first-contact': ({ request, now }) => ({
    set: { firstContactAt: request.date ? new Date(`${request.date}T12:00:00Z`) : now },
  }),
  attending: () => ({}),
  session: ({ referral, request, by, now }) => {
    const session: SessionRecord = {
      id: nameUuid(`session:${referral.id}:${referral.version}`),
      date: request.date ?? now.toISOString().slice(0, 10),
      attended: request.attended ?? true,
      note: request.note ?? null,
      by: by!,
    }
    if (session.attended) return { push: { sessions: session } }
    // Non-attendance prompts re-engagement, never an automatic discharge.
    const task: ReferralTask = {
      id: nameUuid(`task:${referral.id}:${referral.version}`),
      kind: 're-engage',
      createdAt: now,
      doneAt: null,
      note: 'Missed a session: get back in touch',
    }
    return { push: { sessions: session, tasks: task }, reason: 'missed session' }
  },
  'task-done': ({ referral, request, now }) => {
    const task = referral.tasks.find((t) => t.id === request.taskId && !t.doneAt)
    if (!task) return null
    return { set: { tasks: referral.tasks.map((t) => (t.id === task.id ? { ...t, doneAt: now } : t)) } }
  },
  complete: () => ({}),
  'did-not-engage': () => ({}),
  withdraw: () => ({}),
  return: () => ({}),
  // Back to the status it closed from, by the side that closed it, within the window; the close's worklist items go
  // and the GP practice, not yet told, is not told.
  reopen: ({ referral, acting, now }) => {
    const closed = { ...referral, events: referral.events ?? [] }
    const back = reopenedStatus(closed)
    if (!acting || !back || !reopenableUntil(closed, acting.side, acting.reopenHours, now)) return null
    const attention = (referral.attention ?? []).filter((a) => a.kind !== 'declined' && a.kind !== 'follow-up')
    const set: Partial<ReferralRecord> = {
      open: true,
      closedAt: null,
      closedBySide: null,
      gpNotePending: false,
      attention,
      referrerAttention: attention.length > 0,
    }
    if (referral.status === 'declined') Object.assign(set, { declineReason: null, declineText: null })
    return { set, to: back }
  },
}

function ruleOf(action: MachineAction): { from: readonly ReferralStatus[]; to: ReferralStatus | null } {
  return action in OTHER_ACTIONS ? OTHER_ACTIONS[action as OtherAction] : REFERRAL_ACTIONS[action as ReferralAction]
}

/** What the referring team's worklist gains from an action: the organisation's decline, or a follow-up to make. */
export function attentionFor(
  action: MachineAction,
  side: Side,
  referral: Pick<ReferralRecord, 'clocks'>,
  now: Date,
): AttentionItem | null {
  if (side === 'vco' && action === 'decline') return { kind: 'declined', at: now, dueAt: null }
  if (action === 'complete') return { kind: 'follow-up', at: now, dueAt: new Date(referral.clocks.reviewAt) }
  return null
}

/**
 * The change an action makes to a referral, or null when the referral's status (or, for a task, the task; for a
 * reopening, the side and the window) does not allow it. Whether the side may take the action at all is the caller's
 * question (REFERRAL_ACTIONS[action].side); `by` is null for the system's own actions.
 */
export function applyAction(
  referral: ReferralState,
  request: ActionRequest,
  by: ActorSnapshot | null,
  now: Date,
  acting: ActingSide | null = null,
): ReferralChange | null {
  const rule = ruleOf(request.type)
  if (!rule.from.includes(referral.status)) return null
  const effect = EFFECTS[request.type]({ referral, request, by, now, acting })
  if (!effect) return null
  const to = effect.to ?? rule.to ?? referral.status
  const closes = isOpen(referral.status) && !isOpen(to)
  const set: Partial<ReferralRecord> = { ...effect.set, status: to }
  const push: Omit<ReferralPush, 'events'> = { ...effect.push }
  if (closes) Object.assign(set, { open: false, closedAt: now })
  if (closes && acting) Object.assign(set, { closedBySide: acting.side, gpNotePending: acting.reopenHours > 0 })
  const attention = acting && attentionFor(request.type, acting.side, referral, now)
  if (attention) {
    set.referrerAttention = true
    push.attention = attention
  }
  const event: ReferralEvent = {
    id: nameUuid(`event:${referral.id}:${referral.version + 1}`),
    at: now,
    by,
    action: request.type,
    from: referral.status,
    to,
    reason: effect.reason ?? request.reason ?? null,
    note: request.note ?? request.text ?? null,
  }
  return { action: request.type, from: referral.status, to, closes, set, push: { ...push, events: event } }
}

/** The referral after a change, as the guarded update stores it: fields set, items appended, the version moved on. */
export function applyChange<R extends ReferralRecord>(referral: R, change: ReferralChange): R {
  const next: R = { ...referral, ...change.set, version: referral.version + 1 }
  const lists = next as unknown as Record<string, unknown[]>
  for (const [field, item] of Object.entries(change.push)) {
    if (item) lists[field] = [...(lists[field] ?? []), item]
  }
  return next
}

/** What a referral holds before anyone has acted on it: no dates, no decline, nothing recorded yet. */
export function untouchedReferral() {
  return {
    acknowledgedAt: null,
    acceptedAt: null,
    firstContactAt: null,
    closedAt: null,
    declineReason: null,
    declineText: null,
    contactAttempts: [],
    sessions: [],
    tasks: [],
    messages: [],
    overdue: [],
  } satisfies Partial<ReferralRecord>
}

/** The fields a referral is submitted with; everything else starts untouched. */
export type SubmittedFields = Omit<
  ReferralRecord,
  'status' | 'version' | 'open' | 'events' | 'outcome' | 'measures' | keyof ReturnType<typeof untouchedReferral>
>

/** A referral as submitted: status new, version 1, its first event the submission by the referrer. */
export function submittedReferral(fields: SubmittedFields, by: ActorSnapshot): ReferralRecord {
  return {
    ...fields,
    status: 'new',
    version: 1,
    open: true,
    ...untouchedReferral(),
    events: [
      {
        id: nameUuid(`event:${fields.id}:1`),
        at: fields.submittedAt,
        by,
        action: 'submit',
        from: null,
        to: 'new',
        reason: null,
        note: null,
      },
    ],
    outcome: null,
    measures: [],
  }
}
