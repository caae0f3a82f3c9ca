// The app as a process, as `npm start` runs it: embedded defaults, health, Ctrl-C, and refusing to start when wrong.
import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'chai'
import { heldFormPost } from '../helpers/http-answer'

interface Started {
  code: number | null
  stdout: string
  stderr: string
}

/** The node flags `npm start` gives (package.json), so this is the process a deployment runs. */
const START_FLAGS = (
  JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(' ')
  .filter((word) => word.startsWith('--') && word !== '--import')

/** Runs the app; once it is ready, `onReady`, then Ctrl-C (unless `onReady` gives it itself: `ctrlC: false`). */
function runApp(
  env: Record<string, string>,
  onReady?: (url: string, pid: number) => Promise<void>,
  { ctrlC = true } = {},
): Promise<Started> {
  const child = spawn(process.execPath, [...START_FLAGS, '--import', 'tsx', 'server/index.ts'], {
    env: { ...process.env, LOG_LEVEL: 'warn', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, as a terminal gives the command it runs: Ctrl-C signals the whole group.
    detached: true,
  })
  let stdout = ''
  let stderr = ''
  let readyHandled = false
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  return new Promise((resolve) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
      const url = /running at (http:\/\/\S+)/.exec(stdout)?.[1]
      if (url && onReady && !readyHandled) {
        readyHandled = true
        void onReady(url, child.pid!).finally(() => ctrlC && ctrlCTo(child.pid!))
      }
    })
    child.once('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

/** As Ctrl-C in a terminal: SIGINT to every process of the group, the app's children included. */
function ctrlCTo(pid: number): void {
  process.kill(-pid, 'SIGINT')
}

/** The embedded engine's processes for this data folder: FerretDB's wrapper and the PostgreSQL server. */
function ferretdbPids(dataDir: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', `${dataDir}/pg`])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number)
  } catch {
    return []
  }
}

describe('The app process', function () {
  this.timeout(120_000)
  let dataDir: string
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopwell-process-'))
  })
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }))

  it('starts on the embedded defaults with demo data, answers /healthz, and leaves no database behind on Ctrl-C', async () => {
    let health: unknown
    let home = 0
    let pidsWhileRunning: number[] = []
    const result = await runApp({ DATA_DIR: dataDir, DEMO: 'true' }, async (url) => {
      health = await (await fetch(`${url}/healthz`)).json()
      home = (await fetch(`${url}/services?q=walking`)).status
      pidsWhileRunning = ferretdbPids(dataDir)
    })
    expect(health).to.deep.equal({ status: 'ok', db: 'ok', search: 'ok' })
    expect(home).to.equal(200)
    expect(result.stdout).to.match(/Loopwell is running at http:\/\/localhost:\d+/)
    expect(result.stdout).to.match(/Demo mode/)
    expect(result.code).to.equal(0)
    // The database outlives the app's own shutdown (which still writes) and is stopped by it, not by the Ctrl-C.
    expect(result.stdout).to.not.match(/stopped unexpectedly|"level":50/)
    expect(pidsWhileRunning).to.have.length(2)
    expect(ferretdbPids(dataDir)).to.deep.equal([])
  })

  it('finishes a request running at Ctrl-C, writing to its database, and only then stops the database', async () => {
    let status = 0
    const result = await runApp(
      { DATA_DIR: dataDir, DEMO: 'false' },
      async (url, pid) => {
        // The app has the request, and it is running, at the Ctrl-C.
        const held = await heldFormPost(url.replace('localhost', '127.0.0.1'))
        ctrlCTo(pid)
        // Longer than the engine takes to stop when a Ctrl-C reaches it (about 3 s): it must not have.
        await new Promise((resolve) => setTimeout(resolve, 5000))
        held.send()
        status = (await held.answered).status
      },
      { ctrlC: false },
    )
    expect(status).to.equal(200)
    expect(result.code).to.equal(0)
    expect(result.stdout).to.not.match(/stopped unexpectedly|"level":50/)
    expect(ferretdbPids(dataDir)).to.deep.equal([])
  })

  it('answers "try again shortly" at once while its database restarts, then serves again by itself', async () => {
    const seen: { status: number; ms: number; body: string }[] = []
    const before: number[] = []
    let healthDuring = 0
    let after = 0
    const result = await runApp({ DATA_DIR: dataDir, DEMO: 'false' }, async (url) => {
      const postmaster = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0])
      process.kill(postmaster, 'SIGKILL')
      // The engine notices at once; requests arriving until it is back are answered quickly with 503. Requests are
      // sent every 25 ms without waiting for each other, so one held up in the driver cannot hide the window.
      // A request already inside the database at the instant PostgreSQL dies is not judged; every request sent once the
      // app has noticed (after the first 503 arrives) must be answered with 503 or, once the engine is back, 200.
      const pending: Promise<void>[] = []
      let unavailableSeen = false
      for (let i = 0, after503 = 0; i < 400 && after503 < 20; i++) {
        const started = Date.now()
        const noticed = unavailableSeen
        if (noticed) after503++
        pending.push(
          fetch(`${url}/services?q=walking`).then(async (response) => {
            const entry = { status: response.status, ms: Date.now() - started, body: await response.text() }
            if (noticed) seen.push(entry)
            else before.push(entry.status)
            if (response.status === 503 && !unavailableSeen) {
              unavailableSeen = true
              seen.push(entry)
              healthDuring = (await fetch(`${url}/healthz`)).status
            }
          }),
        )
        await new Promise((r) => setTimeout(r, 25))
      }
      await Promise.all(pending)
      for (let i = 0; i < 120 && after !== 200; i++) {
        await new Promise((r) => setTimeout(r, 500))
        after = (await fetch(`${url}/services?q=walking`)).status
      }
    })
    const unavailable = seen.find((s) => s.status === 503)
    expect(unavailable, JSON.stringify(before)).to.not.equal(undefined)
    expect(unavailable!.body).to.include('Try again shortly')
    expect(seen.map((s) => s.status).filter((s) => s !== 200 && s !== 503)).to.deep.equal([])
    expect(healthDuring).to.equal(503)
    expect(after).to.equal(200)
    expect(result.code).to.equal(0)
    expect(ferretdbPids(dataDir)).to.deep.equal([])
  })

  it('refuses to start with a bad setting, naming the variable', async () => {
    const result = await runApp({ DATA_DIR: dataDir, PORT: 'not-a-port' })
    expect(result.code).to.equal(1)
    expect(result.stderr).to.match(/PORT/)
  })

  it('refuses to start with a clear message when the database cannot be reached', async () => {
    const result = await runApp({ MONGODB_URI: 'mongodb://127.0.0.1:1/loopwell' })
    expect(result.code).to.equal(1)
    expect(result.stderr).to.match(
      /Loopwell could not start: Could not connect to the database at mongodb:\/\/127\.0\.0\.1:1/,
    )
  })
})
