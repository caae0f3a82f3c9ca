// The hostile-input lane: generated requests (fast-check) against every route in the access table, as every role and
// anonymously, with a valid, a missing and a forged CSRF token. Every answer must be below 500; no generated markup
// may come back unescaped in a page; a request refused for its CSRF token, or a form post answered 4xx, must
// change nothing in the database (compared by a hash of every stored document, which PostgreSQL works out itself on
// the lane's own engine). About 10,160 requests per run; HOSTILE_SEED=<n> replays a run's seed.
import crypto from 'node:crypto'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect } from 'chai'
import * as cheerio from 'cheerio'
import fc from 'fast-check'
import pg from 'pg'
import request from 'supertest'
import { DEMO_ANCHORS } from '../../server/data/demo/generate'
import { nameUuid } from '../../server/domain/ids'
import { pathFor, paths } from '../../server/paths'
import { DEMO_PASSWORD, DEMO_USERS, DEMO_VCO } from '../../server/services/demo-accounts'
import { DEMO_CHANGE_REQUEST_ID, DEMO_REPORT_ID } from '../../server/services/demo-listings'
import { DEMO_PEOPLE, DEMO_REFERRALS } from '../../server/services/demo-referrals'
import { DEMO_EPISODES } from '../../server/services/episodes/demo-episodes'
import { ROUTE_ACCESS, type RouteAccess } from '../../server/web/access'
import { useTestApp } from '../helpers/app'

type Agent = ReturnType<typeof request.agent>

/** Real ids, so generated requests reach records as well as missing ones. */
const REAL: Record<string, string[]> = {
  id: [DEMO_ANCHORS.walkingGroup],
  userId: [nameUuid('demo:user:link-worker'), nameUuid('demo:user:vco-member')],
  organisationId: [DEMO_VCO.id],
  organizationId: [DEMO_VCO.id],
  serviceId: ['2097ea16-d796-54d2-8f38-718a3129255b', DEMO_ANCHORS.walkingGroup],
  changeRequestId: [DEMO_CHANGE_REQUEST_ID],
  reportId: [DEMO_REPORT_ID],
  personId: Object.values(DEMO_PEOPLE),
  referralId: Object.values(DEMO_REFERRALS),
  format: ['txt', 'csv', 'pdf'],
  report: ['activity', 'equity', 'unmet-need', 'timeliness'],
  table: ['by-need', 'by-practice'],
  token: ['not-a-real-token'],
  episodeId: Object.values(DEMO_EPISODES),
  messageId: [
    nameUuid(`episode-message:${DEMO_EPISODES.active}:triage`),
    nameUuid(`episode-message:${DEMO_EPISODES.discharged}:discharge`),
  ],
  action: ['accept', 'decline', 'conversation', 'plan', 'contact', 'task', 'task-done', 'measure', 'discharge'],
}

/** Markup that must never come back as markup. */
const MARKUP = ['<script>hostile()</script>', '"><img src=x onerror=hostile()>', "'><svg onload=hostile()>"]
const NASTY = [
  '',
  ' ',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  '\u0000',
  '\u202Egnp.exe',
  '../../etc/passwd',
  '%00',
  '9999-99-99',
  '-1',
  '1e309',
  'NaN',
  'x'.repeat(5000),
  '{"$gt":""}',
  '$where',
  ...MARKUP,
]

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
)
/** A body or query value: mostly text, sometimes lists, objects, numbers, booleans and null (as JSON allows). */
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 1, arbitrary: fc.array(text, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('toString', 'x', '__proto__', '$gt'), text, { maxKeys: 2 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.double()) },
)
/** Field names from the app's forms, and others. */
const FIELDS = [
  'email',
  'password',
  'confirmPassword',
  'name',
  'givenName',
  'familyName',
  'dobDay',
  'dobMonth',
  'dobYear',
  'nhsNumber',
  'phone',
  'address',
  'postcode',
  'contactPreference',
  'needs',
  'note',
  'message',
  'text',
  'action',
  'reason',
  'declineReason',
  'roles',
  'status',
  'q',
  'from',
  'to',
  'from-day',
  'from-month',
  'from-year',
  'to-day',
  'to-month',
  'to-year',
  'area',
  'need',
  'channel',
  'measure',
  'answer',
  'capacity',
  'idempotencyKey',
  'per_page',
  'consent',
  'tab',
  'page',
  'next',
  'done',
  'version',
  'vcoOrganisationId',
  'teamId',
  '__proto__',
  'constructor',
]
/**
 * What every request to a route starts from; generated fields go over it. The Open Referral lists read each service,
 * organisation and location of a page by _id (the engine finds those by index; an `$in` it would scan), so at their
 * default page of 50 these two routes, 2 of some 110, made more than half of the lane's database reads. A page of 5
 * meets the same generated input (and a generated per_page still replaces it).
 */
