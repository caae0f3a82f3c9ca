// One embedded database for the whole test run (mocha global fixtures), and a fresh database name per test file.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Connection } from 'mongoose'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/data/embedded-db/embedded-db'
import { connect } from '../../server/data/db'
import { checkLogs } from './log-guard'

let embedded: EmbeddedDatabase | undefined
let tmpDir: string | undefined

const BINARY = path.resolve('.cache/ferretdb/ferretdb-embedded')

/** mocha global setup: start the embedded database unless TEST_MONGODB_URI points at one already. */
export async function mochaGlobalSetup() {
  if (process.env.TEST_MONGODB_URI) return
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopwell-test-'))
  // As root, PostgreSQL runs as an unprivileged user, which must be able to reach its folder.
  fs.chmodSync(tmpDir, 0o755)
  // Throwaway data: no fsync, for speed on a busy machine.
  embedded = await startEmbeddedDatabase({ binary: BINARY, dataDir: tmpDir, fsync: false })
  process.env.TEST_MONGODB_URI = embedded.uri
  process.env.TEST_POSTGRES_URL = embedded.postgresUrl
}

export async function mochaGlobalTeardown() {
  await embedded?.stop()
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true })
}

export function testDatabaseUri(): string {
  const uri = process.env.TEST_MONGODB_URI
  if (!uri)
    throw new Error(
      'TEST_MONGODB_URI is not set: run this test in a lane whose mocha config requires test/helpers/database.ts',
    )
  return uri
}

/** A database name unique to this test file and run, so files never see each other's data. */
export function uniqueDbName(label: string): string {
  const slug = label.replace(/[^a-z0-9]+/gi, '_').slice(-30)
  return `t_${slug}_${crypto.randomBytes(3).toString('hex')}`
}

/** Opens a connection to a fresh database for this file; dropped and closed after the file's tests. */
export function useTestDatabase(label: string): { readonly connection: Connection } {
  const state: { connection?: Connection } = {}
  before(async function () {
    this.timeout(20_000)
    state.connection = await connect(testDatabaseUri(), uniqueDbName(label))
  })
  after(async function () {
    this.timeout(60_000)
    try {
      // Before the data goes: the lines this file logged must hold none of it (a no-op where no guard is required).
      await checkLogs(state.connection)
    } finally {
      await state.connection?.dropDatabase().catch(() => undefined)
      await state.connection?.close()
    }
  })
  return {
    get connection() {
      if (!state.connection) throw new Error('useTestDatabase: the connection is only available inside tests')
      return state.connection
    },
  }
}
