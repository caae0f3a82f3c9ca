// Directory health: are the listings true? Listings by when they were last checked (and those flagged because
// reminders went unanswered), by capacity (and how long they have been so), by status, per organisation; and how
// quickly each VCO responds to referrals: median time to acknowledge and to first contact, and the share within the
// deployment's targets. Listings are counted from the cached service rows (report-sources.ts), never per request.
import type { ServiceHealthRow } from '../../data/repositories/report-sources.repository'
import { CAPACITIES, SERVICE_STATUSES } from '../../domain/directory-vocabulary'
import { countColumns, namesById, rate, referralsOnly } from './aggregate'
import type { ReportFact } from './report-facts'
import type { ReportContext } from './registry'
import { needWithChildren } from './filter-facts'
import { directorySources, median } from './report-sources'
import type { Report, ReportFilters, ReportTable } from './report-types'

const DAY_MS = 86_400_000
const TOP = 50
const LISTINGS_NOW =
  'Listings in the directory today: the period and the practice and PCN filters do not apply; the organisation and need filters do.'

const FRESHNESS = [
  { key: 'recent', label: 'Checked in the last 6 months' },
  { key: 'months6to12', label: 'Checked 6 to 12 months ago' },
  { key: 'stale', label: 'Checked over 12 months ago (stale)' },
  { key: 'never', label: 'Never checked' },
] as const
type Freshness = (typeof FRESHNESS)[number]['key']

const CAPACITY_LABELS: Record<(typeof CAPACITIES)[number], string> = {
  open: 'Open',
  waitlist: 'Waiting list',
  full: 'Full',
  paused: 'Paused',
}
const STATUS_LABELS: Record<(typeof SERVICE_STATUSES)[number], string> = {
  active: 'Active',
  'temporarily closed': 'Temporarily closed',
  inactive: 'Inactive',
  defunct: 'Closed for good (defunct)',
}

function freshnessOf(row: ServiceHealthRow, now: Date): Freshness {
  if (!row.assuredDate) return 'never'
  const months = (now.getTime() - row.assuredDate.getTime()) / (30.44 * DAY_MS)
  return months < 6 ? 'recent' : months <= 12 ? 'months6to12' : 'stale'
}

/** Per receiving organisation, in one pass: referrals, days to each step, and how many were within the target. */
function responseCounts(referrals: readonly ReportFact[]) {
  const out = new Map<
    string,
    { referrals: number; ackDays: number[]; ackOnTime: number; contactDays: number[]; contactOnTime: number }
  >()
  for (const f of referrals) {
    let n = out.get(f.organisationId)
    if (!n)
      out.set(f.organisationId, (n = { referrals: 0, ackDays: [], ackOnTime: 0, contactDays: [], contactOnTime: 0 }))
    n.referrals++
    if (f.acknowledgedAt && f.acknowledgeWorkingDays !== null) {
      n.ackDays.push(f.acknowledgeWorkingDays)
      if (f.acknowledgeBy && f.acknowledgedAt.getTime() <= f.acknowledgeBy.getTime()) n.ackOnTime++
    }
    if (f.contactedAt && f.contactDays !== null) {
      n.contactDays.push(f.contactDays)
      if (f.contactBy && f.contactedAt.getTime() <= f.contactBy.getTime()) n.contactOnTime++
    }
  }
  return out
}

