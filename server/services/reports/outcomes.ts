// Engagement and benefit: of referrals where it is known, how many people engaged (attended at least once) and said
// it helped (their own answer, else the worker's view), and the change in SWEMWBS metric score from baseline to
// follow-up (mean, standard deviation and n), by service, need, practice and primary care network.
import { engagementAndBenefit, groupTables, mean, rate, sharedGroupings, standardDeviation } from './aggregate'
import type { ReportContext } from './registry'
import type { ReportFact } from './report-facts'
import type { Report, ReportColumn, ReportFilters, ReportRow } from './report-types'

export const OUTCOME_COLUMNS = (label: string): ReportColumn[] => [
  { key: 'label', label, kind: 'label' },
  { key: 'referrals', label: 'Referrals', kind: 'count' },
  { key: 'engagementKnown', label: 'Engagement known', kind: 'count' },
  { key: 'engaged', label: 'Engaged', kind: 'count' },
  { key: 'engagedRate', label: 'Engaged (%)', kind: 'rate', nKey: 'engagementKnown', countKey: 'engaged' },
  { key: 'benefitKnown', label: 'Said whether it helped', kind: 'count' },
  { key: 'benefited', label: 'Said it helped', kind: 'count' },
  { key: 'benefitRate', label: 'Said it helped (%)', kind: 'rate', nKey: 'benefitKnown', countKey: 'benefited' },
  { key: 'wellbeingN', label: 'Wellbeing measured before and after', kind: 'count' },
  { key: 'wellbeingMean', label: 'Mean SWEMWBS change', kind: 'mean', nKey: 'wellbeingN', decimals: 2 },
  { key: 'wellbeingSd', label: 'Standard deviation', kind: 'mean', nKey: 'wellbeingN', decimals: 2 },
]

export function outcomeRow(label: string, facts: readonly ReportFact[]): ReportRow {
  const referrals = facts.filter((f) => f.kind === 'referral')
  const { engagementKnown, engaged, benefitKnown, benefited } = engagementAndBenefit(referrals)
  const changes = referrals.map((f) => f.wellbeingChange).filter((c): c is number => typeof c === 'number')
  return {
    label,
    referrals: referrals.length,
    engagementKnown,
    engaged,
    engagedRate: rate(engaged, engagementKnown),
    benefitKnown,
    benefited,
    benefitRate: rate(benefited, benefitKnown),
    wellbeingN: changes.length,
    wellbeingMean: mean(changes),
    wellbeingSd: standardDeviation(changes),
  }
}

const outcomeTable = groupTables({
  columns: OUTCOME_COLUMNS,
  row: outcomeRow,
  size: (r) => Number(r.referrals),
  chart: { kind: 'bar', labelKey: 'label', valueKeys: ['engagedRate', 'benefitRate'], percent: true },
})

export function buildOutcomes(_filters: ReportFilters, context: ReportContext): Report {
  const referrals = context.facts.filter((f) => f.kind === 'referral')
  const by = sharedGroupings(context, referrals)
  const pcns = new Map(context.practices.map((p) => [p.id, p.pcn]))
  return {
    id: 'outcomes',
    title: 'Engagement and benefit',
    summary:
      'Engaged: attended at least once, of referrals where it is known. Said it helped: the person’s own answer, else the worker’s view. Wellbeing: SWEMWBS metric score, follow-up minus baseline (higher is better).',
    asOf: context.asOf,
    tables: [
      outcomeTable(by.service, 'Each service referred to, with its organisation.', referrals),
      outcomeTable(by.need, 'A referral for several needs counts once under each.', referrals),
      outcomeTable(by.practice, "The person's GP practice when the referral was made.", referrals),
      outcomeTable(
        {
          id: 'by-pcn',
          title: 'By primary care network',
          label: 'Primary care network',
          key: (f) => (f.practiceId ? (pcns.get(f.practiceId) ?? '') : ''),
          name: (pcn) => pcn || 'Not recorded',
        },
        "The primary care network of the person's GP practice.",
        referrals,
      ),
    ],
  }
}
