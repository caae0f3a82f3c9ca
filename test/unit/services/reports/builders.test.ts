import { expect } from 'chai'
import { NEED_TAXONOMY, termId } from '../../../../server/data/taxonomy'
import { DEFAULT_CLOCK_TARGETS } from '../../../../server/domain/referral-clocks'
import { buildActivity } from '../../../../server/services/reports/activity'
import { buildEquity, equityAgeBand } from '../../../../server/services/reports/equity'
import { buildOutcomes } from '../../../../server/services/reports/outcomes'
import type { PracticeInfo, ReportContext } from '../../../../server/services/reports/registry'
import type { ReportFact } from '../../../../server/services/reports/report-facts'
import { filterFacts, needWithChildren } from '../../../../server/services/reports/filter-facts'
import type { ReportFilters, ReportTable } from '../../../../server/services/reports/report-types'
import { buildTimeliness } from '../../../../server/services/reports/timeliness'
import { reportFact } from '../../../helpers/factories'

const DAY = 86_400_000
const NOW = new Date('2026-06-30T12:00:00Z')
const at = (iso: string) => new Date(iso)
const LONELY = termId('loneliness-isolation')
const DEBT = termId('debt-money')

const PRACTICES: PracticeInfo[] = [
  {
    id: 'p1',
    name: 'Practice One',
    pcn: 'North PCN',
    population: {
      total: 1000,
      sex: { Female: 600, Male: 400 },
      ageBand: { '65 to 74': 100, '75 to 84': 50, '85 and over': 50, '25 to 34': 800 },
      ethnicity: {},
      deprivationDecile: { '1': 250, '2': 750 },
    },
  },
  { id: 'p2', name: 'Practice Two', pcn: 'South PCN', population: null },
]

function fact(over: Partial<ReportFact>): ReportFact {
  const submittedAt = over.submittedAt ?? at('2026-03-02T10:00:00Z') // a Monday
  return reportFact({
    submittedAt,
    practiceId: 'p1',
    teamId: 't1',
    teamName: 'Team One',
    organisationId: 'o1',
    organisationName: 'Org One',
    serviceId: 's1',
    serviceName: 'Walks',
    needs: [LONELY],
    status: 'completed',
    open: false,
    accepted: true,
    acknowledgeBy: new Date(submittedAt.getTime() + DAY),
    acknowledgedAt: new Date(submittedAt.getTime() + DAY / 2),
    contactBy: new Date(submittedAt.getTime() + 5 * DAY),
    contactedAt: new Date(submittedAt.getTime() + 2 * DAY),
    outcomeBy: new Date(submittedAt.getTime() + 15 * DAY),
    closedAt: new Date(submittedAt.getTime() + 30 * DAY),
    acknowledgeWorkingDays: 1,
    contactDays: 2,
    outcomeDays: 30,
    engagement: 'engaged',
    benefited: true,
    wellbeingBaseline: 15,
    wellbeingFollowUp: 18,
    wellbeingChange: 3,
    deprivationDecile: 1,
    ethnicity: 'White British',
    sex: 'Female',
    ageBand: '75 to 84',
    updatedAt: NOW,
    ...over,
  })
}

function context(facts: ReportFact[], practicesInScope = PRACTICES): ReportContext {
  return {
    facts,
    asOf: NOW,
    now: NOW,
    targets: DEFAULT_CLOCK_TARGETS,
    taxonomy: NEED_TAXONOMY,
    needName: (id) => NEED_TAXONOMY.find((t) => t.id === id)?.name ?? 'Unknown need',
    practices: PRACTICES,
    practicesInScope,
    sources: {},
  }
}

const FILTERS: ReportFilters = { from: at('2026-01-01'), to: at('2026-06-30') }
const table = (tables: ReportTable[], id: string) => tables.find((t) => t.id === id)!
const row = (t: ReportTable, label: string) => t.rows.find((r) => r.label === label)!

