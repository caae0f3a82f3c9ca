// Imports Open Referral UK services into the configured database, then the app rebuilds its index at its next start.
//   npx tsx scripts/import-oruk.ts <api base url | file.json | csv package dir> [--source name] [--keep-ids]
//     [--review-status approved|pending] [--batch 500]
// Re-running updates what changed and duplicates nothing. Bad records are listed with where and why.
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { loadConfig } from '../server/config'
import { openDatabase } from '../server/data/db'
import { readCsvPackage } from '../server/data/oruk/oruk-csv'
import { readOrukApi, readOrukJsonFile } from '../server/data/oruk/oruk-sources'
import { createSearchIndex } from '../server/data/search/create-search-index'
import { createServices } from '../server/container'
import { configureLogger } from '../server/logger'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    source: { type: 'string' },
    'keep-ids': { type: 'boolean', default: false },
    'review-status': { type: 'string', default: 'approved' },
    batch: { type: 'string', default: '500' },
  },
})
const from = positionals[0]
const reviewStatus = values['review-status']
if (!from || (reviewStatus !== 'approved' && reviewStatus !== 'pending')) {
  console.error(
    'Usage: import-oruk <api base url | file.json | csv dir> [--source name] [--keep-ids] [--review-status approved|pending]',
  )
  process.exit(2)
}
const isUrl = /^https?:\/\//.test(from)
const records = isUrl
  ? readOrukApi(from)
  : fs.statSync(from).isDirectory()
    ? readCsvPackage(from)
    : readOrukJsonFile(from)

const config = loadConfig()
configureLogger('warn')
const db = await openDatabase({
  mongodbUri: config.mongodbUri,
  dataDir: config.dataDir,
  ferretdbBin: config.ferretdbBin,
})
try {
  const services = createServices({ config, db, search: createSearchIndex({}) })
  await services.demo.ensureTaxonomy()
  const bar = new cliProgress.SingleBar(
    { format: 'services {value} read {duration}s' },
    cliProgress.Presets.shades_classic,
  )
  bar.start(0, 0)
  const summary = await services.orukImport.importServices(records, {
    source: values.source ?? (isUrl ? from.replace(/\/+$/, '') : path.basename(path.resolve(from))),
    keepIds: values['keep-ids'],
    reviewStatus,
    batchSize: Number(values.batch),
    onProgress: (done) => bar.update(done),
  })
  bar.stop()
  const s = summary.services
  console.log(`Read ${summary.read} services from ${summary.source} in ${summary.seconds.toFixed(1)} s.`)
  console.log(`Services: ${s.created} new, ${s.updated} updated, ${s.unchanged} unchanged.`)
  console.log(`Organisations: ${summary.organizations.created} new, ${summary.organizations.updated} updated.`)
  console.log(`Locations: ${summary.locations.created} new, ${summary.locations.updated} updated.`)
  if (summary.unmappedTerms.length) {
    console.log(`Taxonomy terms kept but not mapped to ours (${summary.unmappedTerms.length}):`)
    for (const t of summary.unmappedTerms.slice(0, 50)) console.log(`  ${t.taxonomy}: ${t.name} (${t.count})`)
  }
  if (summary.problems.length) {
    console.log(`Not imported (${summary.problems.length}):`)
    for (const p of summary.problems) console.log(`  ${p.where}${p.id ? ` (id ${p.id})` : ''}: ${p.reason}`)
  }
  process.exitCode = summary.problems.length ? 1 : 0
} finally {
  await db.close()
}
