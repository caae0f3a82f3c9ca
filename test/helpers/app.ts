// Builds the real app on a real database (one per test file) and a real in-process search index.
import type { Express } from 'express'
import type { Connection } from 'mongoose'
import { createApp } from '../../server/app'
import { loadConfig, type Config } from '../../server/config'
import { createServices, type Services } from '../../server/container'
import { wrapConnection, type Database } from '../../server/data/db'
import { createSearchIndex } from '../../server/data/search/create-search-index'
import { createSessionStore } from '../../server/data/session-store'
import { useTestDatabase } from './database'
import { useSmtpServer, type TestSmtp } from './smtp'

export interface TestApp {
  app: Express
  services: Services
  config: Config
  /** The test file's database, for tests that check what was stored. */
  connection: Connection
}

/** `env` may be a function, read when the app is built (e.g. to point SMTP_URL at a server started in a hook). */
export function useTestApp(label: string, env: Record<string, string> | (() => Record<string, string>) = {}): TestApp {
  const database = useTestDatabase(label)
  const state: Partial<TestApp> & { db?: Database } = {}
  // After the database's own hook has dropped it: closes what the wrapper opened (the engine counter's pool).
  after(() => state.db?.close())
  before(async function () {
    this.timeout(60_000)
    const extra = typeof env === 'function' ? env() : env
    const config = loadConfig({
      NODE_ENV: 'test',
      DEMO: 'false',
      RATE_LIMIT_PER_MINUTE: '10000',
      AUTH_RATE_LIMIT_PER_15_MINUTES: '10000',
      // Demo mode's synthetic referrals for reports: only the report tests ask for them (the clock job would
      // otherwise work through hundreds of open referrals in every demo-mode test).
      DEMO_REPORT_REFERRALS: '0',
      ...extra,
    })
    // As an embedded deployment runs: with the engine's PostgreSQL, so whole-collection reads and list counts go
    // past FerretDB as they do there (engine-reads.ts, engine-pages.ts).
    const db = wrapConnection(database.connection, { postgresUrl: process.env.TEST_POSTGRES_URL })
    state.db = db
    const search = createSearchIndex({})
    const services = createServices({ config, db, search })
    await services.startup()
    const sessionStore = createSessionStore(database.connection, 3600)
    state.config = config
    state.services = services
    state.app = createApp({ config, services, sessionStore })
  })
  return {
    get app() {
      return state.app!
    },
    get services() {
      return state.services!
    },
    get config() {
      return state.config!
    },
    get connection() {
      return database.connection
    },
  }
}

/** The app with the demo data, sending its emails to an in-process SMTP server the test can read. */
export function useDemoAppWithMail(label: string, env: Record<string, string> = {}): TestApp & { smtp: TestSmtp } {
  const smtp = useSmtpServer()
  const t = useTestApp(label, () => ({ DEMO: 'true', SMTP_URL: smtp.url, PUBLIC_URL: 'http://loopwell.test', ...env }))
  return Object.assign(t, { smtp })
}
