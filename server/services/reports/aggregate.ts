// Grouping and summing facts in memory, for the report builders. Plain loops over arrays: 100,000 facts take
// milliseconds, where the database would take seconds (see the README's Reports section).
import type { ReportContext, ReportNames } from './registry'
import type { ReportFact } from './report-facts'
import type { ReportChart, ReportColumn, ReportRow, ReportTable } from './report-types'

/** Groups facts by one or several keys each (a referral with two needs counts under both). Null keys are dropped. */
export function groupFacts(
  facts: readonly ReportFact[],
  key: (fact: ReportFact) => string | readonly string[] | null,
): Map<string, ReportFact[]> {
  const groups = new Map<string, ReportFact[]>()
  const add = (k: string, f: ReportFact) => {
    const list = groups.get(k)
    if (list) list.push(f)
    else groups.set(k, [f])
  }
  for (const fact of facts) {
    const k = key(fact)
    if (k === null) continue
    if (typeof k === 'string') add(k, fact)
    else if (k.length === 1) add(k[0]!, fact)
    else for (const one of new Set(k)) add(one, fact)
  }
  return groups
}

export function countWhere(facts: readonly ReportFact[], test: (fact: ReportFact) => boolean): number {
  let n = 0
  for (const f of facts) if (test(f)) n++
  return n
}

/** A fraction, or null when there is nothing to divide by. */
export function rate(count: number, of: number): number | null {
  return of > 0 ? count / of : null
}

