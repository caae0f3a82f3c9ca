// Report pages at volume: a fresh database with the demo directory and accounts, N synthetic referrals (with their
// people and signpostings) and search misses, the report facts rebuilt, then the real app started as a child process
// in production mode and each report page fetched over HTTP as the demo commissioner: the first (cold) request, one
// warm-up, then `requests` sequential requests, each with different filters (a different period, and in turn a
// PCN, an organisation or a need), so no two are alike. Also one CSV download.
// Called from scripts/bench.ts (--only reports, --referrals 100000).
import type { ChildProcess } from 'node:child_process'
import os from 'node:os'
import { loadConfig } from '../../server/config'
import { createServices } from '../../server/container'
import { connect, wrapConnection } from '../../server/data/db'
import { generateSyntheticReferrals, syntheticCareOrganisations } from '../../server/services/demo/generate-referrals'
import { withSyntheticEpisodes } from '../../server/services/demo/generate-episodes'
import { generateSyntheticSearchMisses } from '../../server/data/demo/generate-search-misses'
import { createSyntheticReferralRepository } from '../../server/data/repositories/synthetic-referrals.repository'
import { createSearchIndex } from '../../server/data/search/create-search-index'
import { termId } from '../../server/data/taxonomy'
import { DEMO_PASSWORD, DEMO_USERS, DEMO_VCO } from '../../server/services/demo-accounts'
import { DEMO_CARERS_CENTRE_ID } from '../../server/services/demo-referrals'
import { REPORTS } from '../../server/services/reports/registry'
import { benchBar, round, summary } from './figures'

type StartApp = (uri: string) => Promise<{ child: ChildProcess; exited: Promise<unknown>; baseUrl: string }>

const isoDay = (d: Date) => d.toISOString().slice(0, 10)
/**
 * In production session cookies are Secure, so the app is run as behind a TLS-terminating proxy (TRUST_PROXY, set for
 * the child process only) and every request says it came over HTTPS.
 */
export const HTTPS = { 'x-forwarded-proto': 'https' }

/** A session as the commissioner: the CSRF token from the sign-in page, then the session cookie. */
export async function signIn(baseUrl: string, email: string): Promise<string> {
  const page = await fetch(`${baseUrl}/sign-in`, { headers: HTTPS })
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]!)
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1]
  if (!token) throw new Error('no CSRF token on the sign-in page')
  const res = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...HTTPS, 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ _csrf: token, email, password: DEMO_PASSWORD }),
  })
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`)
  // The session is renewed at sign-in: a cookie set now replaces the one of the same name.
  const jar = new Map<string, string>()
  for (const c of [...cookies, ...res.headers.getSetCookie().map((h) => h.split(';')[0]!)])
    jar.set(c.slice(0, c.indexOf('=')), c)
  return [...jar.values()].join('; ')
}

/** Times one GET; fails unless the answer is 200 and holds `expect` (a report's title), so no wrong page is timed. */
async function timedGet(baseUrl: string, path: string, cookie: string, expect?: string) {
  const started = performance.now()
  const res = await fetch(`${baseUrl}${path}`, { headers: { ...HTTPS, cookie } })
  const body = await res.text()
  const ms = performance.now() - started
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`)
  if (expect && !body.includes(expect)) throw new Error(`GET ${path} did not show ${expect}`)
  return { ms, bytes: Buffer.byteLength(body) }
}