describe('Report builders, on a hand-made set', () => {
  // Eight referrals and two signpostings: 6 completed (engaged, 5 said it helped, SWEMWBS change 1..6), 2 declined
  // (no capacity, not eligible) at Org Two; one completed referral was acknowledged late.
  const facts: ReportFact[] = [
    ...[1, 2, 3, 4, 5, 6].map((change, i) =>
      fact({
        wellbeingChange: change,
        benefited: i < 5,
        sex: i < 4 ? 'Female' : 'Male',
        ...(i === 0 ? { acknowledgedAt: at('2026-03-04T10:00:00Z'), acknowledgeWorkingDays: 2 } : {}),
      }),
    ),
    ...(['no_capacity', 'not_eligible'] as const).map((reason) =>
      fact({
        organisationId: 'o2',
        organisationName: 'Org Two',
        serviceId: 's2',
        serviceName: 'Debt advice',
        needs: [DEBT, LONELY],
        practiceId: 'p2',
        status: 'declined',
        accepted: false,
        declined: true,
        declineReason: reason,
        contactedAt: null,
        contactDays: null,
        closedAt: at('2026-03-03T10:00:00Z'),
        outcomeDays: 1,
        engagement: 'not-engaged',
        benefited: null,
        wellbeingChange: null,
        ageBand: '25 to 34',
        deprivationDecile: null,
      }),
    ),
    fact({ kind: 'signposting', status: null, engagement: null, benefited: null, wellbeingChange: null }),
    fact({ kind: 'signposting', status: null, engagement: null, benefited: null, wellbeingChange: null }),
  ]

  it('Activity counts referrals and signpostings by need, organisation and decline reason', () => {
    const report = buildActivity(FILTERS, context(facts))
    const byNeed = table(report.tables, 'by-need')
    expect(row(byNeed, 'Loneliness and isolation')).to.include({ referrals: 8, signpostings: 2 })
    expect(row(byNeed, 'Debt and money')).to.include({ referrals: 2, signpostings: 0 })
    const acceptance = table(report.tables, 'acceptance')
    expect(row(acceptance, 'Org One')).to.include({ referrals: 6, accepted: 6, declined: 0, acceptedRate: 1 })
    expect(row(acceptance, 'Org Two')).to.include({ referrals: 2, accepted: 0, declined: 2, acceptedRate: 0 })
    const reasons = table(report.tables, 'decline-reasons')
    expect(row(reasons, 'No capacity').declined).to.equal(1)
    expect(row(reasons, 'Not eligible').declined).to.equal(1)
    expect(row(table(report.tables, 'by-month'), 'March 2026')).to.include({ referrals: 8, signpostings: 2 })
  })

  it('Timeliness counts a step once it happened or fell due, and how many were on time', () => {
    const report = buildTimeliness(FILTERS, context(facts))
    const steps = table(report.tables, 'by-step')
    // Acknowledged: all 8, one late. Contact: the 6 not declined, all on time. Outcome: all 8 closed; the 6 closed at
    // 30 days were late, the 2 declined next day on time.
    expect(row(steps, 'Acknowledged')).to.include({ due: 8, onTime: 7, rate: 7 / 8, done: 8 })
    expect(row(steps, 'Acknowledged').meanDays).to.be.closeTo(9 / 8, 1e-9)
    expect(row(steps, 'Person contacted')).to.include({ due: 6, onTime: 6, rate: 1, done: 6, meanDays: 2 })
    expect(row(steps, 'Outcome (referral closed)')).to.include({ due: 8, onTime: 2, rate: 2 / 8 })
  })

  it('Timeliness counts an open referral late once its deadline has passed, and not before', () => {
    const open = (submitted: string) =>
      fact({
        submittedAt: at(submitted),
        status: 'new',
        open: true,
        acknowledgedAt: null,
        acknowledgeWorkingDays: null,
        acknowledgeBy: new Date(at(submitted).getTime() + DAY),
        contactedAt: null,
        contactBy: new Date(at(submitted).getTime() + 5 * DAY),
        closedAt: null,
        outcomeBy: new Date(at(submitted).getTime() + 15 * DAY),
      })
    const report = buildTimeliness(FILTERS, context([open('2026-06-01T10:00:00Z'), open('2026-06-30T11:00:00Z')]))
    expect(row(table(report.tables, 'by-step'), 'Acknowledged')).to.include({ due: 1, onTime: 0, done: 0 })
  })

  it('Outcomes gives engagement, benefit and the wellbeing change mean, spread and n', () => {
    const report = buildOutcomes(FILTERS, context(facts))
    const one = row(table(report.tables, 'by-service'), 'Walks (Org One)')
    expect(one).to.include({ referrals: 6, engagementKnown: 6, engaged: 6, engagedRate: 1 })
    expect(one).to.include({ benefitKnown: 6, benefited: 5, wellbeingN: 6, wellbeingMean: 3.5 })
    // Sample standard deviation of 1..6.
    expect(one.wellbeingSd).to.be.closeTo(Math.sqrt(17.5 / 5), 1e-9)
    const two = row(table(report.tables, 'by-service'), 'Debt advice (Org Two)')
    expect(two).to.include({ engagementKnown: 2, engaged: 0, benefitKnown: 0, benefitRate: null, wellbeingMean: null })
    expect(row(table(report.tables, 'by-pcn'), 'South PCN').referrals).to.equal(2)
  })

  it('Equity sets referrals beside the practice population, with 65 and over as one band', () => {
    expect(equityAgeBand('85 and over')).to.equal('65 and over')
    const report = buildEquity(FILTERS, context(facts))
    const age = table(report.tables, 'by-age')
    expect(row(age, '65 and over')).to.include({ referred: 6, share: 6 / 8, population: 0.2, engaged: 6 })
    expect(row(age, '25 to 34')).to.include({ referred: 2, population: 0.8, engaged: 0, engagedRate: 0 })
    const sex = table(report.tables, 'by-sex')
    expect(row(sex, 'Female')).to.include({ referred: 6, population: 0.6 })
    const deprivation = table(report.tables, 'by-deprivation')
    expect(row(deprivation, '1 (most deprived)')).to.include({ referred: 6, population: 0.25 })
    expect(row(deprivation, 'Not recorded')).to.include({ referred: 2, population: null })
    // No population where none of the practices covered has figures.
    const south = buildEquity(FILTERS, context(facts, [PRACTICES[1]!]))
    expect(row(table(south.tables, 'by-sex'), 'Female').population).to.equal(null)
  })

  it('Equity shows only the form categories: anything else stored (free text) counts as not recorded', () => {
    const typed = [...facts, fact({ ethnicity: 'Margaret Thornbury', sex: 'ask Margaret' })]
    const report = buildEquity(FILTERS, context(typed))
    const labels = report.tables.flatMap((t) => t.rows.map((r) => String(r.label)))
    expect(labels.join(' ')).to.not.contain('Margaret')
    expect(row(table(report.tables, 'by-ethnicity'), 'Not recorded').referred).to.equal(1)
    expect(row(table(report.tables, 'by-sex'), 'Not recorded').referred).to.equal(1)
  })

  it('filters by period (inclusive end date), practice, PCN, organisation and need with its children', () => {
    const later = fact({ submittedAt: at('2026-06-30T23:30:00Z') })
    const all = [...facts, later]
    expect(filterFacts(all, FILTERS, PRACTICES, NEED_TAXONOMY)).to.include(later)
    expect(filterFacts(all, { ...FILTERS, to: at('2026-06-29') }, PRACTICES, NEED_TAXONOMY)).to.not.include(later)
    expect(filterFacts(all, { ...FILTERS, pcn: 'South PCN' }, PRACTICES, NEED_TAXONOMY)).to.have.length(2)
    // Facts sorted by time give the same answer, reading only the period's stretch.
    const sorted = [...all].sort((a, b) => +a.submittedAt - +b.submittedAt)
    for (const filters of [FILTERS, { ...FILTERS, to: at('2026-06-29') }, { ...FILTERS, from: at('2026-03-03') }])
      expect(filterFacts(sorted, filters, PRACTICES, NEED_TAXONOMY, { sorted: true })).to.have.members(
        filterFacts(all, filters, PRACTICES, NEED_TAXONOMY),
      )
    expect(filterFacts(all, { ...FILTERS, organisationId: 'o2' }, PRACTICES, NEED_TAXONOMY)).to.have.length(2)
    const moneyAndWork = NEED_TAXONOMY.find((t) => t.code === 'money-work')!.id
    expect(needWithChildren(NEED_TAXONOMY, moneyAndWork).has(DEBT)).to.equal(true)
    expect(filterFacts(all, { ...FILTERS, need: moneyAndWork }, PRACTICES, NEED_TAXONOMY)).to.have.length(2)
  })
})
