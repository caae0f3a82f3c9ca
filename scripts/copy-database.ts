// Copies the whole Loopwell database from one server to another, once: to move the embedded data to MongoDB Atlas,
// Azure Cosmos DB for MongoDB or any FerretDB, or to carry an old SQLite DATA_DIR over to the embedded engine.
//   npx tsx scripts/copy-database.ts --from <mongodb URI | embedded> --to <mongodb URI | embedded> [--batch 500]
//   npx tsx scripts/copy-database.ts --from-sqlite .data/db --to embedded
// "embedded" is the embedded engine on DATA_DIR (started for the copy; stop the app first). The database name is the
// URI's path, or "loopwell". Interrupted? Run the same command again: it resumes. It ends by comparing every
// collection's count and exits 1 if any differ. The app makes its own indexes when it next starts.
import crypto from 'node:crypto'
import path from 'node:path'
import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { loadConfig } from '../server/config'
import { copyDatabase } from '../server/data/copy-database'
import { DEFAULT_DB_NAME } from '../server/data/db'
import {
  startEmbeddedDatabase,
  startLegacySqliteDatabase,
  type EmbeddedDatabase,
} from '../server/data/embedded-db/embedded-db'
import { configureLogger } from '../server/logger'

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    'from-sqlite': { type: 'string' },
    to: { type: 'string' },
    batch: { type: 'string', default: '500' },
    help: { type: 'boolean', default: false },
  },
})
const usage =
  'Usage: copy-database (--from <mongodb URI | embedded> | --from-sqlite <old DATA_DIR/db>) --to <mongodb URI | embedded> [--batch <n>]'
const batchSize = Number(values.batch)
if (values.help || !values.to || Boolean(values.from) === Boolean(values['from-sqlite']) || !(batchSize >= 1)) {
  console.error(usage)
  process.exit(values.help ? 0 : 2)
}
if (values.from === values.to) {
  console.error('--from and --to are the same database')
  process.exit(2)
}

const config = loadConfig()
configureLogger('warn')
const engines: EmbeddedDatabase[] = []

/** A URI and database name for an argument; "embedded" starts the embedded engine on DATA_DIR. */
async function resolve(arg: string): Promise<{ uri: string; db: string; label: string }> {
  if (arg === 'embedded') {
    const engine = await startEmbeddedDatabase({
      binary: config.ferretdbBin,
      dataDir: config.dataDir,
      postgresBinDir: config.postgresBinDir,
      supervise: false,
    })
    engines.push(engine)
    return { uri: engine.uri, db: DEFAULT_DB_NAME, label: `embedded (${config.dataDir})` }
  }
  const name = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(arg)?.[1]
  return {
    uri: arg,
    db: name ? decodeURIComponent(name) : DEFAULT_DB_NAME,
    label: arg.replace(/\/\/[^@/]*@/, '//***@'),
  }
}

let code = 0
try {
  let source: { uri: string; db: string; label: string }
  if (values['from-sqlite']) {
    const legacy = await startLegacySqliteDatabase({ binary: config.ferretdbBin, sqliteDir: values['from-sqlite'] })
    engines.push(legacy)
    source = { uri: legacy.uri, db: DEFAULT_DB_NAME, label: `SQLite folder ${values['from-sqlite']}` }
  } else source = await resolve(values.from!)
  const target = await resolve(values.to)
  const key = crypto
    .createHash('sha1')
    .update(`${source.label}\0${source.db}\0${target.label}\0${target.db}`)
    .digest('hex')
  const stateFile = path.join(config.dataDir, `copy-state-${key.slice(0, 12)}.json`)
  console.log(`Copying ${source.label} (${source.db}) → ${target.label} (${target.db}); progress kept in ${stateFile}`)

  const bars = new cliProgress.MultiBar(
    { format: ' {collection} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  )
  let bar: cliProgress.SingleBar | undefined
  const result = await copyDatabase({
    fromUri: source.uri,
    fromDb: source.db,
    toUri: target.uri,
    toDb: target.db,
    batchSize,
    stateFile,
    onCollectionStart: (collection, total) => {
      bar?.stop()
      bar = bars.create(total, 0, { collection: collection.padEnd(24) })
    },
    onProgress: ({ copied }) => bar?.update(copied),
  })
  bars.stop()
  for (const c of result.collections)
    console.log(
      `${c.name.padEnd(28)} ${String(c.source).padStart(9)} → ${String(c.target).padStart(9)}${c.skipped ? ' (done before)' : ''}`,
    )
  if (result.mismatches.length) {
    console.error(`Counts differ: ${result.mismatches.join('; ')}. Run the same command again to resume.`)
    code = 1
  } else console.log('Done: every collection has the same count in both.')
} catch (error) {
  console.error(`The copy stopped: ${error instanceof Error ? error.message : String(error)}. Run it again to resume.`)
  code = 1
} finally {
  for (const engine of engines) await engine.stop()
}
process.exit(code)