const BASE_QUERY: Record<string, Record<string, string>> = {
  [paths.orukServices]: { per_page: '5' },
  [paths.orukServiceAtLocations]: { per_page: '5' },
}
const fields = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), value, { maxKeys: 6 })

type Csrf = 'valid' | 'missing' | 'forged'

interface Case {
  rule: RouteAccess
  params: Record<string, string>
  query: Record<string, unknown>
  body: Record<string, unknown>
  json: boolean
  csrf: Csrf
}

function caseFor(rules: readonly RouteAccess[], csrf: fc.Arbitrary<Csrf>): fc.Arbitrary<Case> {
  return fc.constantFrom(...rules).chain((rule) => {
    const names = [...rule.path.matchAll(/:(\w+)/g)].map((m) => m[1]!)
    const param = (name: string) =>
      fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(REAL[name] ?? ['x'])) }, { weight: 2, arbitrary: text })
    return fc.record({
      rule: fc.constant(rule),
      params: fc.record(Object.fromEntries(names.map((n) => [n, param(n)]))) as fc.Arbitrary<Record<string, string>>,
      query: fields,
      body: fields,
      json: fc.boolean(),
      csrf,
    })
  })
}

const PERSONAS = ['anonymous', ...DEMO_USERS.map((u) => u.key)] as const
/** Routes that end the agent's own session would stop the rest of its run being signed in. */
const SESSION_ENDERS = new Set([`POST ${paths.signOut}`, `POST ${paths.signOutEverywhere}`])
const RULES = ROUTE_ACCESS.filter((r) => !SESSION_ENDERS.has(`${r.method} ${r.path}`))
const POSTS = RULES.filter((r) => r.method === 'POST')
/** Written by refused requests on purpose, or by reading: attempts counted, audit of reads, sessions, search misses. */
/** One seed per run, printed, so a failure can be replayed with HOSTILE_SEED. */
const SEED = Number(process.env.HOSTILE_SEED ?? Date.now() % 2 ** 31)
/** Requests sent at once by one persona (1,200 a persona in all). */
const PER_RUN = 8
const NOT_STATE = new Set(['sessions', 'auth_attempts', 'audit_events', 'search_misses', 'leases', 'lease_claims'])

