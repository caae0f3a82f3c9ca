// SIGTERM on the app as a process (server/index.ts): a request running at the signal gets its answer, with
// Connection: close; health on a new connection answers 503 meanwhile; then the process exits 0.
import { spawn } from 'node:child_process'
import http from 'node:http'
import { expect } from 'chai'
import { testDatabaseUri, uniqueDbName } from '../helpers/database'
import { answer, heldFormPost } from '../helpers/http-answer'

describe('Stopping the app process', function () {
  this.timeout(180_000)

  it('drains on SIGTERM: the running request finishes, health says 503, the process exits 0', async () => {
    const uri = new URL(testDatabaseUri())
    uri.pathname = `/${uniqueDbName('shutdown')}`
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      env: { ...process.env, LOG_LEVEL: 'warn', PORT: '0', DEMO: 'false', MONGODB_URI: uri.toString() },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    let stdout = ''
    const base = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString()
        const url = /running at (http:\/\/\S+)/.exec(stdout)?.[1]
        if (url) resolve(url.replace('localhost', '127.0.0.1'))
      })
      void exited.then(() => reject(new Error(`the app exited before it was ready: ${stdout}`)))
    })

    // The app has the request, and it is running, when SIGTERM comes.
    const held = await heldFormPost(base)
    child.kill('SIGTERM')
    let health = 0
    for (let i = 0; i < 50 && health !== 503; i++) {
      health = (await answer(http.get(`${base}/healthz`)).catch(() => ({ status: -1 }))).status
    }
    expect(health).to.equal(503)
    held.send()
    const done = await held.answered
    expect(done.status).to.equal(200)
    expect(done.headers.connection).to.equal('close')
    expect(await exited).to.equal(0)
  })
})
