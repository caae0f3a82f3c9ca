// Equity: referrals, engagement and benefit by deprivation decile, ethnic group, sex and age band, beside the
// registered population of the practices covered where it is known. Age bands end with "65 and over" (65 to 74,
// 75 to 84 and 85 and over together), so older people are one group and no subtotal can reveal a hidden band.
// Counts are of referrals: a person referred twice in the period counts twice (facts hold no person id by design).
import type { PracticePopulation } from '../../domain/account-records'
import { ETHNICITIES, SEXES } from '../../domain/equality'
import { engagementAndBenefit, groupFacts, rate } from './aggregate'
import type { PracticeInfo, ReportContext } from './registry'
import type { ReportFact } from './report-facts'
import type { Report, ReportColumn, ReportFilters, ReportRow, ReportTable } from './report-types'

export const EQUITY_AGE_BANDS = [
  'under 18',
  '18 to 24',
  '25 to 34',
  '35 to 44',
  '45 to 54',
  '55 to 64',
  '65 and over',
] as const

const OLDER = new Set(['65 to 74', '75 to 84', '85 and over', '65 and over'])

/** A person's age band as the equity report groups it. */
export function equityAgeBand(band: string | null): string | null {
  if (!band) return null
  return OLDER.has(band) ? '65 and over' : band
}

const NOT_RECORDED = 'Not recorded'

type Dimension = 'deprivationDecile' | 'ethnicity' | 'sex' | 'ageBand'

function groupOf(f: ReportFact, dimension: Dimension): string {
  switch (dimension) {
    case 'deprivationDecile':
      return f.deprivationDecile === null ? NOT_RECORDED : String(f.deprivationDecile)
    case 'ageBand':
      return equityAgeBand(f.ageBand) ?? NOT_RECORDED
    // Only the form's own categories are ever a row: a value from anywhere else (an import, older data) could be
    // free text, so it counts as not recorded rather than reaching a commissioner as typed.
    case 'ethnicity':
      return f.ethnicity && (ETHNICITIES as readonly string[]).includes(f.ethnicity) ? f.ethnicity : NOT_RECORDED
    case 'sex':
      return f.sex && (SEXES as readonly string[]).includes(f.sex) ? f.sex : NOT_RECORDED
  }
}

/** The population share of each group over the practices that have figures; null when none has. */
export function populationShares(
  practices: readonly PracticeInfo[],
  dimension: Dimension,
): { shares: Map<string, number>; practices: number } | null {
  const known = practices.map((p) => p.population).filter((p): p is PracticePopulation => Boolean(p))
  if (!known.length) return null
  const counts = new Map<string, number>()
  let total = 0
  for (const population of known) {
    total += population.total
    for (const [group, n] of Object.entries(population[dimension] ?? {})) {
      const key = dimension === 'ageBand' ? (equityAgeBand(group) ?? group) : group
      counts.set(key, (counts.get(key) ?? 0) + n)
    }
  }
  if (total <= 0) return null
  return { shares: new Map([...counts].map(([k, n]) => [k, n / total])), practices: known.length }
}

const COLUMNS = (label: string): ReportColumn[] => [
  { key: 'label', label, kind: 'label' },
  { key: 'referred', label: 'Referred', kind: 'count' },
  { key: 'share', label: 'Share of referrals (%)', kind: 'rate', nKey: 'total', countKey: 'referred' },
  { key: 'population', label: 'Share of practice population (%)', kind: 'rate', notPeople: true },
  { key: 'engaged', label: 'Engaged', kind: 'count' },
  { key: 'engagedRate', label: 'Engaged (%)', kind: 'rate', nKey: 'engagementKnown', countKey: 'engaged' },
  { key: 'benefited', label: 'Said it helped', kind: 'count' },
  { key: 'benefitRate', label: 'Said it helped (%)', kind: 'rate', nKey: 'benefitKnown', countKey: 'benefited' },
]

function equityTable(
  id: string,
  title: string,
  label: string,
  dimension: Dimension,
  order: readonly string[],
  groupLabel: (key: string) => string,
  referrals: readonly ReportFact[],
  practices: readonly PracticeInfo[],
): ReportTable {
  const groups = groupFacts(referrals, (f) => groupOf(f, dimension))
  const population = populationShares(practices, dimension)
  const keys = [...new Set([...order, ...groups.keys()])].filter((k) => groups.has(k) || population?.shares.has(k))
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : k === NOT_RECORDED ? 1e6 : order.length)
  const rows: ReportRow[] = keys
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((key) => {
      const list = groups.get(key) ?? []
      const { engagementKnown, engaged, benefitKnown, benefited } = engagementAndBenefit(list)
      return {
        label: groupLabel(key),
        referred: list.length,
        total: referrals.length,
        share: rate(list.length, referrals.length),
        population: key === NOT_RECORDED ? null : (population?.shares.get(key) ?? (population ? 0 : null)),
        engaged,
        engagementKnown,
        engagedRate: rate(engaged, engagementKnown),
        benefited,
        benefitKnown,
        benefitRate: rate(benefited, benefitKnown),
      }
    })
  return {
    id,
    title,
    description: population
      ? `Referrals in each group beside the registered population of the ${population.practices} practice${population.practices === 1 ? '' : 's'} covered that have population figures.`
      : 'Referrals in each group. No population figures are known for the practices covered.',
    columns: COLUMNS(label),
    rows,
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['share', 'population'], percent: true },
  }
}

const DECILES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']

export function buildEquity(_filters: ReportFilters, context: ReportContext): Report {
  const referrals = context.facts.filter((f) => f.kind === 'referral')
  const practices = context.practicesInScope
  const decileLabel = (k: string) =>
    k === '1' ? '1 (most deprived)' : k === '10' ? '10 (least deprived)' : k === NOT_RECORDED ? k : k
  const same = (k: string) => k
  return {
    id: 'equity',
    title: 'Equity',
    summary:
      'Who is referred, engages and says it helped, by group, beside the practice population. Counts are of referrals; a person referred twice counts twice.',
    asOf: context.asOf,
    tables: [
      equityTable(
        'by-deprivation',
        'By deprivation decile',
        'Deprivation decile',
        'deprivationDecile',
        DECILES,
        decileLabel,
        referrals,
        practices,
      ),
      equityTable('by-ethnicity', 'By ethnic group', 'Ethnic group', 'ethnicity', [], same, referrals, practices),
      equityTable('by-sex', 'By sex', 'Sex', 'sex', ['Female', 'Male'], same, referrals, practices),
      equityTable('by-age', 'By age band', 'Age band', 'ageBand', EQUITY_AGE_BANDS, same, referrals, practices),
    ],
  }
}
