// Import of N generated services through the CSV data package into a fresh database: seconds and peak RSS.
// Called from scripts/bench.ts; also runnable alone: npx tsx scripts/bench/oruk-bench.ts <mongodb uri> [count]
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../../server/config'
import { createServices } from '../../server/container'
import { connect, wrapConnection } from '../../server/data/db'
import type { LocationRecord, OrganizationRecord, ServiceView } from '../../server/data/directory-records'
import { generateSyntheticDirectory } from '../../server/data/demo/generate'
import { readCsvPackage, writeCsvPackage } from '../../server/data/oruk/oruk-csv'
import { createSearchIndex } from '../../server/data/search/create-search-index'
import { NEED_TAXONOMY } from '../../server/data/taxonomy'

export async function benchOrukImport(uri: string, services = 100_000) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oruk-bench-'))
  async function* views(): AsyncGenerator<ServiceView[]> {
    const orgs = new Map<string, OrganizationRecord>()
    const locations = new Map<string, LocationRecord>()
    for (const batch of generateSyntheticDirectory({ count: services, seed: 7, now: new Date(), batchSize: 1000 })) {
      for (const o of batch.organizations) orgs.set(o.id, { ...o, review_status: 'approved' })
      for (const l of batch.locations) locations.set(l.id, l)
      yield batch.services.map((s) => ({
        service: { ...s, review_status: 'approved' as const, status: 'active' as const },
        organization: orgs.get(s.organization_id)!,
        locations: s.service_at_locations.map((x) => locations.get(x.location_id)!).filter(Boolean),
      }))
    }
  }
  await writeCsvPackage(dir, views(), NEED_TAXONOMY)
  const connection = await connect(uri, `bench_oruk_${Date.now()}`)
  try {
    const app = createServices({
      config: loadConfig({ NODE_ENV: 'test', DEMO: 'false' }),
      db: wrapConnection(connection),
      search: createSearchIndex({}),
    })
    await app.demo.ensureTaxonomy()
    let peak = process.memoryUsage().rss
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200)
    const started = performance.now()
    const summary = await app.orukImport.importServices(readCsvPackage(dir), { source: 'bench', batchSize: 1000 })
    const seconds = (performance.now() - started) / 1000
    clearInterval(timer)
    peak = Math.max(peak, process.memoryUsage().rss)
    return {
      services: summary.services.created,
      problems: summary.problems.length,
      seconds: Math.round(seconds * 10) / 10,
      peakRssMb: Math.round(peak / 1048576),
    }
  } finally {
    await connection.dropDatabase().catch(() => undefined)
    await connection.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const [uri, count] = process.argv.slice(2)
  console.log(await benchOrukImport(uri ?? 'mongodb://127.0.0.1:27017', Number(count ?? 100_000)))
}
