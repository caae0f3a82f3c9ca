// The referral clocks: when each step is due, from the moment of referral and the deployment's targets.
// Defaults follow the Barnet link-working standard in the source documents: acknowledged within 1 working day,
// contact within 5 days, outcome within 15 days, review at 1 month; unacknowledged after 14 days → returned to the
// referrer as "no response". Working days skip Saturdays and Sundays (bank holidays are not known to Loopwell yet).

export interface ClockTargets {
  acknowledgeWorkingDays: number
  contactDays: number
  outcomeDays: number
  reviewMonths: number
  returnDays: number
  /** After the VCO has been emailed about an overdue step, how long before the referrer is emailed too. */
  escalateHours: number
  /** How long after a close the side that closed it may reopen it; the GP practice is told once this has passed. */
  reopenHours?: number
}

export const DEFAULT_CLOCK_TARGETS: ClockTargets = {
  acknowledgeWorkingDays: 1,
  contactDays: 5,
  outcomeDays: 15,
  reviewMonths: 1,
  returnDays: 14,
  escalateHours: 24,
  reopenHours: 48,
}

export interface ReferralClocks {
  acknowledgeBy: Date
  contactBy: Date
  outcomeBy: Date
  reviewAt: Date
  returnAt: Date
}

const DAY_MS = 86_400_000

export function addWorkingDays(from: Date, days: number): Date {
  const d = new Date(from.getTime())
  // A referral made at the weekend starts its clock on Monday at the same time of day.
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setTime(d.getTime() + DAY_MS)
  let left = days
  while (left > 0) {
    d.setTime(d.getTime() + DAY_MS)
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left--
  }
  return d
}

export function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime())
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() + months)
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(day, last))
  return d
}

export function computeClocks(submittedAt: Date, targets: ClockTargets = DEFAULT_CLOCK_TARGETS): ReferralClocks {
  return {
    acknowledgeBy: addWorkingDays(submittedAt, targets.acknowledgeWorkingDays),
    contactBy: new Date(submittedAt.getTime() + targets.contactDays * DAY_MS),
    outcomeBy: new Date(submittedAt.getTime() + targets.outcomeDays * DAY_MS),
    reviewAt: addMonths(submittedAt, targets.reviewMonths),
    returnAt: new Date(submittedAt.getTime() + targets.returnDays * DAY_MS),
  }
}

export type OverdueStep = 'acknowledge' | 'contact' | 'outcome'
export const OVERDUE_LABELS: Record<OverdueStep, string> = {
  acknowledge: 'Not acknowledged in time',
  contact: 'No contact in time',
  outcome: 'No outcome in time',
}

/** Which steps are overdue now for a referral in this state. Closed referrals are never overdue. */
export function overdueSteps(
  state: { status: string; clocks: ReferralClocks; acknowledgedAt: Date | null; firstContactAt: Date | null },
  now: Date,
): OverdueStep[] {
  const open = ['new', 'acknowledged', 'accepted', 'contacted', 'attending'].includes(state.status)
  if (!open) return []
  const out: OverdueStep[] = []
  if (!state.acknowledgedAt && now > state.clocks.acknowledgeBy) out.push('acknowledge')
  if (!state.firstContactAt && now > state.clocks.contactBy) out.push('contact')
  if (now > state.clocks.outcomeBy) out.push('outcome')
  return out
}
