// Writes N synthetic referrals (with their people, some signpostings, and about N/2.5 social prescribing episodes
// that the referrals belong to) into the configured database,
// deterministically from a seed, for report demos and the reports benchmark. Needs a directory first
// (the demo one, or scripts/generate-directory.ts).
//   npx tsx scripts/generate-referrals.ts --count 100000 --seed 1 [--batch 1000] [--services 2000] [--misses n]
// Then writes synthetic search misses (default: a third as many as referrals) and rebuilds the report facts, each
// with a progress bar.
// Re-running with the same seed and count adds nothing: ids are derived from the seed. Synthetic records have
// origin 'demo' and belong to synthetic practices and teams no demo sign-in is a member of.
import { parseArgs } from 'node:util'
import { generateSyntheticReferrals, syntheticCareOrganisations } from '../server/services/demo/generate-referrals'
import { withSyntheticEpisodes } from '../server/services/demo/generate-episodes'
import { generateSyntheticSearchMisses } from '../server/data/demo/generate-search-misses'
import { createReportFactRepository } from '../server/data/repositories/report-fact.repository'
import { createAccountRepository } from '../server/data/repositories/account.repository'
import { createSyntheticReferralRepository } from '../server/data/repositories/synthetic-referrals.repository'
import { NEED_TAXONOMY } from '../server/data/taxonomy'
import { createReportService } from '../server/services/reports/report.service'
import { DEMO_VCO } from '../server/services/demo-accounts'
import { DEMO_CARERS_CENTRE_ID } from '../server/services/demo-referrals'
import { withDatabase, progressBar } from './script-database'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    batch: { type: 'string', default: '1000' },
    services: { type: 'string', default: '2000' },
    misses: { type: 'string' },
  },
})
const count = Number(values.count)
const seed = Number(values.seed)
const batchSize = Number(values.batch)
const serviceLimit = Number(values.services)
const missCount = values.misses === undefined ? Math.round(count / 3) : Number(values.misses)
if (
  ![count, seed, batchSize, serviceLimit, missCount].every(Number.isInteger) ||
  count < 1 ||
  batchSize < 1 ||
  serviceLimit < 1 ||
  missCount < 0
) {
  console.error(
    'Usage: generate-referrals --count <n ≥ 1> --seed <integer> [--batch <n>] [--services <n>] [--misses <n>]',
  )
  process.exit(2)
}

await withDatabase(async (db) => {
  const synthetic = createSyntheticReferralRepository(db.connection)
  const accounts = createAccountRepository(db.connection)
  const { practices, teams } = syntheticCareOrganisations()
  for (const org of [...practices, ...teams]) await accounts.ensureCareOrganisation(org)
  const services = await synthetic.services({
    limit: serviceLimit,
    excludeOrganisationIds: [DEMO_VCO.id, DEMO_CARERS_CENTRE_ID],
  })
  if (!services.some((s) => s.acceptsReferrals)) {
    console.error(
      'No active services that accept referrals: load a directory first (demo mode, or generate-directory).',
    )
    process.exit(1)
  }
  const now = new Date()
  const bar = progressBar('referrals {bar} {value}/{total} {eta_formatted}')
  const started = performance.now()
  bar.start(count, 0)
  const totals = await synthetic.insertAll(
    withSyntheticEpisodes(
      generateSyntheticReferrals({ seed, count, services, practices, teams, now, batchSize }),
      seed,
      now,
    ),
    (generated) => bar.update(generated),
  )
  bar.stop()
  const seconds = (performance.now() - started) / 1000
  console.log(
    `Inserted ${totals.referrals} referrals, ${totals.people} people, ${totals.signpostings} signpostings and ` +
      `${totals.episodes} social prescribing episodes ` +
      `(of ${totals.generated} referrals generated, over ${services.length} services) in ${seconds.toFixed(1)} s ` +
      `into ${db.connection.name}${db.embedded ? ' (embedded FerretDB)' : ''}.`,
  )

  const missStarted = performance.now()
  const misses = generateSyntheticSearchMisses({ seed, count: missCount, now })
  const missBar = progressBar('search misses {bar} {value}/{total}')
  missBar.start(misses.length, 0)
  let missesInserted = 0
  for (let i = 0; i < misses.length; i += batchSize) {
    missesInserted += await synthetic.insertSearchMisses(misses.slice(i, i + batchSize))
    missBar.update(Math.min(misses.length, i + batchSize))
  }
  missBar.stop()
  console.log(`Inserted ${missesInserted} search misses in ${((performance.now() - missStarted) / 1000).toFixed(1)} s.`)

  const factStarted = performance.now()
  const reports = createReportService({
    facts: createReportFactRepository(db.connection, undefined, { recreated: () => db.ensureIndexes() }),
    taxonomy: NEED_TAXONOMY,
  })
  const factBar = progressBar('report facts {bar} {value}/{total} {eta_formatted}')
  factBar.start(1, 0)
  const facts = await reports.rebuildFacts(({ done, total }) => {
    factBar.setTotal(total)
    factBar.update(done)
  })
  factBar.stop()
  console.log(`Rebuilt ${facts} report facts in ${((performance.now() - factStarted) / 1000).toFixed(1)} s.`)
})
