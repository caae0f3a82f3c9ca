// Graceful shutdown's drain on the real app and a real HTTP server: a request already running when the drain starts
// finishes with its answer (and Connection: close); health answers 503 at once; a new request is refused, not served.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect } from 'chai'
import * as cheerio from 'cheerio'
import { createApp } from '../../../server/app'
import { createSessionStore } from '../../../server/data/session-store'
import { createDrain } from '../../../server/web/middleware/drain'
import { useTestApp } from '../../helpers/app'

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

function collect(res: http.IncomingMessage): Promise<Answer> {
  return new Promise((resolve) => {
    let body = ''
    res.on('data', (c: Buffer) => (body += c.toString()))
    res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
  })
}

describe('Draining for shutdown', () => {
  const t = useTestApp('drain', { DEMO: 'true' })
  let server: http.Server
  let base: string
  const drain = createDrain()
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

  before(async () => {
    const app = createApp({
      config: t.config,
      services: t.services,
      sessionStore: createSessionStore(t.connection, 3600),
      drain,
    })
    server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(async () => {
    agent.destroy()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  const get = (path: string, options: http.RequestOptions = {}) =>
    new Promise<Answer>((resolve, reject) => {
      http.get(`${base}${path}`, options, (res) => void collect(res).then(resolve)).on('error', reject)
    })

  it('lets a running request finish, answers health 503 at once and refuses new requests', async function () {
    this.timeout(60_000)
    expect((await get('/healthz', { agent })).status).to.equal(200)
    const page = await get('/forgot-password', { agent })
    const cookie = String(page.headers['set-cookie']?.[0] ?? '').split(';')[0]!
    const _csrf = String(cheerio.load(page.body)('input[name="_csrf"]').val())
    const body = new URLSearchParams({ _csrf, email: 'someone@example.org' }).toString()

    // The request starts (its headers reach the app) before the drain does; its body arrives after.
    const started = new Promise((resolve) => server.once('request', resolve))
    const post = http.request(`${base}/forgot-password`, {
      method: 'POST',
      agent,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length },
    })
    const answered = new Promise<Answer>((resolve) => post.on('response', (res) => void collect(res).then(resolve)))
    post.write(body.slice(0, 10))
    post.flushHeaders()
    await started
    drain.start()

    const health = await get('/healthz')
    expect(health.status).to.equal(503)
    expect(health.headers.connection).to.equal('close')
    const fresh = await get('/')
    expect(fresh.status).to.equal(503)
    expect(fresh.headers['retry-after']).to.equal('5')

    let idle = false
    const wentIdle = drain.idle().then(() => (idle = true))
    expect(idle).to.equal(false)
    post.end(body.slice(10))
    const running = await answered
    expect(running.status).to.equal(200)
    expect(running.body).to.contain('Check your email')
    expect(running.headers.connection).to.equal('close')
    await wentIdle
    await t.services.accounts.settled()
  })
})
