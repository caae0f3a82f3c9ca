// Import of N generated services through the CSV data package into a fresh database, as a user runs it: the package
// is written first, then scripts/import-oruk.ts runs as a child process, so its time and peak memory are the import's
// own (the child's maximum resident set size, as the kernel counts it).
// Called from scripts/bench.ts; also runnable alone (starts an embedded database when no URI is given):
//   npx tsx scripts/bench/oruk-bench.ts [count] [mongodb uri] [batch]
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { connect } from '../../server/data/db'
import type { LocationRecord, OrganizationRecord, ServiceView } from '../../server/domain/directory-records'
import { generateSyntheticDirectory } from '../../server/data/demo/generate'
import { startEmbeddedDatabase } from '../../server/data/embedded-db/embedded-db'
import { writeCsvPackage } from '../../server/data/oruk/oruk-csv'
import { NEED_TAXONOMY } from '../../server/data/taxonomy'

const ROOT = path.resolve(import.meta.dirname, '../..')

async function writePackage(dir: string, services: number): Promise<number> {
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
  return writeCsvPackage(dir, views(), NEED_TAXONOMY)
}

/** Runs the import script on `dir` into database `dbName` at `uri`; resolves with its output. */
function runImport(uri: string, dbName: string, dir: string, batch: number): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/import-oruk.ts', dir, '--source', 'bench', '--batch', String(batch)],
    {
      cwd: ROOT,
      env: { ...process.env, MONGODB_URI: `${uri.replace(/\/$/, '')}/${dbName}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`import exited ${code}:\n${out}`))))
  })
}

export async function benchOrukImport(uri: string, services = 100_000, options: { batch?: number } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oruk-bench-'))
  const dbName = `bench_oruk_${Date.now()}`
  try {
    await writePackage(dir, services)
    const packageMb = fs.readdirSync(dir).reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0) / 1048576
    const started = performance.now()
    const out = await runImport(uri, dbName, dir, options.batch ?? 500)
    const wallSeconds = (performance.now() - started) / 1000
    const read = /Read (\d+) services from .* in ([\d.]+) s \(peak memory (\d+) MB\)/.exec(out)
    const created = /Services: (\d+) new/.exec(out)
    if (!read || !created) throw new Error(`unexpected import output:\n${out}`)
    const seconds = Number(read[2])
    return {
      services: Number(created[1]),
      problems: /Not imported \((\d+)\)/.exec(out) ? Number(/Not imported \((\d+)\)/.exec(out)![1]) : 0,
      packageMb: Math.round(packageMb),
      batch: options.batch ?? 500,
      /** The import itself, as the script reports it. */
      seconds,
      servicesPerSecond: Math.round(Number(read[1]) / seconds),
      /** The whole child process: start, database connection, taxonomy, import. */
      wallSeconds: Math.round(wallSeconds * 10) / 10,
      peakRssMb: Number(read[3]),
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
    const connection = await connect(uri, dbName)
    await connection.dropDatabase().catch(() => undefined)
    await connection.close()
  }
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const [count, givenUri, batch] = process.argv.slice(2)
  const dataDir = givenUri ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'oruk-bench-db-'))
  const embedded = dataDir
    ? await startEmbeddedDatabase({ binary: path.join(ROOT, '.cache/ferretdb/ferretdb-embedded'), dataDir })
    : null
  try {
    const result = await benchOrukImport(givenUri || embedded!.uri, Number(count ?? 100_000), {
      batch: batch ? Number(batch) : undefined,
    })
    console.log(JSON.stringify(result))
  } finally {
    await embedded?.stop()
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