export async function buildDirectoryHealth(filters: ReportFilters, context: ReportContext): Promise<Report> {
  const { now } = context
  const sources = directorySources(context)
  const needs = filters.need ? needWithChildren(context.taxonomy, filters.need) : null
  const all = (await sources.services()).filter(
    (s) =>
      s.approved &&
      (!filters.organisationId || s.organisationId === filters.organisationId) &&
      (!needs || s.needs.some((n) => needs.has(n))),
  )
  const listed = all.filter((s) => s.listed)

  const freshness: ReportTable = {
    id: 'freshness',
    title: 'Listings by when they were last checked',
    description: `Public listings by how long ago someone confirmed they were accurate, and how many are flagged as not recently checked because reminders went unanswered. ${LISTINGS_NOW}`,
    columns: [
      { key: 'label', label: 'Last checked', kind: 'label' },
      { key: 'listings', label: 'Listings', kind: 'count', notPeople: true },
      { key: 'flagged', label: 'Flagged: reminders unanswered', kind: 'count', notPeople: true },
    ],
    rows: FRESHNESS.map(({ key, label }) => {
      const rows = listed.filter((s) => freshnessOf(s, now) === key)
      return { label, listings: rows.length, flagged: rows.filter((s) => s.flagged).length }
    }),
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['listings', 'flagged'] },
  }

  const capacity: ReportTable = {
    id: 'capacity',
    title: 'Listings by capacity',
    description: `Public listings that take referrals by whether they can take more people now, and how long they have been in that state (median days since it was set). ${LISTINGS_NOW}`,
    columns: [
      { key: 'label', label: 'Capacity', kind: 'label' },
      { key: 'listings', label: 'Listings', kind: 'count', notPeople: true },
      { key: 'medianDays', label: 'Median days in this state', kind: 'days', notPeople: true, decimals: 0 },
      { key: 'over90', label: 'In this state over 90 days', kind: 'count', notPeople: true },
    ],
    rows: CAPACITIES.map((c) => {
      const rows = listed.filter((s) => s.acceptsReferrals && s.capacity === c)
      const days = rows.filter((s) => s.capacitySetAt).map((s) => (now.getTime() - s.capacitySetAt!.getTime()) / DAY_MS)
      return {
        label: CAPACITY_LABELS[c],
        listings: rows.length,
        medianDays: median(days),
        over90: days.filter((d) => d > 90).length,
      }
    }),
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['listings'] },
  }

  const status: ReportTable = {
    id: 'status',
    title: 'Listings by status',
    description: `Approved listings by their status (only active and temporarily closed ones are public). ${LISTINGS_NOW}`,
    columns: countColumns('Status', { key: 'listings', label: 'Listings', notPeople: true }),
    rows: SERVICE_STATUSES.map((s) => ({
      label: STATUS_LABELS[s],
      listings: all.filter((r) => r.status === s).length,
    })),
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['listings'] },
  }

  const byOrganisation = new Map<string, ServiceHealthRow[]>()
  for (const s of all) {
    const list = byOrganisation.get(s.organisationId)
    if (list) list.push(s)
    else byOrganisation.set(s.organisationId, [s])
  }
  const organisations: ReportTable = {
    id: 'organisations',
    title: 'Listings needing attention, by organisation',
    description: `Each organisation's approved listings: how many are public, stale or never checked, flagged, full or paused, and not open (inactive, closed or temporarily closed). Most needing attention first (at most ${TOP} rows). ${LISTINGS_NOW}`,
    columns: [
      { key: 'label', label: 'Organisation', kind: 'label' },
      { key: 'listings', label: 'Listings', kind: 'count', notPeople: true },
      { key: 'stale', label: 'Stale or never checked', kind: 'count', notPeople: true },
      { key: 'flagged', label: 'Flagged', kind: 'count', notPeople: true },
      { key: 'fullOrPaused', label: 'Full or paused', kind: 'count', notPeople: true },
      { key: 'notOpen', label: 'Not active', kind: 'count', notPeople: true },
    ],
    rows: [...byOrganisation.values()]
      .map((rows) => {
        const pub = rows.filter((s) => s.listed)
        return {
          label: rows[0]!.organisationName,
          listings: rows.length,
          stale: pub.filter((s) => ['stale', 'never'].includes(freshnessOf(s, now))).length,
          flagged: pub.filter((s) => s.flagged).length,
          fullOrPaused: pub.filter((s) => s.capacity === 'full' || s.capacity === 'paused').length,
          notOpen: rows.filter((s) => s.status !== 'active').length,
        }
      })
      .sort(
        (a, b) =>
          b.stale + b.flagged - (a.stale + a.flagged) || b.listings - a.listings || a.label.localeCompare(b.label),
      )
      .slice(0, TOP),
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['stale', 'flagged'] },
  }

  const referrals = referralsOnly(context.facts)
  const names = namesById(
    referrals,
    (f) => f.organisationId,
    (f) => f.organisationName,
  )
  const { targets } = context
  const response: ReportTable = {
    id: 'vco-response',
    title: 'How quickly organisations respond to referrals',
    description: `Referrals made in the period, by the receiving organisation: median time to acknowledge (working days) and to first contact with the person (days), and the share of those done within the targets (${targets.acknowledgeWorkingDays} working day${targets.acknowledgeWorkingDays === 1 ? '' : 's'}; ${targets.contactDays} days). Most referrals first (at most ${TOP} rows). All filters apply.`,
    columns: [
      { key: 'label', label: 'Organisation', kind: 'label' },
      { key: 'referrals', label: 'Referrals', kind: 'count' },
      { key: 'acknowledged', label: 'Acknowledged', kind: 'count' },
      { key: 'ackMedian', label: 'Median working days to acknowledge', kind: 'days', nKey: 'acknowledged' },
      {
        key: 'ackInTarget',
        label: 'Acknowledged within target (%)',
        kind: 'rate',
        nKey: 'acknowledged',
        countKey: 'ackOnTime',
      },
      { key: 'contacted', label: 'First contact made', kind: 'count' },
      { key: 'contactMedian', label: 'Median days to first contact', kind: 'days', nKey: 'contacted' },
      {
        key: 'contactInTarget',
        label: 'Contacted within target (%)',
        kind: 'rate',
        nKey: 'contacted',
        countKey: 'contactOnTime',
      },
    ],
    rows: [...responseCounts(referrals)]
      .map(([id, n]) => ({
        label: names.get(id) ?? 'Unnamed organisation',
        referrals: n.referrals,
        acknowledged: n.ackDays.length,
        ackMedian: median(n.ackDays),
        ackOnTime: n.ackOnTime,
        ackInTarget: rate(n.ackOnTime, n.ackDays.length),
        contacted: n.contactDays.length,
        contactMedian: median(n.contactDays),
        contactOnTime: n.contactOnTime,
        contactInTarget: rate(n.contactOnTime, n.contactDays.length),
      }))
      .sort((a, b) => b.referrals - a.referrals || a.label.localeCompare(b.label))
      .slice(0, TOP),
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['ackInTarget', 'contactInTarget'], percent: true },
  }

  return {
    id: 'directory-health',
    title: 'Directory health',
    summary:
      'Whether listings are kept true (when last checked, capacity, status, by organisation) and how quickly organisations respond to referrals.',
    asOf: sources.servicesAsOf() ?? context.asOf,
    tables: [freshness, capacity, status, organisations, response],
  }
}
