// Process entry: config → database → search → services → app → listen, and a graceful shutdown on any exit path.
import type { Server } from 'node:http'
import { createApp } from './app'
import { ConfigError, loadConfig, type Config } from './config'
import { createServices } from './container'
import { databaseOptions, openDatabase, type Database } from './data/db'
import { createSearchIndex } from './data/search/create-search-index'
import type { SearchIndex } from './data/search/search-index'
import { createSessionStore } from './data/session-store'
import { configureLogger, createLogger } from './logger'
import { createDrain } from './web/middleware/drain'

const log = createLogger('main')
/** How long requests running at a SIGTERM may take to finish before their connections are cut. */
const GRACE_MS = 10_000

function loadConfigOrExit(): Config {
  try {
    return loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
    throw error
  }
}

async function main() {
  const config = loadConfigOrExit()
  configureLogger(config.logLevel)

  let db: Database | undefined
  let search: SearchIndex | undefined
  let server: Server | undefined
  let services: ReturnType<typeof createServices> | undefined
  let shuttingDown = false
  const timers: NodeJS.Timeout[] = []
  const drain = createDrain()

  const shutdown = async (reason: string, code: number) => {
    if (shuttingDown) return
    shuttingDown = true
    log.info({ reason }, 'shutting down')
    const force = setTimeout(() => {
      log.error('shutdown took too long; forcing exit')
      process.exit(code || 1)
    }, 15_000)
    force.unref()
    // Healthz says 503 from now, responses say Connection: close and new requests are refused (drain.ts).
    drain.start()
    timers.forEach(clearInterval)
    if (server) {
      // Still listening while requests already running finish (up to GRACE_MS), so a health check or a request on a
      // new connection meanwhile gets a 503 rather than a refused connection; then the remaining connections are cut.
      server.closeIdleConnections()
      let grace: NodeJS.Timeout | undefined
      await Promise.race([drain.idle(), new Promise<void>((resolve) => (grace = setTimeout(resolve, GRACE_MS)))])
      clearTimeout(grace)
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()))
      server.closeAllConnections()
      await closed
    }
    await services?.scheduler.idle(8_000)
    await services?.directory.searchMissesWritten()
    await services?.reports.factsWritten()
    await services?.accounts.settled()
    await search?.close().catch((error: unknown) => log.warn({ err: error }, 'closing search failed'))
    await db?.close()
    process.exit(code)
  }

  process.once('SIGINT', () => void shutdown('SIGINT', 0))
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0))
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception')
    void shutdown('uncaughtException', 1)
  })
  process.on('unhandledRejection', (error) => {
    log.fatal({ err: error }, 'unhandled rejection')
    void shutdown('unhandledRejection', 1)
  })

  try {
    db = await openDatabase({
      ...databaseOptions(config),
      // The engine died and could not be restarted: exit non-zero so an outside supervisor starts us again.
      onFatal: (error) => {
        log.fatal({ err: error }, 'database lost')
        void shutdown('database lost', 1)
      },
    })
    search = createSearchIndex({
      meili: config.meili,
      inWorker: config.searchInWorker,
      // The search worker stopped: as with the database, exit non-zero so the supervisor starts us again.
      onFatal: (error) => {
        log.fatal({ err: error }, 'search worker lost')
        void shutdown('search worker lost', 1)
      },
    })
    services = createServices({ config, db, search })
    await db.ensureIndexes()
    await services.startup()

    const sessionStore = createSessionStore(db.connection, Math.ceil(config.sessionAbsoluteMs / 1000))
    // Scheduled work (expired sessions, listing reminders…) runs on one instance at a time, through database leases,
    // and a run missed while every instance was down is caught up on the first tick.
    timers.push(services.scheduler.start(60_000))
    const app = createApp({ config, services, sessionStore, drain })
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host, () => resolve(s))
      s.once('error', reject)
    })
    server.keepAliveTimeout = 65_000
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : config.port
    const url = config.port === port ? config.publicUrl : `http://localhost:${port}`
    process.stdout.write(`\nLoopwell is running at ${url}\n`)
    if (config.demo) process.stdout.write(services.demoBanner())
    process.stdout.write('Press Ctrl-C to stop.\n\n')
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`Loopwell could not start: ${message}\n`)
    log.error({ err: error }, 'start failed')
    await shutdown('start failed', 1)
  }
}

void main()
