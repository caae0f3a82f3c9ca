// SIGTERM on the app as a process (server/index.ts): a request running at the signal gets its answer, with
// Connection: close; health on a new connection answers 503 meanwhile; then the process exits 0.
import { spawn } from 'node:child_process'
import http from 'node:http'
import { expect } from 'chai'
import { testDatabaseUri, uniqueDbName } from '../helpers/database'
import { answer } from '../helpers/http-answer'

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

    const page = await answer(http.get(`${base}/forgot-password`))
    const cookie = String(page.headers['set-cookie']?.[0] ?? '').split(';')[0]!
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
    const body = new URLSearchParams({ _csrf, email: 'someone@example.org' }).toString()

    // Expect: 100-continue: the "continue" means the app has the request, so it is running when SIGTERM comes.
    const post = http.request(`${base}/forgot-password`, {
      method: 'POST',
      headers: {
        cookie,
        expect: '100-continue',
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': body.length,
      },
    })
    const running = answer(post)
    await new Promise((resolve) => post.once('continue', resolve))
    child.kill('SIGTERM')
    let health = 0
    for (let i = 0; i < 50 && health !== 503; i++) {
      health = (await answer(http.get(`${base}/healthz`)).catch(() => ({ status: -1 }))).status
    }
    expect(health).to.equal(503)
    post.end(body)
    const done = await running
    expect(done.status).to.equal(200)
    expect(done.headers.connection).to.equal('close')
    expect(await exited).to.equal(0)
  })
})