describe('Hostile input, every route, every role', function () {
  this.timeout(600_000)
  const t = useTestApp('hostile', {
    DEMO: 'true',
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_RATE_LIMIT_PER_15_MINUTES: '1000000',
  })
  let server: Server
  let base = ''
  const agents = new Map<string, { agent: Agent; token: string }>()
  let sent = 0
  /** The lane's own PostgreSQL (under the engine), when it runs one. */
  let postgres: pg.Client | null = null

  before(async function () {
    this.timeout(120_000)
    if (process.env.TEST_POSTGRES_URL) {
      postgres = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL })
      await postgres.connect()
    }
    server = t.app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    // All at once: each sign-in checks an argon2 hash, slow on purpose.
    await Promise.all(
      PERSONAS.map(async (persona) => {
        const agent = request.agent(base)
        const page = await agent.get(paths.signIn)
        let token = String(cheerio.load(page.text)('input[name="_csrf"]').first().val())
        if (persona !== 'anonymous') {
          const email = DEMO_USERS.find((u) => u.key === persona)!.email
          const res = await agent.post(paths.signIn).type('form').send({ _csrf: token, email, password: DEMO_PASSWORD })
          expect(res.status, `sign-in as ${persona}`).to.equal(303)
          token = String(
            cheerio
              .load((await agent.get(paths.account)).text)('input[name="_csrf"]')
              .first()
              .val(),
          )
        }
        agents.set(persona, { agent, token })
      }),
    )
  })
  after(async () => {
    await postgres?.end()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    process.stdout.write(`      hostile requests sent: ${sent} (seed ${SEED})\n`)
  })

  async function send(persona: string, c: Case) {
    const { agent, token } = agents.get(persona)!
    let url: string
    try {
      url = pathFor(c.rule.path, c.params)
    } catch {
      url = c.rule.path
    }
    sent++
    const req = c.rule.method === 'GET' ? agent.get(url) : agent.post(url)
    req
      .query({ ...BASE_QUERY[c.rule.path], ...c.query } as Record<string, string>)
      .redirects(0)
      .ok(() => true)
    if (c.rule.method === 'POST') {
      const body: Record<string, unknown> = { ...c.body }
      if (c.csrf === 'valid') body._csrf = token
      if (c.csrf === 'forged') body._csrf = crypto.randomBytes(16).toString('hex')
      if (c.json) req.set('content-type', 'application/json').send(JSON.stringify(body))
      else req.type('form').send(body as Record<string, string>)
    }
    const res = await req
    return { res, url }
  }

  function checkAnswer(persona: string, c: Case, res: request.Response, url: string) {
    const where = `${persona} ${c.rule.method} ${url} (${c.csrf} CSRF, ${c.json ? 'JSON' : 'form'})`
    expect(res.status, where).to.be.below(500)
    if (/html/.test(String(res.headers['content-type']))) {
      for (const markup of MARKUP) expect(res.text.includes(markup), `${where} reflects ${markup}`).to.equal(false)
    }
  }

  /**
   * Every document the app keeps as state (not counters or logs), hashed. On the lane's own engine, PostgreSQL hashes
   * each collection's table in one query (the documents never leave it); on another server, every document is read.
   */
  async function fingerprint(): Promise<string> {
    const hash = crypto.createHash('sha256')
    if (postgres) {
      const schema = t.connection.name
      const { rows: tables } = await postgres.query<{ name: string; table: string }>(
        `SELECT _jsonb->>'_id' AS name, _jsonb->>'table' AS table FROM "${schema}"._ferretdb_database_metadata`,
      )
      const state = tables.filter((r) => !NOT_STATE.has(r.name)).sort((a, b) => a.name.localeCompare(b.name))
      const sql = state
        .map(
          (r, i) =>
            `SELECT ${i} AS i, md5(coalesce(string_agg(_jsonb::text, ',' ORDER BY _jsonb->'_id'), '')) AS h FROM "${schema}"."${r.table}"`,
        )
        .join(' UNION ALL ')
      const { rows } = state.length ? await postgres.query<{ i: number; h: string }>(sql) : { rows: [] }
      for (const row of rows.sort((a, b) => a.i - b.i)) hash.update(state[row.i]!.name).update(row.h)
      return hash.digest('hex')
    }
    const db = t.connection.db!
    const names = (await db.listCollections().toArray())
      .map((c) => c.name)
      .filter((n) => !NOT_STATE.has(n))
      .sort()
    for (const name of names) {
      const docs = await db.collection(name).find({}).sort({ _id: 1 }).toArray()
      hash.update(name).update(JSON.stringify(docs))
    }
    return hash.digest('hex')
  }

  for (const persona of PERSONAS) {
    it(`answers every generated request as ${persona} below 500, without reflecting markup`, async () => {
      // Eight at a time, so the database works while the app renders (and requests overlap as they do in use).
      await fc.assert(
        fc.asyncProperty(
          fc.array(caseFor(RULES, fc.constantFrom<Csrf>('valid', 'valid', 'missing', 'forged')), {
            minLength: PER_RUN,
            maxLength: PER_RUN,
          }),
          async (cases) => {
            await Promise.all(
              cases.map(async (c) => {
                const { res, url } = await send(persona, c)
                checkAnswer(persona, c, res, url)
              }),
            )
          },
        ),
        { numRuns: 1200 / PER_RUN, seed: SEED },
      )
    })
  }

  it('refuses every form post without a valid CSRF token, and none of them writes anything', async () => {
    let forbidden = 0
    const before = await fingerprint()
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PERSONAS),
        caseFor(POSTS, fc.constantFrom<Csrf>('missing', 'forged')),
        async (persona, c) => {
          const { res, url } = await send(persona, c)
          // 403 for the token; or refused earlier: 404 for a path no record can have (a control character in it),
          // 400 for a structured value where text belongs. Never an answer that did something.
          expect(res.status, `${persona} POST ${url}`).to.be.within(400, 499)
          if (res.status === 403) forbidden++
        },
      ),
      { numRuns: 1700, seed: SEED },
    )
    expect(forbidden, 'most were refused for their token').to.be.greaterThan(1000)
    expect(await fingerprint()).to.equal(before)
  })

  it('writes nothing for a form post it answers with 4xx', async () => {
    // The state after one request is the state before the next, unless that request was let through (and its
    // background writes, report facts and search misses, have settled).
    let before = await fingerprint()
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PERSONAS), caseFor(POSTS, fc.constant<Csrf>('valid')), async (persona, c) => {
        const { res, url } = await send(persona, c)
        checkAnswer(persona, c, res, url)
        if (res.status >= 400)
          expect(await fingerprint(), `${persona} POST ${url} answered ${res.status}`).to.equal(before)
        else {
          await Promise.all([t.services.reports.factsWritten(), t.services.directory.searchMissesWritten()])
          before = await fingerprint()
        }
      }),
      { numRuns: 60, seed: SEED },
    )
  })

  it('sent at least 10,000 requests', () => {
    expect(sent).to.be.at.least(10_000)
  })
})
