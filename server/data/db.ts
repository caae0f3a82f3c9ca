// Opens the database: the server at MONGODB_URI when set, or else the embedded engine (PostgreSQL + FerretDB),
// started, supervised and owned by us.
import mongoose, { type Connection } from 'mongoose'
import type { Config } from '../config'
import { ServiceUnavailableError } from '../errors'
import { createLogger } from '../logger'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-db/embedded-db'
import { declaredIndexFields, ensureEngineIndexes, EXTRA_INDEXED_FIELDS } from './embedded-db/engine-indexes'
import { createEnginePager } from './embedded-db/engine-pages'
import { createEngineReader, type EngineReader } from './embedded-db/engine-reads'
import { setBucketCounter, setEnginePager } from './repositories/month-pages'

const log = createLogger('db')

export interface Database {
  readonly connection: Connection
  readonly embedded: boolean
  ping(): Promise<boolean>
  /** Cheap, no round trip: false while the embedded engine is down or the driver has lost the server. */
  available(): boolean
  /**
   * Builds the indexes the models declare, and, on a FerretDB-over-PostgreSQL engine we can reach, the PostgreSQL
   * indexes its queries need. Call after the models are created; safe to call again (new collections get theirs).
   */
  ensureIndexes(): Promise<void>
  /** Whole-collection reads straight from the engine's PostgreSQL, when it is FerretDB over one we can reach. */
  readonly engineReader: EngineReader | null
  close(): Promise<void>
}

export const DEFAULT_DB_NAME = 'loopwell'

/** Connects mongoose to a URI (our own Connection, never the global one) with sensible pool and timeouts. */
export async function connect(uri: string, dbName?: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    maxPoolSize: 20,
    minPoolSize: 1,
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    socketTimeoutMS: 30_000,
    heartbeatFrequencyMS: 2_000,
    autoIndex: true,
  })
  try {
    await connection.asPromise()
  } catch (error) {
    await connection.close().catch(() => undefined)
    const where = uri.replace(/\/\/[^@/]*@/, '//***@')
    throw new ServiceUnavailableError(`Could not connect to the database at ${where}`, { cause: error })
  }
  return connection
}

/** The database settings from config, as every entry point (the app and each script) opens the database with. */
export function databaseOptions(
  config: Pick<Config, 'mongodbUri' | 'dataDir' | 'ferretdbBin' | 'postgresBinDir' | 'ferretdbPostgresUrl'>,
) {
  const { mongodbUri, dataDir, ferretdbBin, postgresBinDir, ferretdbPostgresUrl } = config
  return { mongodbUri, dataDir, ferretdbBin, postgresBinDir, ferretdbPostgresUrl }
}

export async function openDatabase(options: {
  mongodbUri?: string
  dataDir: string
  ferretdbBin: string
  postgresBinDir?: string
  /** A FerretDB deployment's PostgreSQL, so that its indexes are made too (optional). */
  ferretdbPostgresUrl?: string
  dbName?: string
  /** The embedded engine died and could not be restarted. */
  onFatal?: (error: Error) => void
}): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined
  let uri = options.mongodbUri
  if (!uri) {
    embedded = await startEmbeddedDatabase({
      binary: options.ferretdbBin,
      dataDir: options.dataDir,
      postgresBinDir: options.postgresBinDir,
      onFatal: options.onFatal,
    })
    uri = embedded.uri
  }
  let connection: Connection
  try {
    // A name in the URI path wins; otherwise ours.
    const hasName = /^mongodb(\+srv)?:\/\/[^/]+\/[^?]+/.test(uri)
    connection = await connect(uri, hasName ? undefined : (options.dbName ?? DEFAULT_DB_NAME))
  } catch (error) {
    await embedded?.stop()
    throw error
  }
  log.info({ embedded: Boolean(embedded), db: connection.name }, 'database connected')
  return wrapConnection(connection, { embedded, postgresUrl: embedded?.postgresUrl ?? options.ferretdbPostgresUrl })
}

/** A Database over an open connection; closing it also stops the embedded server when we own one. */
export function wrapConnection(
  connection: Connection,
  engine: { embedded?: EmbeddedDatabase; postgresUrl?: string } = {},
): Database {
  const { embedded, postgresUrl } = engine
  // With the engine's PostgreSQL in reach, lists page in it (engine-pages.ts) and count their months and days there.
  const pager = postgresUrl ? createEnginePager({ postgresUrl, database: connection.name }) : null
  if (pager) {
    setEnginePager(connection, pager)
    setBucketCounter(connection, (collection, match, field) => pager.countBy({ collection, match }, field))
  }
  return {
    connection,
    embedded: Boolean(embedded),
    engineReader: postgresUrl ? createEngineReader({ postgresUrl, database: connection.name }) : null,
    async ping() {
      try {
        await connection.db?.admin().command({ ping: 1 })
        return true
      } catch {
        return false
      }
    },
    available() {
      if (embedded && !embedded.isUp()) return false
      return connection.readyState === mongoose.ConnectionStates.connected
    },
    async ensureIndexes() {
      // Every collection is made now (the models' by init, the session store's here), so the engine indexes are made
      // once at start rather than again after first use.
      await Promise.all(Object.values(connection.models).map((model) => model.init()))
      const existing = new Set((await connection.listCollections()).map((c) => c.name))
      for (const name of Object.keys(EXTRA_INDEXED_FIELDS))
        if (!existing.has(name)) await connection.createCollection(name)
      if (postgresUrl)
        await ensureEngineIndexes({ postgresUrl, database: connection.name, fields: declaredIndexFields(connection) })
    },
    async close() {
      await pager?.close().catch(() => undefined)
      await connection.close().catch((error: unknown) => log.warn({ err: error }, 'closing the database failed'))
      await embedded?.stop()
    },
  }
}
