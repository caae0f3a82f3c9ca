import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'chai'
import { startEmbeddedDatabase } from '../../../server/data/embedded-db/embedded-db'
import { openDatabase } from '../../../server/data/db'
import { createHealthService } from '../../../server/services/health.service'

const BINARY = path.resolve('.cache/ferretdb/ferretdb-embedded')

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function until(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return check()
}

/** The PostgreSQL server's pid, from its pid file. */
function postgresPid(dir: string): number {
  return Number(fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0])
}

describe('The embedded database (PostgreSQL + FerretDB)', function () {
  this.timeout(120_000)
  let dir: string
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopwell-embedded-'))
    fs.chmodSync(dir, 0o755)
  })
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('keeps its data under the data folder, on loopback only, and stops leaving no process', async () => {
    const db = await openDatabase({ dataDir: dir, ferretdbBin: BINARY })
    await db.connection.collection('probe').insertOne({ hello: 'world' })
    expect(await db.ping()).to.equal(true)
    expect(fs.existsSync(path.join(dir, 'pg', 'PG_VERSION'))).to.equal(true)
    const pg = postgresPid(dir)
    const ferret = Number(
      execFileSync('pgrep', ['-f', `pgdata ${dir}/pg`])
        .toString()
        .trim()
        .split('\n')[0],
    )
    expect(alive(pg) && alive(ferret)).to.equal(true)
    const listening = execFileSync('ss', ['-ltnpH']).toString()
    for (const line of listening.split('\n').filter((l) => l.includes(`pid=${pg},`) || l.includes(`pid=${ferret},`)))
      expect(line).to.match(/127\.0\.0\.1:\d+/)
    await db.close()
    expect(await until(() => !alive(pg) && !alive(ferret))).to.equal(true)
  })

  it('runs PostgreSQL as an unprivileged user when the app is root', async function () {
    if (process.getuid?.() !== 0) this.skip()
    const db = await openDatabase({ dataDir: dir, ferretdbBin: BINARY })
    try {
      const status = fs.readFileSync(`/proc/${postgresPid(dir)}/status`, 'utf8')
      expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).to.not.equal('0')
    } finally {
      await db.close()
    }
  })

  it('keeps data across restarts', async () => {
    const first = await openDatabase({ dataDir: dir, ferretdbBin: BINARY })
    await first.connection.collection('probe').insertOne({ n: 1 })
    await first.close()
    const second = await openDatabase({ dataDir: dir, ferretdbBin: BINARY })
    expect(await second.connection.collection('probe').countDocuments()).to.equal(1)
    await second.close()
  })

  it('leaves no process when the app that started it is killed outright', async () => {
    const script = `
      import { startEmbeddedDatabase } from './server/data/embedded-db/embedded-db.ts'
      const db = await startEmbeddedDatabase({ binary: ${JSON.stringify(BINARY)}, dataDir: ${JSON.stringify(dir)} })
      process.stdout.write('PID ' + String(db.pid) + '\\n')
      setInterval(() => {}, 1000)
    `
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const childPid = await new Promise<number>((resolve, reject) => {
      let seen = ''
      parent.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString()
        const match = /^PID (\d+)$/m.exec(seen)
        if (match) resolve(Number(match[1]))
      })
      parent.once('exit', () => reject(new Error('parent exited early')))
    })
    const pg = postgresPid(dir)
    expect(alive(childPid) && alive(pg)).to.equal(true)
    parent.kill('SIGKILL')
    expect(await until(() => !alive(childPid) && !alive(pg))).to.equal(true)
  })

  it('restarts itself after PostgreSQL is killed, and the open connection serves again', async () => {
    const db = await openDatabase({ dataDir: dir, ferretdbBin: BINARY })
    try {
      await db.connection.collection('probe').insertOne({ before: true })
      process.kill(postgresPid(dir), 'SIGKILL')
      expect(await until(() => !db.available(), 10_000)).to.equal(true)
      expect(await until(() => db.available(), 60_000)).to.equal(true)
      await db.connection.collection('probe').insertOne({ after: true })
      expect(await db.connection.collection('probe').countDocuments()).to.equal(2)
    } finally {
      await db.close()
    }
  })

  it('gives up and says so when it cannot be restarted', async () => {
    const copy = path.join(dir, 'engine')
    fs.copyFileSync(BINARY, copy)
    fs.chmodSync(copy, 0o755)
    let fatal: Error | undefined
    const engine = await startEmbeddedDatabase({
      binary: copy,
      dataDir: dir,
      restartDelaysMs: [10, 10],
      onFatal: (error) => (fatal = error),
    })
    try {
      fs.rmSync(copy)
      process.kill(engine.pid!, 'SIGKILL')
      expect(await until(() => fatal !== undefined)).to.equal(true)
      expect(fatal!.message).to.match(/could not be restarted/)
    } finally {
      await engine.stop()
    }
  })

  it('explains how to build it when the binary is missing', async () => {
    let message = ''
    try {
      await startEmbeddedDatabase({ binary: path.join(dir, 'missing'), dataDir: dir })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).to.match(/npm run embedded-db:build/)
  })

  it('makes /healthz report the database as unavailable once it stops answering', async () => {
    const db = await openDatabase({ dataDir: dir, ferretdbBin: BINARY })
    const health = createHealthService({ pingDatabase: () => db.ping(), pingSearch: async () => true })
    expect((await health.check()).status).to.equal('ok')
    await db.close()
    expect(await health.check()).to.deep.equal({ status: 'unavailable', db: 'unavailable', search: 'ok' })
  })
})
