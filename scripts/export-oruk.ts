// Writes the public directory as the HSDS 3.0 / Open Referral UK CSV data package.
//   npx tsx scripts/export-oruk.ts <output dir>
import { writeCsvPackage } from '../server/data/oruk/oruk-csv'
import { createSearchIndex } from '../server/data/search/create-search-index'
import { createServices } from '../server/container'
import { withDatabase } from './script-database'

const dir = process.argv[2]
if (!dir) {
  console.error('Usage: export-oruk <output dir>')
  process.exit(2)
}
await withDatabase(async (db, config) => {
  const services = createServices({ config, db, search: createSearchIndex({}) })
  const started = performance.now()
  const count = await writeCsvPackage(dir, services.oruk.exportViews(), await services.directory.taxonomy())
  console.log(`Wrote ${count} services to ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s.`)
})
