// The referral clocks: when each step is due, from the moment of referral and the deployment's targets.
// Defaults follow the Barnet link-working standard in the source documents: acknowledged within 1 working day,
// contact within 5 days, outcome within 15 days, review at 1 month; unacknowledged after 14 days → returned to the
// referrer as "no response". Working days are counted in UK time and skip weekends and bank holidays in England
// and Wales (uk-bank-holidays.ts); months keep the local time of day across a clock change.
import { TZDate } from '@date-fns/tz'
import { addDays, addMonths as addCalendarMonths, format, isWeekend } from 'date-fns'
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from './uk-bank-holidays'

const UK = 'Europe/London'

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

/** Whether a moment falls on a working day in England: not a weekend, not a bank holiday (UK time). */
export function isWorkingDay(moment: Date): boolean {
  const local = new TZDate(moment.getTime(), UK)
  return !isWeekend(local) && !ENGLAND_AND_WALES_BANK_HOLIDAYS.has(format(local, 'yyyy-MM-dd'))
}

export function addWorkingDays(from: Date, days: number): Date {
  let d = new TZDate(from.getTime(), UK)
  // A referral made on a day off starts its clock on the next working day at the same time of day.
  while (!isWorkingDay(d)) d = addDays(d, 1)
  let left = days
  while (left > 0) {
    d = addDays(d, 1)
    if (isWorkingDay(d)) left--
  }
  return new Date(d.getTime())
}

/** The same local time `months` later, on the month's last day when it is shorter. */
export function addMonths(from: Date, months: number): Date {
  return new Date(addCalendarMonths(new TZDate(from.getTime(), UK), months).getTime())
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
  state: {
    status: string
    clocks: Pick<ReferralClocks, 'acknowledgeBy' | 'contactBy' | 'outcomeBy'>
    acknowledgedAt: Date | null
    firstContactAt: Date | null
  },
  now: Date,
): OverdueStep[] {
  if (!CLOCKED_STATUSES.has(state.status)) return []
  const out: OverdueStep[] = []
  if (!state.acknowledgedAt && now > state.clocks.acknowledgeBy) out.push('acknowledge')
  if (!state.firstContactAt && now > state.clocks.contactBy) out.push('contact')
  if (now > state.clocks.outcomeBy) out.push('outcome')
  return out
}

/** The statuses whose clocks run: the open ones. */
const CLOCKED_STATUSES: ReadonlySet<string> = new Set(['new', 'acknowledged', 'accepted', 'contacted', 'attending'])

/**
 * The earliest moment the clock job has something to do for a referral in this state, as it decides (see
 * referral-clock-sweep.ts): the return of an unacknowledged referral, a step becoming overdue that is not flagged yet,
 * or a flagged step whose VCO email is `escalateHours` old and the referrer not yet told. Null when nothing is left to
 * do (closed, or every step flagged and escalated). The job selects referrals by this moment's hour.
 */
export function nextClockCheck(
  state: {
    status: string
    clocks: ReferralClocks
    acknowledgedAt: Date | null
    firstContactAt: Date | null
    overdue?: readonly { step: OverdueStep; vcoEmailedAt: Date | null; referrerEmailedAt: Date | null }[]
  },
  escalateHours: number,
): Date | null {
  // A record without clocks (written by hand, or by an old tool) has nothing for the job to check.
  if (!CLOCKED_STATUSES.has(state.status) || !(state.clocks as ReferralClocks | undefined)) return null
  const at = (d: Date | string) => new Date(d).getTime()
  const times: number[] = []
  if (state.status === 'new') times.push(at(state.clocks.returnAt))
  const deadlines: [OverdueStep, Date | null][] = [
    ['acknowledge', state.acknowledgedAt ? null : state.clocks.acknowledgeBy],
    ['contact', state.firstContactAt ? null : state.clocks.contactBy],
    ['outcome', state.clocks.outcomeBy],
  ]
  for (const [step, deadline] of deadlines) {
    if (!deadline) continue
    const flag = state.overdue?.find((f) => f.step === step)
    // Overdue once strictly past the deadline.
    if (!flag) times.push(at(deadline) + 1)
    else if (flag.vcoEmailedAt && !flag.referrerEmailedAt) times.push(at(flag.vcoEmailedAt) + escalateHours * 3_600_000)
  }
  return times.length ? new Date(Math.min(...times)) : null
}
