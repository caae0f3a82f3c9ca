// Opens the database: the server at MONGODB_URI when set, or else the embedded FerretDB, started and owned by us.
import mongoose, { type Connection } from 'mongoose'
import { ServiceUnavailableError } from '../errors'
import { createLogger } from '../logger'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-db/embedded-db'

const log = createLogger('db')

export interface Database {
  readonly connection: Connection
  readonly embedded: boolean
  ping(): Promise<boolean>
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

export async function openDatabase(options: {
  mongodbUri?: string
  dataDir: string
  ferretdbBin: string
  dbName?: string
}): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined
  let uri = options.mongodbUri
  if (!uri) {
    embedded = await startEmbeddedDatabase({ binary: options.ferretdbBin, dataDir: options.dataDir })
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
  return wrapConnection(connection, embedded)
}

/** A Database over an open connection; closing it also stops the embedded server when we own one. */
export function wrapConnection(connection: Connection, embedded?: EmbeddedDatabase): Database {
  return {
    connection,
    embedded: Boolean(embedded),
    async ping() {
      try {
        await connection.db?.admin().command({ ping: 1 })
        return true
      } catch {
        return false
      }
    },
    async close() {
      await connection.close().catch((error: unknown) => log.warn({ err: error }, 'closing the database failed'))
      await embedded?.stop()
    },
  }
}
