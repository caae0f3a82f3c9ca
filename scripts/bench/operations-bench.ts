// Staff pages, referral submit and the periodic jobs at a borough's volume: a fresh database with the demo directory
// and accounts, `services` synthetic services, `referrals` synthetic referrals (with their people, signpostings and
// social prescribing episodes) over them and the report facts rebuilt. The demo link worker, VCO member and GP are moved into the synthetic team,
// the busiest synthetic organisation and a synthetic practice, so their pages show thousands of referrals.
// Then the real app is started as a child process in production mode (a cold start, then a timed normal start) and
// every staff page is fetched one at a time and under load with autocannon; then, with the app stopped, the jobs
// (clock sweep, report refresh, listing freshness, session cleanup) are run and timed in this process (wall time, and
// the database time: the sum of the driver's command durations during the run), and referrals
// are submitted 200 at once (80 distinct, 120 retries; each must be stored exactly once) and 50 one at a time.
// Called from scripts/bench.ts (--only operations, --referrals 100000, --operations-services 10000).
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import autocannon from 'autocannon'
import { loadConfig } from '../../server/config'
import { createServices } from '../../server/container'
import mongoose from 'mongoose'
import { wrapConnection } from '../../server/data/db'
import { generateSyntheticDirectory } from '../../server/data/demo/generate'
import { generateSyntheticReferrals, syntheticCareOrganisations } from '../../server/services/demo/generate-referrals'
import { withSyntheticEpisodes } from '../../server/services/demo/generate-episodes'
import { newId } from '../../server/domain/ids'
import { createDirectoryRepository } from '../../server/data/repositories/directory.repository'
import { markSearchDocumentsStale } from '../../server/data/repositories/search-document.repository'
import { createSyntheticReferralRepository } from '../../server/data/repositories/synthetic-referrals.repository'
import { createSearchIndex } from '../../server/data/search/create-search-index'
import { removeExpiredSessions } from '../../server/data/session-store'
import { DEMO_USERS, DEMO_VCO } from '../../server/services/demo-accounts'
import { DEMO_CARERS_CENTRE_ID } from '../../server/services/demo-referrals'
import type { SessionUser } from '../../server/domain/roles'
import { pathFor } from '../../server/paths'
import { benchBar, round, submission, summary } from './figures'
import { HTTPS, signIn } from './report-bench'

type StartApp = (
  uri: string,
) => Promise<{ child: ChildProcess; exited: Promise<unknown>; baseUrl: string; output: () => string }>

/** A staff page whose first request takes longer than this is timed three times and not loaded. */
const SLOW_PAGE_MS = 5_000
const say = (text: string) => process.stdout.write(`${text}\n`)
/**
 * The staff pages timed, by demo user: [name, path (`:personId` a synthetic person of the team, `:serviceId` a service
 * to refer to), text the page must show].
 */
const PAGES_FILE = new URL('operations-pages.json', import.meta.url)
const staffPages = () => JSON.parse(fs.readFileSync(PAGES_FILE, 'utf8')) as Record<string, [string, string, string][]>

/** The bench's own connection: no socket timeout, since rebuilding 125,000 facts on a busy machine has read past 30 s. */
async function connect(uri: string, dbName: string, monitorCommands = false) {
  const connection = mongoose.createConnection(uri, { dbName, maxPoolSize: 20, socketTimeoutMS: 0, monitorCommands })
  await connection.asPromise()
  return connection
}

/** Counts the commands a connection sends and adds up their durations (its `monitorCommands` must be on). */
function commandMeter(connection: mongoose.Connection) {
  const meter = { commands: 0, ms: 0, documents: 0 }
  connection.getClient().on('commandSucceeded', (event) => {
    meter.commands++
    meter.ms += event.duration
    const reply = event.reply as { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] } }
    meter.documents += reply.cursor?.firstBatch?.length ?? reply.cursor?.nextBatch?.length ?? 0
  })
  return async <T>(fn: () => Promise<T>) => {
    const before = { ...meter }
    const run = await timed(fn)
    return {
      ...run,
      databaseMs: round(meter.ms - before.ms),
      commands: meter.commands - before.commands,
      documentsRead: meter.documents - before.documents,
    }
  }
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024)
}

