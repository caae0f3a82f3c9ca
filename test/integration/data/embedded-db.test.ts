import { spawn } from 'node:child_process'
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

async function waitUntilGone(pid: number, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (!alive(pid)) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return !alive(pid)
}

describe('The embedded database', () => {
  let dir: string
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopwell-embedded-'))
  })
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('starts on a free loopback port, keeps data under the data folder, and stops leaving no process', async () => {
    const db = await openDatabase({ dataDir: dir, ferretdbBin: BINARY })
    const pid = (await import('node:child_process')).execSync(`pgrep -f "sqlite-dir ${dir}/db"`).toString().trim()
    await db.connection.collection('probe').insertOne({ hello: 'world' })
    expect(await db.ping()).to.equal(true)
    expect(fs.readdirSync(path.join(dir, 'db')).some((f) => f.endsWith('.sqlite'))).to.equal(true)
    await db.close()
    expect(await waitUntilGone(Number(pid))).to.equal(true)
  })

  it('keeps data across restarts', async () => {
    const first = await openDatabase({ dataDir: dir, ferretdbBin: BINARY })
    await first.connection.collection('probe').insertOne({ n: 1 })
    await first.close()
    const second = await openDatabase({ dataDir: dir, ferretdbBin: BINARY })
    expect(await second.connection.collection('probe').countDocuments()).to.equal(1)
    await second.close()
  })

  it('exits by itself when the process that started it is killed outright', async () => {
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
    expect(alive(childPid)).to.equal(true)
    parent.kill('SIGKILL')
    expect(await waitUntilGone(childPid)).to.equal(true)
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
