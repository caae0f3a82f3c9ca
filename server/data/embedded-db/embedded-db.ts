// Starts the embedded database (FerretDB v1, SQLite backend) as a child process on a free loopback port and stops it.
// The child also exits by itself when our process dies (it watches its stdin and sets PDEATHSIG), so nothing is left.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { MongoClient } from 'mongodb'
import { ServiceUnavailableError } from '../../errors'
import { createLogger } from '../../logger'

const log = createLogger('embedded-db')

export interface EmbeddedDatabase {
  /** mongodb://127.0.0.1:PORT/ — add a database name. */
  readonly uri: string
  readonly pid: number | undefined
  stop(): Promise<void>
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

async function waitUntilAnswering(uri: string, child: ChildProcess, deadline: number, stderr: () => string) {
  for (;;) {
    if (child.exitCode !== null) {
      throw new ServiceUnavailableError(`The embedded database exited at start (code ${child.exitCode}): ${stderr()}`)
    }
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 300, connectTimeoutMS: 300 })
    try {
      await client.connect()
      await client.db('admin').command({ ping: 1 })
      return
    } catch (error) {
      if (Date.now() > deadline) {
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

export async function startEmbeddedDatabase(options: {
  binary: string
  dataDir: string
  timeoutMs?: number
}): Promise<EmbeddedDatabase> {
  if (!fs.existsSync(options.binary)) {
    throw new ServiceUnavailableError(
      `The embedded database is not built (${options.binary} is missing). Run: npm run embedded-db:build — or set MONGODB_URI.`,
    )
  }
  const sqliteDir = path.join(options.dataDir, 'db')
  fs.mkdirSync(sqliteDir, { recursive: true })
  const port = await freePort()
  const child = spawn(options.binary, ['-listen', `127.0.0.1:${port}`, '-sqlite-dir', sqliteDir, '-watch-stdin'], {
    stdio: ['pipe', 'ignore', 'pipe'],
  })
  let stderrTail = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000)
  })
  // Keep the stdin pipe open: when our process ends for any reason, the pipe closes and the child exits.
  child.stdin?.on('error', () => undefined)
  const uri = `mongodb://127.0.0.1:${port}/`
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    await waitUntilAnswering(uri, child, Date.now() + (options.timeoutMs ?? 20_000), () => stderrTail.trim())
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  log.info({ port, pid: child.pid }, 'embedded database started')

  let stopping: Promise<void> | undefined
  return {
    uri,
    pid: child.pid,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
        await exited
        clearTimeout(timer)
        log.info('embedded database stopped')
      })()
      return stopping
    },
  }
}