export async function benchReports(
  uri: string,
  options: { referrals: number; startApp: StartApp; requests?: number; seed?: number },
) {
  const requests = options.requests ?? 20
  const seed = options.seed ?? 1
  const dbName = `bench_reports_${Date.now()}`
  const connection = await connect(uri, dbName)
  const now = new Date()
  let generation: { referrals: number; people: number; signpostings: number; searchMisses: number; seconds: number }
  let factRebuild: { facts: number; seconds: number }
  try {
    // The demo directory, accounts and demo data, as demo mode makes them at start.
    const services = createServices({
      config: loadConfig({ NODE_ENV: 'test', DEMO: 'true', LOG_LEVEL: 'silent' }),
      db: wrapConnection(connection),
      search: createSearchIndex({}),
    })
    await services.startup()
    const synthetic = createSyntheticReferralRepository(connection)
    const { practices, teams } = syntheticCareOrganisations()
    const targets = await synthetic.services({
      limit: 5000,
      excludeOrganisationIds: [DEMO_VCO.id, DEMO_CARERS_CENTRE_ID],
    })
    const bar = benchBar('referrals {bar} {value}/{total} {eta_formatted}')
    const started = performance.now()
    bar.start(options.referrals, 0)
    const { referrals, people, signpostings } = await synthetic.insertAll(
      // With about one social prescribing episode per 2.5 referrals, as the generator script makes them.
      withSyntheticEpisodes(
        generateSyntheticReferrals({ seed, count: options.referrals, services: targets, practices, teams, now }),
        seed,
        now,
      ),
      (generated) => bar.update(generated),
    )
    bar.stop()
    const searchMisses = await synthetic.insertSearchMisses(
      generateSyntheticSearchMisses({ seed, count: Math.round(options.referrals / 3), now }),
    )
    generation = { referrals, people, signpostings, searchMisses, seconds: round((performance.now() - started) / 1000) }

    const factBar = benchBar('report facts {bar} {value}/{total} {eta_formatted}')
    const factsStarted = performance.now()
    factBar.start(1, 0)
    const facts = await services.reports.rebuildFacts(({ done, total }) => {
      factBar.setTotal(total)
      factBar.update(done)
    })
    factBar.stop()
    // The month packs the app's start reads instead of every fact.
    await services.reports.packsWritten()
    factRebuild = { facts, seconds: round((performance.now() - factsStarted) / 1000) }
  } finally {
    await connection.close()
  }

  process.stdout.write('the app over HTTP, as the commissioner…\n')
  const trustProxy = process.env.TRUST_PROXY
  process.env.TRUST_PROXY = 'true'
  const app = await options.startApp(`${uri.replace(/\/$/, '')}/${dbName}`).finally(() => {
    if (trustProxy === undefined) delete process.env.TRUST_PROXY
    else process.env.TRUST_PROXY = trustProxy
  })
  try {
    const commissioner = DEMO_USERS.find((u) => u.key === 'commissioner')!
    const cookie = await signIn(app.baseUrl, commissioner.email)
    // The very first report request reads every fact into the app's memory.
    const cold = await timedGet(app.baseUrl, `/reports/${REPORTS[0]!.id}`, cookie, REPORTS[0]!.title)
    // Filters that vary: a different period every request, and in turn all areas, a PCN, an organisation, a need.
    const narrow = [
      '',
      `&pcn=${encodeURIComponent(syntheticCareOrganisations().practices[0]!.pcn!)}`,
      `&need=${termId('loneliness-isolation')}`,
      `&organisationId=${encodeURIComponent((await firstOrganisation(app.baseUrl, cookie)) ?? '')}`,
    ]
    const query = (i: number) => {
      const from = new Date(now.getTime() - (540 - i * 7) * 86_400_000)
      return `?from=${isoDay(from)}&to=${isoDay(now)}${narrow[i % narrow.length]}`
    }
    const perReport: Record<string, { firstMs: number; bytes: number } & ReturnType<typeof summary>> = {}
    const all: number[] = []
    for (const report of REPORTS) {
      const path = `/reports/${report.id}`
      const first = await timedGet(app.baseUrl, path, cookie, report.title)
      await timedGet(app.baseUrl, `${path}${query(requests + 1)}`, cookie, report.title)
      const ms: number[] = []
      for (let i = 0; i < requests; i++)
        ms.push((await timedGet(app.baseUrl, `${path}${query(i)}`, cookie, report.title)).ms)
      all.push(...ms)
      perReport[report.id] = { firstMs: round(first.ms), bytes: first.bytes, ...summary(ms) }
      process.stdout.write(`  ${report.id}: first ${round(first.ms)} ms, p95 ${perReport[report.id]!.p95Ms} ms\n`)
    }
    const csv = await timedGet(app.baseUrl, `/reports/activity/by-month.csv${query(0)}`, cookie, 'Month')
    return {
      referrals: options.referrals,
      generation,
      factRebuild,
      http: {
        /** The app's first report request after start: it reads every fact into memory. */
        coldFirstRequestMs: round(cold.ms),
        requestsPerReport: requests,
        filters: 'a different period each request; in turn all areas, one PCN, one need, one organisation',
        reports: perReport,
        overall: summary(all),
        csv: { path: '/reports/activity/by-month.csv', ms: round(csv.ms), bytes: csv.bytes },
      },
      loadAverage: os.loadavg().map(round),
    }
  } finally {
    app.child.kill('SIGTERM')
    await app.exited
  }
}

/** An organisation the filter form offers (the first one), so an organisation filter narrows to real data. */
async function firstOrganisation(baseUrl: string, cookie: string): Promise<string | null> {
  const html = await (await fetch(`${baseUrl}/reports/activity`, { headers: { ...HTTPS, cookie } })).text()
  const select = /<select[^>]*name="organisationId"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ?? ''
  return /<option value="([^"]+)"/.exec(select)?.[1] ?? null
}
