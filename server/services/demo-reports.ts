// Demo data for reports: a few hundred synthetic referrals (with their people, outcomes, wellbeing measures and
// equality data) across synthetic practices, teams, services, needs and months, and a registered population for
// every demo practice, so a commissioner sees each report with figures that clear small-number suppression.
// Idempotent: the generator's ids derive from its seed, so a restart inserts nothing new; populations are set only
// where none is recorded. Demo mode only.
import type { CareOrganisationRecord, PracticePopulation } from '../domain/account-records'
import { generateSyntheticReferrals, syntheticCareOrganisations } from './demo/generate-referrals'
import { addSyntheticEpisodes } from './demo/generate-episodes'
import { createRandom } from '../data/demo/prng'
import type { ReportFactRepository } from '../data/repositories/report-fact.repository'
import type { SyntheticReferralRepository } from '../data/repositories/synthetic-referrals.repository'
import { DEMO_PRACTICE, DEMO_VCO } from './demo-accounts'
import { DEMO_CARERS_CENTRE_ID } from './demo-referrals'
import type { ClockTargets } from '../domain/referral-clocks'

export const DEMO_REPORT_REFERRALS = 400
const SEED = 8

const AGE_SHARES: [string, number][] = [
  ['under 18', 21],
  ['18 to 24', 8],
  ['25 to 34', 15],
  ['35 to 44', 15],
  ['45 to 54', 13],
  ['55 to 64', 11],
  ['65 to 74', 9],
  ['75 to 84', 6],
  ['85 and over', 2],
]
const ETHNICITY_SHARES: [string, number][] = [
  ['White British', 45],
  ['White (other)', 19],
  ['Asian or Asian British', 18],
  ['Black, Black British, Caribbean or African', 8],
  ['Mixed or multiple ethnic groups', 5],
  ['Other ethnic group', 5],
]

function split(total: number, shares: [string, number][], jitter: () => number): Record<string, number> {
  const weights = shares.map(([k, w]) => [k, w * jitter()] as const)
  const sum = weights.reduce((s, [, w]) => s + w, 0)
  return Object.fromEntries(weights.map(([k, w]) => [k, Math.round((total * w) / sum)]))
}

/** Plausible, fictional registered-population figures for a practice, the same every time for the same index. */
export function demoPopulation(index: number): PracticePopulation {
  const rnd = createRandom(1000 + index)
  const total = rnd.int(5000, 14000)
  const jitter = () => 0.7 + rnd.next() * 0.6
  // Each practice leans towards some deprivation deciles, so the equity report shows a gradient.
  const centre = 1 + ((index * 7 + SEED) % 10)
  const deciles: [string, number][] = Array.from({ length: 10 }, (_, i) => [
    String(i + 1),
    Math.max(1, 10 - 2 * Math.abs(i + 1 - centre)),
  ])
  return {
    total,
    sex: split(
      total,
      [
        ['Female', 51],
        ['Male', 49],
      ],
      () => 1,
    ),
    ageBand: split(total, AGE_SHARES, jitter),
    ethnicity: split(total, ETHNICITY_SHARES, jitter),
    deprivationDecile: split(total, deciles, jitter),
  }
}

export async function seedDemoReportData(deps: {
  synthetic: SyntheticReferralRepository
  facts: ReportFactRepository
  ensureCareOrganisation: (record: CareOrganisationRecord) => Promise<boolean>
  now: Date
  targets?: ClockTargets
  count?: number
}): Promise<{ referrals: number; signpostings: number; populations: number }> {
  const { practices, teams } = syntheticCareOrganisations({ pcns: 3, practicesPerPcn: 3 })
  for (const org of [...practices, ...teams]) await deps.ensureCareOrganisation(org)
  let populations = 0
  for (const [i, practice] of [DEMO_PRACTICE, ...practices].entries()) {
    if (await deps.facts.ensurePracticePopulation(practice.id, demoPopulation(i))) populations++
  }
  const services = await deps.synthetic.services({
    limit: 60,
    excludeOrganisationIds: [DEMO_VCO.id, DEMO_CARERS_CENTRE_ID],
  })
  const made = { referrals: 0, signpostings: 0, populations }
  const count = deps.count ?? DEMO_REPORT_REFERRALS
  if (count === 0 || !services.some((s) => s.acceptsReferrals)) return made
  for (const batch of generateSyntheticReferrals({
    seed: SEED,
    count,
    services,
    practices,
    teams,
    // Referrals over the last year, so the reports' default period (the last twelve months) shows them all.
    now: deps.now,
    months: 11,
    targets: deps.targets,
  })) {
    // About one social prescribing episode for every 2.5 referrals, which the referrals join.
    const inserted = await deps.synthetic.insertBatch(addSyntheticEpisodes(batch, SEED, deps.now))
    made.referrals += inserted.referrals
    made.signpostings += inserted.signpostings
  }
  return made
}
