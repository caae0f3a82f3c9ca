// Imports Open Referral UK services into the configured database (DATA_DIR or MONGODB_URI, as the app uses).
//   npx tsx scripts/import-oruk.ts <api base url | file.json | csv package dir> [options]   (--help for the options)
// Re-running updates what changed and duplicates nothing. Bad records are listed with where and why.
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { findServicesFile, readCsvPackage } from '../server/data/oruk/oruk-csv'
import { readOrukApi, readOrukJsonFile } from '../server/data/oruk/oruk-sources'
import { createSearchIndex } from '../server/data/search/create-search-index'
import { createServices } from '../server/container'
import { withDatabase, progressBar } from './script-database'

const USAGE = `Usage: npx tsx scripts/import-oruk.ts <source> [options]

Imports Open Referral UK (HSDS 3.0 UK profile) services into the database the app uses (DATA_DIR, or MONGODB_URI).

<source> is one of:
  an API's base URL     e.g. https://example.org/api/oruk (the address that answers /services)
  a JSON file           one service, an array of services, or a page ({ "contents": [...] })
  a CSV data package    a folder holding services.csv and the linked tables (as scripts/export-oruk.ts writes)

Options:
  --source NAME         names the feed in provenance and derived ids (default: the URL, or the file's name);
                        use the same name on every run of the same feed
  --keep-ids            use the publisher's UUIDs as ours (restoring our own export)
  --review-status S     approved (default) or pending (curators approve each listing)
  --batch N             services written per batch (default 500, measured best on the embedded database)
  -h, --help            this text

Re-running updates what changed and creates nothing twice. Restart the app afterwards so its search index
includes the import.`

function fail(message: string, code = 1): never {
  console.error(message)
  process.exit(code)
}

let parsed: ReturnType<typeof parseArguments>
function parseArguments() {
  return parseArgs({
    allowPositionals: true,
    options: {
      source: { type: 'string' },
      'keep-ids': { type: 'boolean', default: false },
      'review-status': { type: 'string', default: 'approved' },
      batch: { type: 'string', default: '500' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
}
try {
  parsed = parseArguments()
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`, 2)
}
const { values, positionals } = parsed
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
const from = positionals[0]
const reviewStatus = values['review-status']
const batchSize = Number(values.batch)
if (!from || positionals.length > 1) fail(USAGE, 2)
if (reviewStatus !== 'approved' && reviewStatus !== 'pending') {
  fail(`--review-status must be approved or pending, not "${reviewStatus}"`, 2)
}
if (!Number.isInteger(batchSize) || batchSize < 1)
  fail(`--batch must be a whole number above 0, not "${values.batch}"`, 2)

const isUrl = /^https?:\/\//i.test(from)
let isDir = false
if (!isUrl) {
  if (!fs.existsSync(from)) {
    fail(
      `No file or folder at ${path.resolve(from)}. Give an API base URL (http:// or https://), a JSON file or a CSV package folder.`,
    )
  }
  isDir = fs.statSync(from).isDirectory()
  if (isDir && !findServicesFile(from))
    fail(`${path.resolve(from)} is a folder without services.csv: not a CSV data package.`)
}
const records = isUrl ? readOrukApi(from) : isDir ? readCsvPackage(from) : readOrukJsonFile(from)

await withDatabase(async (db, config) => {
  try {
    const services = createServices({ config, db, search: createSearchIndex({}) })
    await services.demo.ensureTaxonomy()
    const bar = progressBar('services read {value} | {duration}s', { fps: 2 })
    bar.start(0, 0)
    const summary = await services.orukImport
      .importServices(records, {
        source: values.source ?? (isUrl ? from.replace(/\/+$/, '') : path.basename(path.resolve(from))),
        keepIds: values['keep-ids'],
        reviewStatus,
        batchSize,
        onProgress: (done) => bar.update(done),
      })
      .finally(() => bar.stop())
    const s = summary.services
    const peakMb = Math.round(process.resourceUsage().maxRSS / 1024)
    console.log(
      `Read ${summary.read} services from ${summary.source} in ${summary.seconds.toFixed(1)} s (peak memory ${peakMb} MB).`,
    )
    console.log(`Services: ${s.created} new, ${s.updated} updated, ${s.unchanged} unchanged.`)
    console.log(`Organisations: ${summary.organizations.created} new, ${summary.organizations.updated} updated.`)
    console.log(`Locations: ${summary.locations.created} new, ${summary.locations.updated} updated.`)
    if (summary.unmappedTerms.length) {
      console.log(
        `Taxonomy terms kept but not mapped to our needs (${summary.unmappedTerms.length}; add rows to ` +
          'server/data/oruk/oruk-taxonomy-map.ts and import again to map them):',
      )
      for (const t of summary.unmappedTerms.slice(0, 50)) console.log(`  ${t.taxonomy}: ${t.name} (${t.count})`)
      if (summary.unmappedTerms.length > 50) console.log(`  … and ${summary.unmappedTerms.length - 50} more`)
    }
    if (summary.problems.length) {
      console.log(`Not imported (${summary.problems.length}):`)
      for (const p of summary.problems) console.log(`  ${p.where}${p.id ? ` (id ${p.id})` : ''}: ${p.reason}`)
    }
    process.exitCode = summary.problems.length ? 1 : 0
  } catch (error) {
    // A source that cannot be read at all (unreachable URL, not JSON, …): say so plainly, without a stack trace.
    const reasons: string[] = []
    for (let e: unknown = error; e instanceof Error && reasons.length < 4; e = e.cause) reasons.push(e.message)
    console.error(`\nImport stopped: ${reasons.join(': ')}`)
    console.error('Services written before it stopped are kept; running the import again carries on safely.')
    process.exitCode = 1
  }
})
