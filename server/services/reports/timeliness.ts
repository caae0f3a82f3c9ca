// Timeliness: each step of a referral against the deployment's targets (REFERRAL_ACK_WORKING_DAYS, _CONTACT_DAYS,
// _OUTCOME_DAYS). A step counts once it has happened or its deadline has passed while the referral was still open
// (a referral closed before a step was due never becomes late for it); contact does not count for declined referrals.
// Acknowledgement is measured in working days, as its target is; contact and outcome (closure) in calendar days.
import { groupFacts, mean, namesById, rate } from './aggregate'
import type { ReportContext } from './registry'
import type { ReportFact } from './report-facts'
import type { Report, ReportFilters, ReportRow, ReportTable } from './report-types'

export type Step = 'acknowledge' | 'contact' | 'outcome'

interface StepRule {
  label: string
  due: (f: ReportFact) => Date | null
  done: (f: ReportFact) => Date | null
  elapsed: (f: ReportFact) => number | null
  applies: (f: ReportFact) => boolean
}

const STEPS: Record<Step, StepRule> = {
  acknowledge: {
    label: 'Acknowledged',
    due: (f) => f.acknowledgeBy,
    done: (f) => f.acknowledgedAt,
    elapsed: (f) => f.acknowledgeWorkingDays,
    applies: () => true,
  },
  contact: {
    label: 'Person contacted',
    due: (f) => f.contactBy,
    done: (f) => f.contactedAt,
    elapsed: (f) => f.contactDays,
    applies: (f) => !f.declined,
  },
  outcome: {
    label: 'Outcome (referral closed)',
    due: (f) => f.outcomeBy,
    done: (f) => f.closedAt,
    elapsed: (f) => f.outcomeDays,
    applies: () => true,
  },
}

/** Whether a step counts for this referral now, and whether it was on time. */
export function stepState(f: ReportFact, step: Step, now: Date): { counts: boolean; onTime: boolean } {
  const rule = STEPS[step]
  const due = rule.due(f)
  const done = rule.done(f)
  if (f.kind !== 'referral' || !due || !rule.applies(f)) return { counts: false, onTime: false }
  if (done) return { counts: true, onTime: done.getTime() <= due.getTime() }
  const until = f.closedAt && f.closedAt < now ? f.closedAt : now
  return { counts: due.getTime() < until.getTime(), onTime: false }
}

function stepFigures(facts: readonly ReportFact[], step: Step, now: Date) {
  let due = 0
  let onTime = 0
  const elapsed: number[] = []
  for (const f of facts) {
    const s = stepState(f, step, now)
    if (!s.counts) continue
    due++
    if (s.onTime) onTime++
    const e = STEPS[step].elapsed(f)
    if (e !== null && STEPS[step].done(f)) elapsed.push(e)
  }
  return { due, onTime, rate: rate(onTime, due), done: elapsed.length, meanDays: mean(elapsed) }
}

