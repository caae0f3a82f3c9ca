// Timeliness: each step of a referral against the deployment's targets (REFERRAL_ACK_WORKING_DAYS, _CONTACT_DAYS,
// _OUTCOME_DAYS). A step counts once it has happened or its deadline has passed while the referral was still open
// (a referral closed before a step was due never becomes late for it); contact does not count for declined referrals.
// Acknowledgement is measured in working days, as its target is; contact and outcome (closure) in calendar days.
import { rate, reportNames } from './aggregate'
import type { ReportContext } from './registry'
import type { ReportFact } from './report-facts'
import type { Report, ReportColumn, ReportFilters, ReportRow, ReportTable } from './report-types'

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

const STEP_ORDER: readonly Step[] = ['acknowledge', 'contact', 'outcome']
/** What a table by organisation or service calls each step's two columns. */
const GROUP_COLUMNS: Record<Step, { due: string; rate: string }> = {
  acknowledge: { due: 'Acknowledgement due', rate: 'Acknowledged on time (%)' },
  contact: { due: 'Contact due', rate: 'Contacted on time (%)' },
  outcome: { due: 'Outcome due', rate: 'Outcome on time (%)' },
}

const NOT_DUE = 0
const LATE = 1
const ON_TIME = 2

/** Whether a step counts for this referral now (NOT_DUE), and if so whether it was on time. */
export function stepCode(f: ReportFact, step: Step, now: number): number {
  const rule = STEPS[step]
  const due = rule.due(f)
  if (f.kind !== 'referral' || !due || !rule.applies(f)) return NOT_DUE
  const done = rule.done(f)
  if (done) return done.getTime() <= due.getTime() ? ON_TIME : LATE
  const until = f.closedAt && f.closedAt.getTime() < now ? f.closedAt.getTime() : now
  return due.getTime() < until ? LATE : NOT_DUE
}

export function stepState(f: ReportFact, step: Step, now: Date): { counts: boolean; onTime: boolean } {
  const code = stepCode(f, step, now.getTime())
  return { counts: code !== NOT_DUE, onTime: code === ON_TIME }
}

/** Each referral's three steps worked out once per request, then summed for every grouping. */
interface StepCodes {
  codes: Uint8Array
  elapsed: Float64Array
}

function codesOf(facts: readonly ReportFact[], now: Date): StepCodes {
  const t = now.getTime()
  const codes = new Uint8Array(facts.length * 3)
  const elapsed = new Float64Array(facts.length * 3).fill(Number.NaN)
  facts.forEach((f, i) => {
    STEP_ORDER.forEach((step, s) => {
      const code = stepCode(f, step, t)
      codes[i * 3 + s] = code
      const e = STEPS[step].elapsed(f)
      if (code !== NOT_DUE && e !== null && STEPS[step].done(f)) elapsed[i * 3 + s] = e
    })
  })
  return { codes, elapsed }
}

function stepFigures(indices: Iterable<number>, step: Step, c: StepCodes) {
  const s = STEP_ORDER.indexOf(step)
  let due = 0
  let onTime = 0
  let done = 0
  let sum = 0
  for (const i of indices) {
    const code = c.codes[i * 3 + s]!
    if (code === NOT_DUE) continue
    due++
    if (code === ON_TIME) onTime++
    const e = c.elapsed[i * 3 + s]!
    if (!Number.isNaN(e)) {
      done++
      sum += e
    }
  }
  return { due, onTime, rate: rate(onTime, due), done, meanDays: done ? sum / done : null }
}

/** Indices of facts by a key. */
function groupIndices(facts: readonly ReportFact[], key: (f: ReportFact) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>()
  facts.forEach((f, i) => {
    const k = key(f)
    const list = groups.get(k)
    if (list) list.push(i)
    else groups.set(k, [i])
  })
  return groups
}

export function buildTimeliness(_filters: ReportFilters, context: ReportContext): Report {
  const referrals = context.facts.filter((f) => f.kind === 'referral')
  const { targets, now } = context
  const codes = codesOf(referrals, now)
  const all = referrals.map((_, i) => i)
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
      const s = stepFigures(all, step, codes)
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
    groups: Map<string, number[]>,
    name: (key: string) => string,
  ): ReportTable => ({
    id,
    title,
    description: `The share of due steps done on time (targets: acknowledged ${target.acknowledge}, contact ${target.contact}, outcome ${target.outcome}).`,
    columns: [
      { key: 'label', label, kind: 'label' },
      { key: 'referrals', label: 'Referrals', kind: 'count' },
      ...STEP_ORDER.flatMap((step): ReportColumn[] => [
        { key: `${step}Due`, label: GROUP_COLUMNS[step].due, kind: 'count' },
        {
          key: `${step}Rate`,
          label: GROUP_COLUMNS[step].rate,
          kind: 'rate',
          nKey: `${step}Due`,
          countKey: `${step}OnTime`,
        },
      ]),
    ],
    rows: [...groups]
      .map(([key, list]) => {
        const row: ReportRow & { label: string; referrals: number } = { label: name(key), referrals: list.length }
        for (const step of STEP_ORDER) {
          const f = stepFigures(list, step, codes)
          Object.assign(row, { [`${step}Due`]: f.due, [`${step}OnTime`]: f.onTime, [`${step}Rate`]: f.rate })
        }
        return row
      })
      .sort((a, b) => b.referrals - a.referrals || a.label.localeCompare(b.label)),
    chart: { kind: 'bar', labelKey: 'label', valueKeys: STEP_ORDER.map((step) => `${step}Rate`), percent: true },
  })

  const { organisations, services } = context.names ?? reportNames(referrals)
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
        groupIndices(referrals, (f) => f.organisationId),
        (id) => organisations.get(id) ?? 'Unnamed organisation',
      ),
      byGroup(
        'by-service',
        'By service',
        'Service',
        groupIndices(referrals, (f) => f.serviceId),
        (id) => services.get(id) ?? 'Unnamed service',
      ),
    ],
  }
}
