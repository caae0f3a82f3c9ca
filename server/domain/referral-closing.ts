// Closing a referral deliberately: each closing action asks for a reason from its own list (with "other", which needs
// words), and a close can be undone within the deployment's reopen window by the side that made it, back to the
// status it closed from. Both the close and the reopening stay in the history. The GP practice is told only once a
// close stands (the window has passed without a reopening).
import type { ReferralEvent, ReferralRecord } from './referral-records'
import { DECLINE_REASONS, type ReferralAction, type ReferralStatus, type Side } from './referral-status'

export const CLOSING_REASONS = {
  complete: {
    finished: 'Finished the support or programme',
    goals_met: 'Their goals were met',
    ready_to_stop: 'They felt ready to stop',
    moved_on: 'Moved on to other support',
    other: 'Other',
  },
  'did-not-engage': {
    could_not_reach: 'Could not reach them after several tries',
    did_not_attend: 'Did not come to any sessions',
    stopped_coming: 'Stopped coming',
    other: 'Other',
  },
  decline: DECLINE_REASONS,
  withdraw: {
    person_asked: 'The person asked to stop',
    referred_elsewhere: 'Referred somewhere else instead',
    circumstances_changed: 'Their circumstances changed',
    made_in_error: 'The referral was made in error',
    other: 'Other',
  },
} as const satisfies Partial<Record<ReferralAction, Record<string, string>>>
export type ClosingAction = keyof typeof CLOSING_REASONS
export const CLOSING_ACTIONS = Object.keys(CLOSING_REASONS) as ClosingAction[]
export const ALL_CLOSING_REASON_CODES = [
  ...new Set(CLOSING_ACTIONS.flatMap((a) => Object.keys(CLOSING_REASONS[a]))),
] as [string, ...string[]]

/** What each closing action is called on its confirmation page, and what it means. */
export const CLOSING_WORDS: Record<ClosingAction, { title: string; button: string; means: string }> = {
  complete: {
    title: 'Complete this referral',
    button: 'Yes, complete the referral',
    means: 'The referral closes as completed. You can then record the outcome and wellbeing measures.',
  },
  'did-not-engage': {
    title: 'Close this referral: did not engage',
    button: 'Yes, close it: did not engage',
    means: 'The referral closes and the referrer is told the person did not engage.',
  },
  decline: {
    title: 'Decline this referral',
    button: 'Yes, decline the referral',
    means: 'The referral closes and goes back to the referrer with your reason, so they can find other support.',
  },
  withdraw: {
    title: 'Withdraw this referral',
    button: 'Yes, withdraw the referral',
    means: 'The referral closes and the other side is told it was withdrawn.',
  },
}

export function isClosingAction(action: string): action is ClosingAction {
  return action in CLOSING_REASONS
}

/** The label of a closing reason code, whichever action it belongs to; the code itself if unknown. */
export function closingReasonLabel(code: string): string {
  for (const a of CLOSING_ACTIONS) {
    const labels = CLOSING_REASONS[a] as Record<string, string>
    if (labels[code]) return labels[code]
  }
  return code
}

const HOUR = 3_600_000

/** The event that closed the referral (the last move from an open status to its current one). */
export function closingEvent(r: Pick<ReferralRecord, 'events' | 'status'>): ReferralEvent | null {
  for (let i = r.events.length - 1; i >= 0; i--) {
    const e = r.events[i]!
    if (e.to === r.status && e.from !== e.to) return e
  }
  return null
}

/** Until when the side may reopen this referral, or null when it may not (open, returned, other side, too late). */
export function reopenableUntil(
  r: Pick<ReferralRecord, 'open' | 'status' | 'closedAt' | 'events'> & { closedBySide?: Side | null },
  side: Side,
  reopenHours: number,
  now: Date,
): Date | null {
  if (r.open || !r.closedAt || r.status === 'no_response' || r.closedBySide !== side) return null
  const until = new Date(new Date(r.closedAt).getTime() + reopenHours * HOUR)
  if (now > until) return null
  return closingEvent(r)?.from ? until : null
}

/** The status a reopening returns to: the one the referral closed from. */
export function reopenedStatus(r: Pick<ReferralRecord, 'events' | 'status'>): ReferralStatus | null {
  return closingEvent(r)?.from ?? null
}

/** Whether the GP practice may be told about a close now: the reopen window has passed. */
export function closeStands(closedAt: Date, reopenHours: number, now: Date): boolean {
  return now.getTime() >= new Date(closedAt).getTime() + reopenHours * HOUR
}