export function buildTimeliness(_filters: ReportFilters, context: ReportContext): Report {
  const referrals = context.facts.filter((f) => f.kind === 'referral')
  const { targets, now } = context
  const target: Record<Step, string> = {
    acknowledge: `${targets.acknowledgeWorkingDays} working day${targets.acknowledgeWorkingDays === 1 ? '' : 's'}`,
    contact: `${targets.contactDays} days`,
    outcome: `${targets.outcomeDays} days`,
  }
  const unit: Record<Step, string> = { acknowledge: 'working days', contact: 'days', outcome: 'days' }

  const bySteps: ReportTable = {
    id: 'by-step',
    title: 'Each step against its target',
    description:
      'Referrals whose step was due (it happened, or its deadline passed while the referral was open), how many were on time, and the average time taken where it happened.',
    columns: [
      { key: 'label', label: 'Step', kind: 'label' },
      { key: 'target', label: 'Target', kind: 'label' },
      { key: 'due', label: 'Due', kind: 'count' },
      { key: 'onTime', label: 'On time', kind: 'count' },
      { key: 'rate', label: 'On time (%)', kind: 'rate', nKey: 'due', countKey: 'onTime' },
      { key: 'done', label: 'Happened', kind: 'count' },
      { key: 'meanDays', label: 'Average time taken', kind: 'days', nKey: 'done' },
      { key: 'unit', label: 'Measured in', kind: 'label' },
    ],
    rows: (Object.keys(STEPS) as Step[]).map((step) => {
      const s = stepFigures(referrals, step, now)
      return {
        label: STEPS[step].label,
        target: target[step],
        due: s.due,
        onTime: s.onTime,
        rate: s.rate,
        done: s.done,
        meanDays: s.meanDays,
        unit: unit[step],
      }
    }),
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['rate'], percent: true },
  }

  const byGroup = (
    id: string,
    title: string,
    label: string,
    groups: Map<string, ReportFact[]>,
    name: (key: string) => string,
  ): ReportTable => ({
    id,
    title,
    description: `The share of due steps done on time (targets: acknowledged ${target.acknowledge}, contact ${target.contact}, outcome ${target.outcome}).`,
    columns: [
      { key: 'label', label, kind: 'label' },
      { key: 'referrals', label: 'Referrals', kind: 'count' },
      { key: 'acknowledgeDue', label: 'Acknowledgement due', kind: 'count' },
      {
        key: 'acknowledgeRate',
        label: 'Acknowledged on time (%)',
        kind: 'rate',
        nKey: 'acknowledgeDue',
        countKey: 'acknowledgeOnTime',
      },
      { key: 'contactDue', label: 'Contact due', kind: 'count' },
      {
        key: 'contactRate',
        label: 'Contacted on time (%)',
        kind: 'rate',
        nKey: 'contactDue',
        countKey: 'contactOnTime',
      },
      { key: 'outcomeDue', label: 'Outcome due', kind: 'count' },
      { key: 'outcomeRate', label: 'Outcome on time (%)', kind: 'rate', nKey: 'outcomeDue', countKey: 'outcomeOnTime' },
    ],
    rows: [...groups]
      .map(([key, list]): ReportRow & { label: string; referrals: number } => {
        const a = stepFigures(list, 'acknowledge', now)
        const c = stepFigures(list, 'contact', now)
        const o = stepFigures(list, 'outcome', now)
        return {
          label: name(key),
          referrals: list.length,
          acknowledgeDue: a.due,
          acknowledgeOnTime: a.onTime,
          acknowledgeRate: a.rate,
          contactDue: c.due,
          contactOnTime: c.onTime,
          contactRate: c.rate,
          outcomeDue: o.due,
          outcomeOnTime: o.onTime,
          outcomeRate: o.rate,
        }
      })
      .sort((a, b) => b.referrals - a.referrals || a.label.localeCompare(b.label)),
    chart: {
      kind: 'bar',
      labelKey: 'label',
      valueKeys: ['acknowledgeRate', 'contactRate', 'outcomeRate'],
      percent: true,
    },
  })

  const organisations = namesById(
    referrals,
    (f) => f.organisationId,
    (f) => f.organisationName,
  )
  const services = namesById(
    referrals,
    (f) => f.serviceId,
    (f) => f.serviceName,
  )
  return {
    id: 'timeliness',
    title: 'Timeliness',
    summary:
      'How quickly referrals were acknowledged, the person contacted and an outcome reached, against the targets.',
    asOf: context.asOf,
    tables: [
      bySteps,
      byGroup(
        'by-organisation',
        'By organisation (VCO)',
        'Organisation',
        groupFacts(referrals, (f) => f.organisationId),
        (id) => organisations.get(id) ?? 'Unnamed organisation',
      ),
      byGroup(
        'by-service',
        'By service',
        'Service',
        groupFacts(referrals, (f) => f.serviceId),
        (id) => services.get(id) ?? 'Unnamed service',
      ),
    ],
  }
}
