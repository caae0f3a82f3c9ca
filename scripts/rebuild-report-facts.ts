// Rebuilds the report facts (one de-identified document per referral and signposting) from the referrals and
// signpostings in the configured database, with a progress bar. Run it after writing referrals in bulk (e.g.
// scripts/generate-referrals.ts) or to repair facts a failed write left behind.
//   npx tsx scripts/rebuild-report-facts.ts
import { createReportFactRepository } from '../server/data/repositories/report-fact.repository'
import { NEED_TAXONOMY } from '../server/data/taxonomy'
import { createReportService } from '../server/services/reports/report.service'
import { withDatabase, progressBar } from './script-database'

await withDatabase(async (db, config) => {
  const reports = createReportService({
    facts: createReportFactRepository(db.connection, undefined, { recreated: () => db.ensureIndexes() }),
    taxonomy: NEED_TAXONOMY,
    targets: config.referralClocks,
  })
  const bar = progressBar('report facts {bar} {value}/{total} {eta_formatted}')
  const started = performance.now()
  let begun = false
  const built = await reports.rebuildFacts(({ done, total }) => {
    if (!begun) {
      bar.start(total, done)
      begun = true
    } else {
      bar.setTotal(total)
      bar.update(done)
    }
  })
  bar.stop()
  // The month packs a start reads instead of every fact.
  await reports.packsWritten()
  console.log(
    `Rebuilt ${built} report facts in ${((performance.now() - started) / 1000).toFixed(1)} s ` +
      `in ${db.connection.name}${db.embedded ? ' (embedded FerretDB)' : ''}.`,
  )
})
