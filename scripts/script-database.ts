// What the command-line scripts share: the configured database, opened around a script's work and closed after it
// (whatever happens), with only warnings logged; and a progress bar in one style.
import cliProgress from 'cli-progress'
import { loadConfig, type Config } from '../server/config'
import { databaseOptions, openDatabase, type Database } from '../server/data/db'
import { configureLogger } from '../server/logger'

export async function withDatabase<T>(work: (db: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig()
  configureLogger('warn')
  const db = await openDatabase(databaseOptions(config))
  try {
    return await work(db, config)
  } finally {
    await db.close()
  }
}

/** A bar with the given format (cli-progress tokens: {bar} {value} {total} {eta_formatted} {duration}). */
export function progressBar(format: string, options: cliProgress.Options = {}): cliProgress.SingleBar {
  return new cliProgress.SingleBar({ format, ...options }, cliProgress.Presets.shades_classic)
}
