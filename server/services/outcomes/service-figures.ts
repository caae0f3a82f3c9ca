// What a service's referrals say about it, for staff choosing where to refer: referrals received, acknowledged within
// target, engaged, reported benefit and average wellbeing change. Small-number suppression: a figure drawn from fewer
// than 5 people is hidden (null), and when the service has had fewer than 5 people referred, every figure is hidden.
import { wellbeingChange } from '../measures/measures'
import { benefitOf, engagementOf, isBenefit, measuresOf, type OutcomeSource } from './outcome'

export const SMALL_NUMBER_THRESHOLD = 5

export interface Proportion {
  count: number
  of: number
  percent: number
}

export interface ServiceFigures {
  /** True when fewer than the threshold of people were referred: nothing else is shown. */
  suppressed: boolean
  threshold: number
  received: number | null
  acknowledgedWithinTarget: Proportion | null
  engaged: Proportion | null
  reportedBenefit: Proportion | null
  /** Mean SWEMWBS metric change, baseline to follow-up, over people with both; 2 decimals. */
  averageWellbeingChange: { change: number; people: number } | null
}

function distinct(records: readonly OutcomeSource[]): number {
  return new Set(records.map((r) => r.personId)).size
}

function proportion(
  hits: readonly OutcomeSource[],
  all: readonly OutcomeSource[],
  threshold: number,
): Proportion | null {
  if (distinct(all) < threshold) return null
  return { count: hits.length, of: all.length, percent: Math.round((hits.length / all.length) * 100) }
}

export function serviceFigures(
  records: readonly OutcomeSource[],
  now: Date,
  threshold = SMALL_NUMBER_THRESHOLD,
): ServiceFigures {
  const hidden: ServiceFigures = {
    suppressed: true,
    threshold,
    received: null,
    acknowledgedWithinTarget: null,
    engaged: null,
    reportedBenefit: null,
    averageWellbeingChange: null,
  }
  if (distinct(records) < threshold) return hidden

  // Acknowledgement: referrals whose deadline has passed or that were acknowledged.
  const due = records.filter((r) => r.acknowledgedAt || r.clocks.acknowledgeBy <= now)
  const onTime = due.filter((r) => r.acknowledgedAt && r.acknowledgedAt <= r.clocks.acknowledgeBy)

  // Engagement: referrals where it is known either way.
  const known = records.map((r) => ({ r, e: engagementOf(r) })).filter((x) => x.e.state !== 'pending')
  const engaged = known.filter((x) => x.e.state === 'engaged').map((x) => x.r)

  const rated = records.map((r) => ({ r, b: benefitOf(r) })).filter((x) => x.b !== null)
  const benefited = rated.filter((x) => isBenefit(x.b!.rating)).map((x) => x.r)

  // Wellbeing: one change per person (their most recent referral to this service with both measures).
  const perPerson = new Map<string, number>()
  for (const r of [...records].sort((a, b) => +a.submittedAt - +b.submittedAt)) {
    const change = wellbeingChange(measuresOf(r))
    if (change !== null) perPerson.set(r.personId, change)
  }
  const changes = [...perPerson.values()]

  return {
    suppressed: false,
    threshold,
    received: records.length,
    acknowledgedWithinTarget: proportion(onTime, due, threshold),
    engaged: proportion(
      engaged,
      known.map((x) => x.r),
      threshold,
    ),
    reportedBenefit: proportion(
      benefited,
      rated.map((x) => x.r),
      threshold,
    ),
    averageWellbeingChange:
      changes.length >= threshold
        ? {
            change: Math.round((changes.reduce((s, c) => s + c, 0) / changes.length) * 100) / 100,
            people: changes.length,
          }
        : null,
  }
}
