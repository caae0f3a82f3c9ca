// Activity: how many referrals and signpostings, by need, referral source (team), practice, organisation and
// service; how many were accepted or declined, and why they were declined.
import { DECLINE_REASONS } from '../../domain/referral-status'
import { countColumns, countWhere, groupFacts, groupTables, rate, sharedGroupings } from './aggregate'
import type { ReportContext } from './registry'
import type { ReportFact } from './report-facts'
import type { Report, ReportColumn, ReportFilters, ReportRow, ReportTable } from './report-types'

const VOLUME_COLUMNS = (label: string): ReportColumn[] => [
  { key: 'label', label, kind: 'label' },
  { key: 'referrals', label: 'Referrals', kind: 'count' },
  { key: 'signpostings', label: 'Signpostings', kind: 'count' },
]

function volumeRow(label: string, facts: ReportFact[]): ReportRow {
  let referrals = 0
  for (const f of facts) if (f.kind === 'referral') referrals++
  return { label, referrals, signpostings: facts.length - referrals }
}

const volumeTable = groupTables({
  columns: VOLUME_COLUMNS,
  row: volumeRow,
  size: (r) => Number(r.referrals) + Number(r.signpostings),
  chart: { kind: 'bar', labelKey: 'label', valueKeys: ['referrals', 'signpostings'] },
})

const monthLabel = (key: string) =>
  new Date(`${key}-01T00:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })

export function buildActivity(_filters: ReportFilters, context: ReportContext): Report {
  const { facts } = context
  const by = sharedGroupings(context, facts)
  const referrals = facts.filter((f) => f.kind === 'referral')

  const months = groupFacts(facts, (f) => {
    const month = f.submittedAt.getUTCMonth() + 1
    return `${f.submittedAt.getUTCFullYear()}-${month < 10 ? '0' : ''}${month}`
  })
  const byMonth: ReportTable = {
    id: 'by-month',
    title: 'By month',
    description: 'Referrals and signpostings made in each month of the period.',
    columns: VOLUME_COLUMNS('Month'),
    rows: [...months].sort(([a], [b]) => a.localeCompare(b)).map(([key, list]) => volumeRow(monthLabel(key), list)),
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['referrals', 'signpostings'] },
  }

  const decision = groupFacts(referrals, (f) => f.organisationId)
  const acceptance: ReportTable = {
    id: 'acceptance',
    title: 'Accepted and declined, by organisation',
    description:
      'Referrals each organisation received, how many it accepted or declined, and the share accepted of those decided.',
    columns: [
      { key: 'label', label: 'Organisation', kind: 'label' },
      { key: 'referrals', label: 'Referrals', kind: 'count' },
      { key: 'accepted', label: 'Accepted', kind: 'count' },
      { key: 'declined', label: 'Declined', kind: 'count' },
      { key: 'decided', label: 'Decided', kind: 'count' },
      { key: 'acceptedRate', label: 'Accepted (% of decided)', kind: 'rate', nKey: 'decided', countKey: 'accepted' },
    ],
    rows: [...decision]
      .map(([key, list]) => {
        const accepted = countWhere(list, (f) => f.accepted)
        const declined = countWhere(list, (f) => f.declined)
        return {
          label: by.organisation.name(key),
          referrals: list.length,
          accepted,
          declined,
          decided: accepted + declined,
          acceptedRate: rate(accepted, accepted + declined),
        }
      })
      .sort((a, b) => b.referrals - a.referrals || a.label.localeCompare(b.label)),
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['accepted', 'declined'] },
  }

  const reasons = groupFacts(
    referrals.filter((f) => f.declined),
    (f) => f.declineReason ?? 'not_recorded',
  )
  const declineReasons: ReportTable = {
    id: 'decline-reasons',
    title: 'Why referrals were declined',
    description: 'Declined referrals by the reason the organisation gave.',
    columns: countColumns('Reason', { key: 'declined', label: 'Referrals declined' }),
    rows: Object.entries({ ...DECLINE_REASONS, not_recorded: 'No reason recorded' })
      .map(([code, label]) => ({ label, declined: reasons.get(code)?.length ?? 0 }))
      .filter((row) => row.declined > 0 || row.label !== 'No reason recorded'),
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['declined'] },
  }

  return {
    id: 'activity',
    title: 'Activity',
    summary: 'Referrals and signpostings in the period, where they came from and went, and what was decided.',
    asOf: context.asOf,
    tables: [
      byMonth,
      volumeTable(by.need, 'A referral or signposting for several needs counts once under each.', facts),
      volumeTable(by.team, 'The link worker team that made the referral or signposting.', facts),
      volumeTable(by.practice, "The person's GP practice when the referral was made.", facts),
      volumeTable(by.organisation, 'The voluntary or community organisation referred or signposted to.', facts),
      volumeTable(by.service, 'The service referred or signposted to, with its organisation.', facts),
      acceptance,
      declineReasons,
    ],
  }
}
