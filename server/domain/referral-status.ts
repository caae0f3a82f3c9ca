// The referral's status vocabulary, which actions move it between statuses, and how each maps onto the standards:
// HL7 FHIR R4 Task.status and the BSeR (Bidirectional Services eReferral) business status. Outcomes are kept on
// the same document and use this vocabulary.
//
// | Loopwell status | Meaning                                   | FHIR Task.status | BSeR businessStatus              |
// | --------------- | ----------------------------------------- | ---------------- | -------------------------------- |
// | new             | sent, not yet acknowledged by the VCO     | requested        | created                          |
// | acknowledged    | the VCO has seen it                       | received         | received                         |
// | accepted        | the VCO will take it; contact not yet made| accepted         | accepted                         |
// | contacted       | first contact made with the person        | in-progress      | event scheduled                  |
// | attending       | the person is attending sessions          | in-progress      | attended                         |
// | completed       | finished; outcome to follow              | completed        | completed                        |
// | declined        | the VCO declined it, with a reason        | rejected         | declined                         |
// | did_not_engage  | the person did not take it up             | completed        | unattended                       |
// | withdrawn       | withdrawn by the referrer or the person   | cancelled        | cancelled                        |
// | no_response     | returned to the referrer unanswered       | failed           | cancelled (no response)          |

export const REFERRAL_STATUSES = [
  'new',
  'acknowledged',
  'accepted',
  'contacted',
  'attending',
  'completed',
  'declined',
  'did_not_engage',
  'withdrawn',
  'no_response',
] as const
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number]

export const FHIR_TASK_STATUS: Record<ReferralStatus, string> = {
  new: 'requested',
  acknowledged: 'received',
  accepted: 'accepted',
  contacted: 'in-progress',
  attending: 'in-progress',
  completed: 'completed',
  declined: 'rejected',
  did_not_engage: 'completed',
  withdrawn: 'cancelled',
  no_response: 'failed',
}

export const BSER_BUSINESS_STATUS: Record<ReferralStatus, string> = {
  new: 'created',
  acknowledged: 'received',
  accepted: 'accepted',
  contacted: 'event scheduled',
  attending: 'attended',
  completed: 'completed',
  declined: 'declined',
  did_not_engage: 'unattended',
  withdrawn: 'cancelled',
  no_response: 'cancelled',
}

export const STATUS_LABELS: Record<ReferralStatus, string> = {
  new: 'New',
  acknowledged: 'Acknowledged',
  accepted: 'Accepted',
  contacted: 'In contact',
  attending: 'Attending',
  completed: 'Completed',
  declined: 'Declined',
  did_not_engage: 'Did not engage',
  withdrawn: 'Withdrawn',
  no_response: 'No response',
}

/** A stored status's label; a value outside the vocabulary reads as itself. */
export const statusLabel = (status: string): string => (STATUS_LABELS as Record<string, string>)[status] ?? status

export const STATUS_TAGS: Record<ReferralStatus, string> = {
  new: 'nhsuk-tag--blue',
  acknowledged: 'nhsuk-tag--aqua-green',
  accepted: 'nhsuk-tag--aqua-green',
  contacted: 'nhsuk-tag--green',
  attending: 'nhsuk-tag--green',
  completed: 'nhsuk-tag--grey',
  declined: 'nhsuk-tag--red',
  did_not_engage: 'nhsuk-tag--orange',
  withdrawn: 'nhsuk-tag--grey',
  no_response: 'nhsuk-tag--red',
}

export const OPEN_STATUSES: readonly ReferralStatus[] = ['new', 'acknowledged', 'accepted', 'contacted', 'attending']
export const CLOSED_STATUSES: readonly ReferralStatus[] = REFERRAL_STATUSES.filter((s) => !OPEN_STATUSES.includes(s))

/** The VCO inbox's tabs. */
export const INBOX_TABS = {
  new: ['new'],
  'awaiting-contact': ['acknowledged', 'accepted'],
  active: ['contacted', 'attending'],
  closed: CLOSED_STATUSES,
} as const satisfies Record<string, readonly ReferralStatus[]>
export type InboxTab = keyof typeof INBOX_TABS

export const DECLINE_REASONS = {
  no_capacity: 'No capacity',
  not_eligible: 'Not eligible',
  could_not_contact: 'Could not contact the person',
  person_declined: 'The person declined',
  referred_elsewhere: 'Referred elsewhere',
  other: 'Other',
} as const
export type DeclineReason = keyof typeof DECLINE_REASONS

/** Who may take an action: the receiving organisation (vco), the referring team (referrer), or either. */
export type Side = 'vco' | 'referrer'

export interface ActionRule {
  side: readonly Side[]
  from: readonly ReferralStatus[]
  /** null: the status stays (the action records something: a contact attempt, a session). */
  to: ReferralStatus | null
  label: string
}

export const REFERRAL_ACTIONS = {
  acknowledge: { side: ['vco'], from: ['new'], to: 'acknowledged', label: 'Acknowledge' },
  accept: { side: ['vco'], from: ['new', 'acknowledged'], to: 'accepted', label: 'Accept' },
  decline: { side: ['vco'], from: ['new', 'acknowledged', 'accepted'], to: 'declined', label: 'Decline' },
  'contact-attempt': {
    side: ['vco'],
    from: ['acknowledged', 'accepted'],
    to: null,
    label: 'Record a contact attempt',
  },
  'first-contact': {
    side: ['vco'],
    from: ['acknowledged', 'accepted'],
    to: 'contacted',
    label: 'Record first contact',
  },
  attending: { side: ['vco'], from: ['contacted'], to: 'attending', label: 'Mark as attending' },
  session: { side: ['vco'], from: ['contacted', 'attending'], to: null, label: 'Record a session' },
  'task-done': { side: ['vco', 'referrer'], from: OPEN_STATUSES, to: null, label: 'Mark re-engagement done' },
  complete: { side: ['vco'], from: ['contacted', 'attending'], to: 'completed', label: 'Complete' },
  'did-not-engage': {
    side: ['vco'],
    from: ['accepted', 'contacted', 'attending'],
    to: 'did_not_engage',
    label: 'Did not engage',
  },
  withdraw: { side: ['vco', 'referrer'], from: OPEN_STATUSES, to: 'withdrawn', label: 'Withdraw' },
} as const satisfies Record<string, ActionRule>
export type ReferralAction = keyof typeof REFERRAL_ACTIONS
export const REFERRAL_ACTION_NAMES = Object.keys(REFERRAL_ACTIONS) as ReferralAction[]

export function isOpen(status: ReferralStatus): boolean {
  return OPEN_STATUSES.includes(status)
}

/** The actions a side may take on a referral in this status, in the order the page offers them. */
export function availableActions(status: ReferralStatus, side: Side): ReferralAction[] {
  return REFERRAL_ACTION_NAMES.filter((name) => {
    const rule: ActionRule = REFERRAL_ACTIONS[name]
    return rule.side.includes(side) && rule.from.includes(status)
  })
}
