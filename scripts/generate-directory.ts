// Writes N synthetic services (with organisations and locations) into the configured database, deterministically
// from a seed, for the 10k and 100k benchmarks.
//   npx tsx scripts/generate-directory.ts --count 10000 --seed 42 [--batch 1000] [--replace]
// --replace first removes earlier synthetic records (origin 'synthetic'); demo and real listings are never touched.
import { parseArgs } from 'node:util'
import { generateSyntheticDirectory } from '../server/data/demo/generate'
import { createDirectoryRepository } from '../server/data/repositories/directory.repository'
import { NEED_TAXONOMY } from '../server/data/taxonomy'
import { withDatabase, progressBar } from './script-database'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '42' },
    batch: { type: 'string', default: '1000' },
    replace: { type: 'boolean', default: false },
  },
})
const count = Number(values.count)
const seed = Number(values.seed)
const batchSize = Number(values.batch)
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed) || !Number.isInteger(batchSize) || batchSize < 1) {
  console.error('Usage: generate-directory --count <n ≥ 1> --seed <integer> [--batch <n>] [--replace]')
  process.exit(2)
}

await withDatabase(async (db) => {
  // With the engine, --replace deletes each collection's synthetic rows in one statement (deleteByOrigin).
  const directory = createDirectoryRepository(db.connection, undefined, { engine: db.engineReader })
  await directory.ensureTaxonomy(NEED_TAXONOMY)
  if (values.replace) await directory.deleteByOrigin('synthetic')
  const bar = progressBar('services {bar} {value}/{total} {eta_formatted}')
  const started = performance.now()
  bar.start(count, 0)
  let inserted = 0
  for (const batch of generateSyntheticDirectory({ count, seed, now: new Date(), batchSize })) {
    await directory.insertAll(batch)
    inserted += batch.services.length
    bar.update(inserted)
  }
  bar.stop()
  const seconds = (performance.now() - started) / 1000
  console.log(
    `Inserted ${inserted} services in ${seconds.toFixed(1)} s (${Math.round(inserted / seconds)}/s) into ${db.connection.name}${db.embedded ? ' (embedded FerretDB)' : ''}.`,
  )
})