export function mean(values: readonly number[]): number | null {
  if (!values.length) return null
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

/** Sample standard deviation (n − 1); null below two values. */
export function standardDeviation(values: readonly number[]): number | null {
  const m = mean(values)
  if (m === null || values.length < 2) return null
  let sum = 0
  for (const v of values) sum += (v - m) ** 2
  return Math.sqrt(sum / (values.length - 1))
}

/** The latest name seen for each id (signpostings carry ids only; referrals carry names too). */
export function namesById(
  facts: readonly ReportFact[],
  id: (f: ReportFact) => string,
  name: (f: ReportFact) => string,
): Map<string, string> {
  const names = new Map<string, string>()
  for (const f of facts) {
    const n = name(f)
    if (n) names.set(id(f), n)
  }
  return names
}

/** Rows sorted by a count, largest first, then by label. */
export function byCountThenLabel<T extends { label: string; count: number }>(a: T, b: T): number {
  return b.count - a.count || a.label.localeCompare(b.label)
}

export const referralsOnly = (facts: readonly ReportFact[]) => facts.filter((f) => f.kind === 'referral')
export const signpostingsOnly = (facts: readonly ReportFact[]) => facts.filter((f) => f.kind === 'signposting')

/** Of referrals: how many have a known engagement, engaged, said whether it helped, and said it did. */
export function engagementAndBenefit(facts: readonly ReportFact[]) {
  let engagementKnown = 0
  let engaged = 0
  let benefitKnown = 0
  let benefited = 0
  for (const f of facts) {
    if (f.engagement === 'engaged' || f.engagement === 'not-engaged') engagementKnown++
    if (f.engagement === 'engaged') engaged++
    if (f.benefited !== null) benefitKnown++
    if (f.benefited === true) benefited++
  }
  return { engagementKnown, engaged, benefitKnown, benefited }
}

/** The columns of a table with one count a row: the row's label, then the count (`notPeople` when it counts things). */
export function countColumns(label: string, count: Pick<ReportColumn, 'key' | 'label' | 'notPeople'>): ReportColumn[] {
  return [
    { key: 'label', label, kind: 'label' },
    { key: count.key, label: count.label, kind: 'count', ...(count.notPeople ? { notPeople: true } : {}) },
  ]
}

/** A table with one row per group, largest first (by `size`), then by label. */
export function tableOfGroups(options: {
  id: string
  title: string
  description: string
  columns: ReportColumn[]
  groups: Map<string, ReportFact[]>
  name: (key: string) => string
  row: (label: string, facts: ReportFact[]) => ReportRow
  size: (row: ReportRow) => number
  chart?: ReportChart
}): ReportTable {
  const { id, title, description, columns, chart } = options
  const rows = [...options.groups]
    .map(([key, list]) => options.row(options.name(key), list))
    .sort((a, b) => options.size(b) - options.size(a) || String(a.label).localeCompare(String(b.label)))
  return { id, title, description, columns, rows, ...(chart ? { chart } : {}) }
}

/** A way of grouping facts into a table's rows: the table's id and title, the first column's label, each fact's group
 * (or groups), and what a group is called. */
export interface Grouping {
  id: string
  title: string
  label: string
  key: (fact: ReportFact) => string | readonly string[] | null
  name: (key: string) => string
}

/**
 * The groupings several reports share, by need, referral source (team), GP practice, organisation and service, named
 * from the context's names (or, without them, from `facts`).
 */
export function sharedGroupings(context: ReportContext, facts: Iterable<ReportFact>) {
  const { teams, organisations, services, serviceOrganisation } = context.names ?? reportNames(facts)
  const practices = new Map(context.practices.map((p) => [p.id, p.name]))
  const organisation = (id: string) => organisations.get(id) ?? 'Unnamed organisation'
  return {
    need: { id: 'by-need', title: 'By need', label: 'Need', key: (f) => f.needs, name: context.needName },
    team: {
      id: 'by-source',
      title: 'By referral source',
      label: 'Team',
      key: (f) => f.teamId,
      name: (id) => teams.get(id) ?? 'Unnamed team',
    },
    practice: {
      id: 'by-practice',
      title: 'By GP practice',
      label: 'Practice',
      key: (f) => f.practiceId ?? '',
      name: (id) => (id ? (practices.get(id) ?? 'Unknown practice') : 'Practice not recorded'),
    },
    organisation: {
      id: 'by-organisation',
      title: 'By organisation (VCO)',
      label: 'Organisation',
      key: (f) => f.organisationId,
      name: organisation,
    },
    /** A service with its organisation, as "Service (organisation)". */
    service: {
      id: 'by-service',
      title: 'By service',
      label: 'Service',
      key: (f) => f.serviceId,
      name: (id) =>
        `${services.get(id) ?? 'Unnamed service'} (${organisations.get(serviceOrganisation.get(id) ?? '') ?? 'unnamed organisation'})`,
    },
  } satisfies Record<string, Grouping>
}

/** A maker of tables of one kind (the same columns, rows and chart): `(grouping, description, facts) → table`. */
export function groupTables(kind: {
  columns: (label: string) => ReportColumn[]
  row: (label: string, facts: ReportFact[]) => ReportRow
  size: (row: ReportRow) => number
  chart: ReportChart
}) {
  return (grouping: Grouping, description: string, facts: readonly ReportFact[]): ReportTable =>
    tableOfGroups({
      id: grouping.id,
      title: grouping.title,
      description,
      columns: kind.columns(grouping.label),
      groups: groupFacts(facts, grouping.key),
      name: grouping.name,
      row: kind.row,
      size: kind.size,
      chart: kind.chart,
    })
}

/** The latest name of every team, organisation and service in the facts, and each service's organisation: one pass. */
export function reportNames(facts: Iterable<ReportFact>): ReportNames {
  const names: ReportNames = {
    teams: new Map(),
    organisations: new Map(),
    services: new Map(),
    serviceOrganisation: new Map(),
  }
  for (const f of facts) {
    if (f.teamName) names.teams.set(f.teamId, f.teamName)
    if (f.organisationName) names.organisations.set(f.organisationId, f.organisationName)
    if (f.serviceName) names.services.set(f.serviceId, f.serviceName)
    names.serviceOrganisation.set(f.serviceId, f.organisationId)
  }
  return names
}