/** What the pages need from a database an earlier run wrote and kept: the signed-in staff's busiest places. */
async function reusedDatabase(connection: mongoose.Connection, teamId: string) {
  const vcoEmail = DEMO_USERS.find((u) => u.key === 'vco-member')!.email
  const vco = await connection.collection('users').findOne({ email: vcoEmail })
  const membership = (vco?.memberships as { organisationId: string; organisationName: string }[] | undefined)?.[0]
  if (!membership) throw new Error('the reused database has no demo VCO member: was it written by this bench?')
  const person = await connection.collection('people').findOne({ teamId })
  const service = await connection
    .collection('services')
    .findOne({ 'referral.accepts_referrals': true, status: 'active', organization_id: membership.organisationId })
  const referrals = await connection.collection('referrals').estimatedDocumentCount()
  const organisationReferrals = await connection
    .collection('referrals')
    .countDocuments({ organisationId: membership.organisationId })
  return {
    personId: String(person!._id),
    referServiceId: String(service!._id),
    busiest: { id: membership.organisationId, name: membership.organisationName, referrals: organisationReferrals },
    referrals,
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now()
  const value = await fn()
  return { ms: round(performance.now() - started), value }
}

/** Times one GET; fails unless the answer is 200 and holds `expect`, so no error page is timed. */
async function get(baseUrl: string, path: string, cookie: string, expect: string) {
  const started = performance.now()
  const res = await fetch(`${baseUrl}${path}`, { headers: { ...HTTPS, cookie } })
  const body = await res.text()
  const ms = performance.now() - started
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`)
  if (!body.includes(expect)) throw new Error(`GET ${path} did not show "${expect}"`)
  return { ms, body }
}

/**
 * CPU time so far of this bench's processes by part: the app (the process `appPid` and its children), FerretDB and
 * PostgreSQL (the embedded engine this bench started), and the bench itself (it sends the load), in ms.
 */
function cpuByPart(appPid: number): Map<number, { part: 'app' | 'ferretdb' | 'postgres' | 'bench'; ms: number }> {
  const procs = new Map<number, { parent: number; name: string; ticks: number }>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      // After the name: state, ppid, … utime and stime are the 12th and 13th (0-based 11 and 12).
      procs.set(Number(entry), { parent: Number(fields[1]), name, ticks: Number(fields[11]) + Number(fields[12]) })
    } catch {
      // gone meanwhile
    }
  }
  const under = (pid: number, root: number): boolean => {
    for (let at = pid, hops = 0; at > 1 && hops < 20; at = procs.get(at)?.parent ?? 0, hops++)
      if (at === root) return true
    return false
  }
  const out = new Map<number, { part: 'app' | 'ferretdb' | 'postgres' | 'bench'; ms: number }>()
  for (const [pid, p] of procs) {
    if (!under(pid, process.pid)) continue
    const part = under(pid, appPid)
      ? 'app'
      : p.name.startsWith('postgres')
        ? 'postgres'
        : p.name.includes('ferretdb')
          ? 'ferretdb'
          : 'bench'
    out.set(pid, { part, ms: p.ticks * 10 }) // USER_HZ is 100 on Linux
  }
  return out
}

/** CPU ms by part between two readings: each process's own difference (one started meanwhile counts from 0). */
function cpuBetween(before: ReturnType<typeof cpuByPart>, after: ReturnType<typeof cpuByPart>) {
  const out = { app: 0, ferretdb: 0, postgres: 0, bench: 0 }
  for (const [pid, now] of after) out[now.part] += now.ms - (before.get(pid)?.ms ?? 0)
  return out
}

async function loadPage(
  baseUrl: string,
  path: string,
  cookie: string,
  connections: number,
  duration: number,
  appPid: number,
) {
  const latencies: number[] = []
  let non200 = 0
  const cpuBefore = cpuByPart(appPid)
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: `${baseUrl}${path}`, connections, duration, headers: { ...HTTPS, cookie } },
      (error, res) => (error ? reject(error) : resolve(res)),
    )
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status !== 200) non200++
      latencies.push(ms)
    })
  })
  // Where each request's time went on the machine: CPU ms per request of each part, under this load (a process that
  // ended meanwhile, such as a PostgreSQL backend, is left out).
  const cpuMsPerRequest = Object.fromEntries(
    Object.entries(cpuBetween(cpuBefore, cpuByPart(appPid))).map(([part, ms]) => [
      part,
      round(ms / Math.max(1, latencies.length)),
    ]),
  )
  return {
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    ...summary(latencies),
    non200,
    cpuMsPerRequest,
  }
}

export async function benchOperations(
  uri: string,
  options: {
    /** The embedded engine's PostgreSQL: its GIN indexes are made before anything is written. */
    postgresUrl?: string
    referrals: number
    services: number
    startApp: StartApp
    requests?: number
    connections?: number
    duration?: number
    seed?: number
    /**
     * A database written by an earlier run that kept it (`keep`): its data is used as it is, and the pages (and the
     * jobs, unless `pagesOnly`) are measured again, so a change can be measured without writing 100,000 referrals.
     */
    reuseDb?: string
    /** Leave the database in place at the end (with bench.ts's --data-dir, for --reuse-db later). */
    keep?: boolean
    /** Only the pages (no jobs, no submits), e.g. to measure a page change again on a kept database. */
    pagesOnly?: boolean
    /** Only the pages whose names contain one of these (all when empty). */
    pageNames?: readonly string[]
  },
) {
  const requests = options.requests ?? 30
  const connections = options.connections ?? 20
  const duration = options.duration ?? 10
  const seed = options.seed ?? 1
  const dbName = options.reuseDb ?? `bench_operations_${Date.now()}`
  const appUri = `${uri.replace(/\/$/, '')}/${dbName}`
  say(`database ${dbName}`)
  const { practices, teams } = syntheticCareOrganisations()
  const team = teams[0]!
  const practice = practices[0]!
  const now = new Date()
  const perOrganisation = new Map<string, { name: string; referrals: number }>()
  let generation: Record<string, number | string>
  let personId: string
  let referServiceId: string
  let busiest: { id: string; name: string; referrals: number }

  // ── Data ──────────────────────────────────────────────────────────────────────────────────────────────────────
  if (options.reuseDb) {
    const connection = await connect(uri, dbName)
    try {
      const found = await reusedDatabase(connection, team.id)
      ;({ personId, referServiceId, busiest } = found)
      generation = { reused: dbName, referrals: found.referrals }
      say(`reusing ${dbName}: ${JSON.stringify(generation)}`)
    } finally {
      await connection.close()
    }
  } else {
    const connection = await connect(uri, dbName)
    try {
      const db = wrapConnection(connection, { postgresUrl: options.postgresUrl })
      const services = createServices({
        config: loadConfig({ NODE_ENV: 'test', DEMO: 'true', LOG_LEVEL: 'silent' }),
        db,
        search: createSearchIndex({}),
      })
      await db.ensureIndexes()
      await services.startup()
      const directory = createDirectoryRepository(connection)
      const started = performance.now()
      const dirBar = benchBar('services {bar} {value}/{total} {eta_formatted}')
      await markSearchDocumentsStale(connection)
      dirBar.start(options.services, 0)
      let written = 0
      for (const batch of generateSyntheticDirectory({ count: options.services, seed: 42, now, batchSize: 1000 })) {
        await directory.insertAll(batch)
        written += batch.services.length
        dirBar.update(written)
      }
      dirBar.stop()
      const directorySeconds = round((performance.now() - started) / 1000)

      const synthetic = createSyntheticReferralRepository(connection)
      const targets = await synthetic.services({
        limit: options.services,
        excludeOrganisationIds: [DEMO_VCO.id, DEMO_CARERS_CENTRE_ID],
      })
      const bar = benchBar('referrals {bar} {value}/{total} {eta_formatted}')
      const referralsStarted = performance.now()
      bar.start(options.referrals, 0)
      const batches = withSyntheticEpisodes(
        generateSyntheticReferrals({ seed, count: options.referrals, services: targets, practices, teams, now }),
        seed,
        now,
      )
      const tallied = (function* () {
        for (const batch of batches) {
          for (const r of batch.referrals) {
            const known = perOrganisation.get(r.organisationId) ?? { name: r.organisationName, referrals: 0 }
            known.referrals++
            perOrganisation.set(r.organisationId, known)
          }
          yield batch
        }
      })()
      const inserted = await synthetic.insertAll(tallied, (generated) => bar.update(generated))
      bar.stop()
      const referralSeconds = round((performance.now() - referralsStarted) / 1000)
      const factsStarted = performance.now()
      const facts = await services.reports.rebuildFacts()
      // The month packs the app's start reads instead of every fact.
      await services.reports.packsWritten()
      const factSeconds = round((performance.now() - factsStarted) / 1000)
      // The episode facts the caseload and the episodes report read, built as a deployment's first start after an
      // import would (the app's start builds those missing).
      const episodeFactsStarted = performance.now()
      const episodeFacts = await services.episodeFacts.ensure()
      const episodeFactSeconds = round((performance.now() - episodeFactsStarted) / 1000)
      // Every listing written above waits for the freshness job to work out when it is next due (and those due are
      // reminded): the app's first run would do that while its pages are measured, so it is done and timed here, as a
      // deployment's first run after an import. The jobs part below times normal runs.
      const freshnessStarted = performance.now()
      const freshnessFirst = await services.freshness.runReminders(now)
      const freshnessSeconds = round((performance.now() - freshnessStarted) / 1000)
      generation = {
        services: written,
        directorySeconds,
        referrals: inserted.referrals,
        people: inserted.people,
        signpostings: inserted.signpostings,
        episodes: inserted.episodes,
        referralSeconds,
        facts,
        factSeconds,
        episodeFacts,
        episodeFactSeconds,
        freshnessFirstRunSeconds: freshnessSeconds,
        freshnessFirstRunReminded: freshnessFirst.reminded,
      }
      say(`generated: ${JSON.stringify(generation)}`)
      const [id, top] = [...perOrganisation.entries()].sort((a, b) => b[1].referrals - a[1].referrals)[0]!
      busiest = { id, name: top.name, referrals: top.referrals }

      // The demo staff, moved to where the volume is.
      const users = connection.collection('users')
      const member = (organisationId: string, kind: string, organisationName: string) => [
        { organisationId, kind, organisationName, manager: false },
      ]
      const email = (key: string) => DEMO_USERS.find((u) => u.key === key)!.email
      await users.updateOne(
        { email: email('link-worker') },
        { $set: { memberships: member(team.id, 'team', team.name) } },
      )
      await users.updateOne(
        { email: email('vco-member') },
        { $set: { memberships: member(busiest.id, 'vco', busiest.name) } },
      )
      await users.updateOne(
        { email: email('gp') },
        { $set: { memberships: member(practice.id, 'practice', practice.name) } },
      )
      const person = await connection.collection('people').findOne({ teamId: team.id })
      personId = String(person!._id)
      const referrable = await connection
        .collection('services')
        .findOne({ 'referral.accepts_referrals': true, status: 'active', organization_id: busiest.id })
      referServiceId = String(referrable!._id)
    } finally {
      await connection.close()
    }
  }

  // ── Pages ─────────────────────────────────────────────────────────────────────────────────────────────────────
  say('the app: a cold start (index from every service), then a normal start, timed…')
  if (!options.reuseDb) {
    const cold = await options.startApp(appUri)
    cold.child.kill('SIGTERM')
    await cold.exited
  }
  const startBegan = performance.now()
  const app = await options.startApp(appUri)
  const startup: Record<string, number> = { toListeningAndIndexMs: round(performance.now() - startBegan) }
  const pages: Record<string, unknown> = {}
  try {
    const health = await fetch(`${app.baseUrl}/healthz`)
    if (health.status !== 200) throw new Error(`healthz answered ${health.status}`)
    startup.toHealthzMs = round(performance.now() - startBegan)
    const commissioner = await signIn(app.baseUrl, DEMO_USERS.find((u) => u.key === 'commissioner')!.email)
    await get(app.baseUrl, '/reports/activity', commissioner, 'Activity')
    startup.toReportsWarmMs = round(performance.now() - startBegan)
    startup.rssMbAfterStart = rssMb(app.child.pid!)
    say(`start: ${JSON.stringify(startup)}`)

    const list: { name: string; path: string; cookie: string; expect: string }[] = []
    for (const [userKey, rows] of Object.entries(staffPages())) {
      const cookie = await signIn(app.baseUrl, DEMO_USERS.find((u) => u.key === userKey)!.email)
      for (const [name, template, expect] of rows)
        list.push({ name, path: pathFor(template, { personId, serviceId: referServiceId }), cookie, expect })
    }
    const names = options.pageNames ?? []
    for (const page of list.filter((p) => !names.length || names.some((n) => p.name.includes(n)))) {
      // A page that fails is recorded as failing and the run goes on. A page that takes over SLOW_PAGE_MS is
      // fetched only three times and not loaded, so one unbounded page cannot take the run's time (or its server
      // time: abandoned requests would go on running into the next page's figures).
      try {
        const first = await get(app.baseUrl, page.path, page.cookie, page.expect)
        const slow = first.ms > SLOW_PAGE_MS
        const ms: number[] = []
        for (let i = 0; i < (slow ? 3 : requests); i++)
          ms.push((await get(app.baseUrl, page.path, page.cookie, page.expect)).ms)
        const loaded = slow
          ? null
          : await loadPage(app.baseUrl, page.path, page.cookie, connections, duration, app.child.pid!)
        const shown = /Showing \d+ to \d+ of (\d+)/.exec(first.body)?.[1]
        pages[page.name] = {
          path: page.path,
          listTotal: shown ? Number(shown) : null,
          firstMs: round(first.ms),
          oneAtATime: summary(ms),
          loaded: loaded ?? { skipped: `first request over ${SLOW_PAGE_MS} ms` },
        }
        say(
          `  ${page.name}: p95 ${summary(ms).p95Ms} ms alone, ` +
            (loaded
              ? `${loaded.p95Ms} ms with ${connections} connections; CPU ms a request ${JSON.stringify(loaded.cpuMsPerRequest)}`
              : 'too slow to load'),
        )
      } catch (error) {
        pages[page.name] = { path: page.path, error: error instanceof Error ? error.message : String(error) }
        say(`  ${page.name}: ${String(error)}`)
      }
    }
    startup.rssMbAfterLoad = rssMb(app.child.pid!)
  } catch (error) {
    // What the app logged, so a failure at start can be read without running it again.
    say(app.output().slice(-4000))
    throw error
  } finally {
    app.child.kill('SIGTERM')
    await app.exited
  }

  const figures = () => ({
    referrals: options.referrals,
    services: options.services,
    generation,
    signedIn: { team: team.name, organisation: busiest, practice: practice.name },
    startup,
    pages,
    loadAverage: os.loadavg().map(round),
  })
  if (options.pagesOnly) return { ...figures(), jobs: undefined, submit: undefined }

  // ── Jobs and submit, in this process, the app stopped ─────────────────────────────────────────────────────────
  const jobConnection = await connect(uri, dbName, true)
  const metered = commandMeter(jobConnection)
  try {
    const services = createServices({
      config: loadConfig({ NODE_ENV: 'test', DEMO: 'false', LOG_LEVEL: 'silent' }),
      db: wrapConnection(jobConnection),
      search: createSearchIndex({}),
    })
    const jobs: Record<string, unknown> = {}
    // Each run: wall time, the database's time (the driver's command durations added up), commands, documents read.
    const run = <T>(r: { ms: number; databaseMs: number; commands: number; documentsRead: number; value: T }) => ({
      ms: r.ms,
      databaseMs: r.databaseMs,
      commands: r.commands,
      documentsRead: r.documentsRead,
      result: r.value,
    })
    // The clock job's first run reads every open referral (as after an upgrade); a normal run, a few minutes after
    // the last, reads the hours since.
    await jobConnection.collection<{ _id: string }>('job_marks').deleteOne({ _id: 'referral-clocks' })
    const sweepAt = new Date()
    const sweep1 = await metered(() => services.referrals.runClockSweep(sweepAt))
    const sweep2 = await metered(() => services.referrals.runClockSweep(new Date(sweepAt.getTime() + 5 * 60_000)))
    jobs.clockSweep = { first: run(sweep1), second: run(sweep2) }
    const read = await metered(() => services.reports.warm())
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const refresh = await metered(() => services.reports.warm())
    jobs.reportFacts = { firstRead: run(read), refresh: run(refresh) }
    // The first run works out when every listing written by the generator is next due (and reminds those due);
    // the second is a normal hourly run.
    const fresh1 = await metered(() => services.freshness.runReminders(now))
    const fresh2 = await metered(() => services.freshness.runReminders(new Date(now.getTime() + 3_600_000)))
    jobs.listingFreshness = { first: run(fresh1), second: run(fresh2) }
    const sessions = await metered(() => removeExpiredSessions(jobConnection, now))
    jobs.sessionCleanup = run(sessions)
    say(`jobs: ${JSON.stringify(jobs)}`)

    const u = DEMO_USERS.find((d) => d.key === 'link-worker')!
    const userDoc = await jobConnection.collection('users').findOne({ email: u.email })
    const actor: SessionUser = {
      id: String(userDoc!._id),
      email: u.email,
      name: u.name,
      roles: [...u.roles],
      memberships: [{ organisationId: team.id, kind: 'team', organisationName: team.name, manager: false }],
      sessionVersion: 0,
    }
    const people = (await jobConnection.collection('people').find({ teamId: team.id }).limit(40).toArray()).map((p) =>
      String(p._id),
    )
    const service = await jobConnection
      .collection('services')
      .findOne({ 'referral.accepts_referrals': true, status: 'active', organization_id: busiest.id })
    // A note of this run's own, so a database reused from earlier runs (which submitted too) counts only these.
    const runMark = newId().slice(0, 8)
    const input = (i: number) =>
      submission(String(service!._id), people[i % people.length]!, `ops-bench-${runMark}-${i}`)
    const firsts = Array.from({ length: 80 }, (_, i) => input(i))
    const batch = [...firsts, ...Array.from({ length: 120 }, (_, i) => firsts[(i * 7) % 80]!)]
    const wall = performance.now()
    const concurrent = await Promise.all(batch.map((b) => timed(() => services.referrals.submit(actor, b, null))))
    const wallMs = round(performance.now() - wall)
    const stored = await Promise.all(
      firsts.map((f) => jobConnection.collection('referrals').countDocuments({ teamId: team.id, note: f.note })),
    )
    const sequential: number[] = []
    for (let i = 0; i < 50; i++)
      sequential.push((await timed(() => services.referrals.submit(actor, input(80 + i), null))).ms)
    await services.reports.factsWritten()
    const submit = {
      concurrent: {
        submissions: batch.length,
        distinct: firsts.length,
        created: concurrent.filter((c) => c.value.created).length,
        storedExactlyOnce: stored.every((n) => n === 1),
        wallMs,
        ...summary(concurrent.map((c) => c.ms)),
      },
      sequential: summary(sequential),
    }
    say(`submit: ${JSON.stringify(submit)}`)
    return { ...figures(), jobs, submit }
  } finally {
    if (!options.keep) await jobConnection.dropDatabase().catch(() => undefined)
    await jobConnection.close()
  }
}
