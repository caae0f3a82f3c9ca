// npm run bench [-- --sizes 10000,100000 --duration 10]
// Measures what the issues ask us to measure and writes bench/results/latest.json. Never a test: these machines are
// shared and noisy, so every HTTP figure sits beside a baseline (a bare page with the same layout) from the same run.
//
// Per directory size: synthetic services are written into a fresh database on the embedded FerretDB; the search
// index is benchmarked in-process (build from memory, query latency); then the real app is started as a child process
// on that database (as in production: index rebuilt from the database at start) and loaded with autocannon.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import pg from 'pg'
import { connect } from '../server/data/db'
import { generateSyntheticDirectory } from '../server/data/demo/generate'
import { startEmbeddedDatabase } from '../server/data/embedded-db/embedded-db'
import { createEngineReader } from '../server/data/embedded-db/engine-reads'
import { createDirectoryRepository } from '../server/data/repositories/directory.repository'
import { createLeaseRepository } from '../server/data/repositories/lease.repository'
import { toSearchDocument } from '../server/data/search/documents'
import { EmbeddedSearchIndex } from '../server/data/search/embedded-index'
import type { SearchDocument } from '../server/data/search/search-index'
import { createRandom } from '../server/data/demo/prng'
import { NEED_TAXONOMY } from '../server/data/taxonomy'
import { configureLogger } from '../server/logger'
import { percentile, round } from './bench/figures'
import { benchOperations } from './bench/operations-bench'
import { benchOrukImport } from './bench/oruk-bench'
import { benchReferralSubmit } from './bench/referral-bench'
import { benchReports } from './bench/report-bench'
import { benchSearchInProcess } from './bench/search-bench'
import { benchSearchRelevance } from './bench/search-relevance'
import { benchSearchRender } from './bench/search-render'
import { localPostcodes, searchUrls } from './bench/search-urls'
import { progressBar } from './script-database'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    out: { type: 'string', default: 'bench/results/latest.json' },
    'import-size': { type: 'string', default: '100000' },
    // Synthetic referrals behind the report pages (part "reports").
    referrals: { type: 'string', default: '100000' },
    // Synthetic services behind the staff pages (part "operations"; its referrals are --referrals).
    'operations-services': { type: 'string', default: '10000' },
    // Requests to each staff page one at a time (part "operations").
    'page-requests': { type: 'string', default: '30' },
    // Parts to run, comma-separated: relevance, render, search, import, referrals, reports, operations (default: all).
    only: { type: 'string', default: 'all' },
    // Where the embedded engine keeps its data; given, it is kept at the end (with --keep-db, for --reuse-db).
    'data-dir': { type: 'string' },
    // Part "operations": leave its database in place at the end / measure a kept one again instead of writing one.
    'keep-db': { type: 'boolean', default: false },
    'reuse-db': { type: 'string' },
    // Part "operations" on a reused database: only the pages, and only those whose names contain one of these.
    'pages-only': { type: 'boolean', default: false },
    pages: { type: 'string', default: '' },
    // Part "search": the in-process index on the main thread (off), in a worker thread (on, as the app by default),
    // or several in turn on the same database ("off,on"): an A/B in one run.
    'search-worker': { type: 'string', default: 'on' },
    // Part "search": node flags for the app, several variants separated by "|" measured in turn on the same database
    // ("|--max-semi-space-size=32": none, then that one), and how many times the whole list of variants is measured.
    'app-node-args': { type: 'string', default: '' },
    rounds: { type: 'string', default: '1' },
  },
})
const only = new Set(values.only.split(','))
const part = (name: string): boolean => only.has('all') || only.has(name)
const sizes = values.sizes.split(',').map(Number)
const duration = Number(values.duration)
const connections = Number(values.connections)
configureLogger('warn')

const ROOT = path.resolve(import.meta.dirname, '..')
/** Distinct results-page URLs loaded in turn, drawn from the indexed documents (scripts/bench/search-urls.ts). */
const SEARCH_URLS = 200
const BARE = '/accessibility'
/** Searches a second in the steady load: a chosen rate, well under what the app can answer at 100k. */
const STEADY_RATE = 50
/** Seconds of searches loaded after a start before anything is measured. */
const WARM_UP_SECONDS = 3
/** Characters of the app's output kept once it is ready. */
const OUTPUT_KEPT = 64 * 1024

async function timeOneRequest(url: string): Promise<number> {
  const started = performance.now()
  const response = await fetch(url)
  await response.arrayBuffer()
  return round(performance.now() - started)
}

/** CPU time in milliseconds (Linux clock ticks are 10 ms) from a /proc stat line: user + system. */
function statCpuMs(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** The CPU time of a process, every thread, and of each of its threads by id, in milliseconds. */
function cpuMs(pid: number): { total: number; threads: Map<string, number> } {
  const threads = new Map<string, number>()
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      threads.set(tid, statCpuMs(fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')))
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return { total: statCpuMs(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')), threads }
}

/** CPU time in milliseconds of the embedded engine (FerretDB, the PostgreSQL server and its backends); 0 without it. */
function engineCpuMs(): number {
  if (!embedded) return 0
  const children = (pid: string): string[] => {
    const found = spawnSync('pgrep', ['-P', pid]).stdout.toString().split('\n').filter(Boolean)
    return [pid, ...found.flatMap(children)]
  }
  const roots = spawnSync('pgrep', ['-f', path.join(dataDir, 'pg')])
    .stdout.toString()
    .split('\n')
    .filter(Boolean)
  let total = 0
  for (const pid of new Set(roots.flatMap(children))) {
    try {
      total += statCpuMs(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total
}

/**
 * Vacuums and analyses the embedded engine's tables after a bulk write, as autovacuum would soon after: otherwise it
 * does so in the middle of the next loads, on the same cores, and the first app measured pays for it.
 */
async function settleDatabase(): Promise<void> {
  if (!embedded) return
  const client = new pg.Client({ connectionString: embedded.postgresUrl })
  await client.connect()
  try {
    await client.query('VACUUM (ANALYZE)')
  } finally {
    await client.end()
  }
}

/**
 * Waits until the embedded engine is quiet (under 5% of a core for three 2 s windows in a row), at most 5 minutes;
 * returns the milliseconds waited. What an app start sets off in the engine (writes at start, autovacuum after them)
 * is not what a search page costs.
 */
async function waitForQuietEngine(): Promise<number> {
  const started = performance.now()
  let quiet = 0
  while (embedded && quiet < 3 && performance.now() - started < 300_000) {
    const before = engineCpuMs()
    await new Promise((resolve) => setTimeout(resolve, 2000))
    quiet = engineCpuMs() - before < 100 ? quiet + 1 : 0
  }
  return Math.round(performance.now() - started)
}

/** What a load sends and hears back: each answer's latency, the answers that were not 200, answers a second. */
interface Answers {
  latencies: number[]
  errors: number
  perSecond: number
}

/** `connections` clients, each sending its next path as soon as the last is answered (autocannon). */
async function asFastAsAnswered(baseUrl: string, paths: string[], seconds: number, from: number): Promise<Answers> {
  const latencies: number[] = []
  let errors = 0
  // One list for all connections, in turn (autocannon's own request list restarts at the top for each connection).
  let next = from
  const requests = [
    { method: 'GET' as const, setupRequest: (req: object) => ({ ...req, path: paths[next++ % paths.length] }) },
  ]
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: baseUrl, connections, duration: seconds, requests }, (error, res) =>
      error ? reject(error) : resolve(res),
    )
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status !== 200) errors++
      latencies.push(ms)
    })
  })
  return { latencies, errors: errors + result.non2xx, perSecond: result.requests.average }
}

/** Paths sent at random (Poisson) at `rate` a second in all, each whether or not earlier ones were answered. */
async function arrivingAt(rate: number, baseUrl: string, paths: string[], seconds: number, from: number) {
  const latencies: number[] = []
  let errors = 0
  const random = createRandom(7).next
  const started = performance.now()
  const answered: Promise<void>[] = []
  for (let at = 0, next = from; at < seconds * 1000; at += -Math.log(1 - random()) * (1000 / rate)) {
    const wait = started + at - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const sent = performance.now()
    const answer = fetch(baseUrl + paths[next++ % paths.length]!).then(async (response) => {
      await response.arrayBuffer()
      if (response.status !== 200) errors++
      latencies.push(performance.now() - sent)
    })
    answered.push(answer.catch(() => void errors++))
  }
  await Promise.all(answered)
  return { latencies, errors, perSecond: latencies.length / seconds } satisfies Answers
}

/**
 * Loads the app with `paths` in turn, from `from`, for `seconds`, and measures it: as many as it answers, or with
 * `rate`, arriving at that rate as people do (what one of them waits for at that rate).
 */
async function load(
  baseUrl: string,
  paths: string[],
  pid: number,
  seconds = duration,
  { rate, from = 0 }: { rate?: number; from?: number } = {},
) {
  const cpuBefore = cpuMs(pid)
  const ownBefore = process.cpuUsage()
  const engineBefore = engineCpuMs()
  const { latencies, errors, perSecond } = rate
    ? await arrivingAt(rate, baseUrl, paths, seconds, from)
    : await asFastAsAnswered(baseUrl, paths, seconds, from)
  const cpuAfter = cpuMs(pid)
  const busiest = Math.max(...[...cpuAfter.threads].map(([tid, ms]) => ms - (cpuBefore.threads.get(tid) ?? 0)))
  const perRequest = (ms: number): number => Math.round((ms / Math.max(1, latencies.length)) * 100) / 100
  const own = process.cpuUsage(ownBefore)
  const engine = engineCpuMs() - engineBefore
  latencies.sort((a, b) => a - b)
  return {
    /** The app's CPU time (every thread) over the requests answered. */
    cpuMsPerRequest: perRequest(cpuAfter.total - cpuBefore.total),
    /**
     * This process's own CPU time over the requests answered: the load generator (and anything else it does meanwhile)
     * shares the machine's cores with the app, so a figure is only as good as this is small beside the app's.
     */
    loadGeneratorCpuMsPerRequest: perRequest((own.user + own.system) / 1000),
    /** The embedded engine's CPU time over the requests answered (a search page should need none). */
    databaseCpuMsPerRequest: perRequest(engine),
    /** The same for its busiest thread alone: with N connections the p95 is near N times this. */
    busiestThreadCpuMsPerRequest: perRequest(busiest),
    requestsPerSecond: Math.round(perSecond),
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    non200: errors,
    requests: latencies.length,
  }
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN)
  return Math.round(kb / 1024)
}

async function startApp(
  mongodbUri: string,
  env: Record<string, string> = {},
  extraNodeArgs: string[] = [],
): Promise<{
  child: ChildProcess
  exited: Promise<unknown>
  baseUrl: string
  indexMs: number
  indexFrom: string
  output: () => string
}> {
  // As `npm start` runs it (package.json), the old-space limit included: it sets how far V8 lets garbage grow.
  // BENCH_APP_NODE_ARGS gives the app's node more flags, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeArgs = [...(process.env.BENCH_APP_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...extraNodeArgs]
  const child = spawn(
    process.execPath,
    ['--max-old-space-size=1536', '--expose-gc', ...nodeArgs, '--import', 'tsx', 'server/index.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        MONGODB_URI: mongodbUri,
        PORT: '0',
        DEMO: 'false',
        LOG_LEVEL: 'info',
        // Production: compiled templates are cached, as they would be for real users.
        NODE_ENV: 'production',
        SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef',
        RATE_LIMIT_PER_MINUTE: '100000000',
        // The embedded engine's PostgreSQL, so the app makes its GIN indexes there at start, as an embedded app does.
        ...(embedded ? { FERRETDB_POSTGRESQL_URL: embedded.postgresUrl } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const exited = new Promise((resolve) => child.once('exit', resolve))
  let out = ''
  let ready = false
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM')
      reject(new Error(`the app did not start within 5 minutes:\n${out.slice(-2000)}`))
    }, 300_000)
    void exited.then(() => {
      if (!ready) reject(new Error(`the app exited at start:\n${out.slice(-2000)}`))
    })
    child.stdout!.on('data', (chunk: Buffer) => {
      if (process.env.BENCH_DEBUG) process.stderr.write(chunk)
      // Once started, the app logs a line per request: keep only the recent lines (for the lines it logs as it stops)
      // and look for nothing in them. Scanning the whole output again on every chunk cost this process more CPU than
      // the load itself (1.5 ms a search page on this 2-core machine), and the app shares those cores.
      if (ready) {
        out += chunk.toString()
        if (out.length > 2 * OUTPUT_KEPT) out = out.slice(-OUTPUT_KEPT)
        return
      }
      out += chunk.toString()
      const url = /running at (http:\/\/\S+)/.exec(out)?.[1]
      const indexReady = /"ms":(\d+)[^\n]*search index ready/.exec(out)
      if (url && indexReady && !ready) {
        clearTimeout(timer)
        ready = true
        const indexFrom = /"from":"(\w+)"[^\n]*search index ready/.exec(out)?.[1] ?? 'unknown'
        resolve({ child, exited, baseUrl: url, indexMs: Number(indexReady[1]), indexFrom, output: () => out })
      }
    })
  })
}

async function benchSize(uri: string, count: number) {
  process.stdout.write(`\n== ${count.toLocaleString('en-GB')} services ==\n`)
  const dbName = `bench_${count}_${Date.now()}`
  const connection = await connect(uri, dbName)
  // Past FerretDB on the embedded engine, as the app reads at a cold start (engine-reads.ts): only to gather documents.
  const engine = embedded ? createEngineReader({ postgresUrl: embedded.postgresUrl, database: dbName }) : null
  const directory = createDirectoryRepository(connection, undefined, { engine })
  await directory.ensureTaxonomy(NEED_TAXONOMY)

  const bar = progressBar('writing services {bar} {value}/{total} {eta_formatted}')
  const insertStarted = performance.now()
  bar.start(count, 0)
  let written = 0
  for (const batch of generateSyntheticDirectory({ count, seed: 42, now: new Date(), batchSize: 1000 })) {
    await directory.insertAll(batch)
    written += batch.services.length
    bar.update(written)
  }
  bar.stop()
  const insertSeconds = (performance.now() - insertStarted) / 1000
  await settleDatabase()

  process.stdout.write('search index in process…\n')
  // In a function of its own, so the documents can be collected before the app is measured.
  const { inProcess, indexed, urls, distinctUrls, warmUpUrls } = await (async () => {
    const taxonomy = await directory.listTaxonomy()
    const postcodes = localPostcodes(path.join(ROOT, 'server/data/demo/postcodes.csv'))
    const docs: SearchDocument[] = []
    for await (const views of directory.iteratePublicServiceViews()) {
      for (const v of views) docs.push(toSearchDocument(v.service, v.organization, v.locations, taxonomy))
    }
    return {
      inProcess: await benchSearchInProcess(new EmbeddedSearchIndex({ resultCache: 0 }), docs, { queries: 300 }),
      indexed: docs.length,
      urls: searchUrls(docs, postcodes, { count: SEARCH_URLS }),
      // More distinct searches than a run makes, so none repeats: what a search costs without the result cache.
      distinctUrls: searchUrls(docs, postcodes, { count: 8000, seed: 99 }),
      // Loaded before the measured loads and not counted, so they measure a warmed app: searches of their own.
      warmUpUrls: searchUrls(docs, postcodes, { count: 2000, seed: 5 }),
    }
  })()
  // After this bulk write, the first run of the listing-freshness job works through every listing written and reminds
  // each overdue one: more than 5 minutes of the app's and the engine's CPU at 100k, a one-off after an import, not
  // what a search page costs. The bench holds the job's lease, as another instance running it would, so the apps it
  // measures leave the job be.
  await createLeaseRepository(connection).acquire('listing-freshness', 'bench', new Date(), 24 * 3_600_000)
  await connection.close()
  // This process shares the cores with the app it loads: its in-process index and documents (about 900 MB at 100k)
  // are collected now, not by full collections in the middle of the HTTP loads (npm run bench gives --expose-gc).
  globalThis.gc?.()

  // The first start on a fresh database is cold: the index is rebuilt from every service (which also stores the search
  // documents). The second is a normal start, from the stored search documents. Both are reported, labelled.
  process.stdout.write('the app, cold start (index rebuilt from the services)…\n')
  const appUri = `${uri.replace(/\/$/, '')}/${dbName}`
  const cold = await startApp(appUri)
  const coldStart = { indexMs: cold.indexMs, from: cold.indexFrom, rssMb: rssMb(cold.child.pid!) }
  cold.child.kill('SIGTERM')
  await cold.exited
  // The cold start stored a search document per service.
  await settleDatabase()
  const workers = values['search-worker'].split(',').map((v) => ({ on: 'true', off: 'false' })[v])
  if (workers.some((v) => v === undefined)) throw new Error('--search-worker takes on, off, or both in turn: off,on')
  const nodeArgVariants = values['app-node-args'].split('|').map((v) => v.split(' ').filter(Boolean))
  const urlSets = { urls, distinctUrls, warmUpUrls }
  const measured: Awaited<ReturnType<typeof loadApp>>[] = []
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const worker of workers) {
      for (const nodeArgs of nodeArgVariants) {
        process.stdout.write(
          `the app, normal start (index from the stored search documents, worker ${worker}${nodeArgs.length ? `, ${nodeArgs.join(' ')}` : ''}), over HTTP…\n`,
        )
        measured.push(await loadApp(appUri, urlSets, count, { SEARCH_WORKER: worker! }, nodeArgs))
      }
    }
  }
  const [first, ...others] = measured
  return {
    services: count,
    publicServicesIndexed: indexed,
    insert: { seconds: Math.round(insertSeconds * 10) / 10, perSecond: Math.round(count / insertSeconds) },
    inProcess,
    app: {
      /** Cold: the first start on this database, the index rebuilt from every service, organisation and location. */
      indexBuildColdFromServicesMs: coldStart.indexMs,
      coldStartIndexFrom: coldStart.from,
      rssMbAfterColdStart: coldStart.rssMb,
      ...first!.app,
    },
    http: first!.http,
    /** With --search-worker off,on (or any list): the same normal start and loads again for each after the first. */
    ...(others.length > 0 ? { alsoMeasured: others } : {}),
  }
}

/** A normal start on the database, then the bare page, the searches (repeated, then none repeated), the bare page. */
async function loadApp(
  appUri: string,
  { urls, distinctUrls, warmUpUrls }: { urls: string[]; distinctUrls: string[]; warmUpUrls: string[] },
  count: number,
  env: Record<string, string>,
  nodeArgs: string[] = [],
) {
  const app = await startApp(appUri, env, nodeArgs)
  const pid = app.child.pid!
  try {
    const rssAfterStart = rssMb(pid)
    const engineQuietAfterMs = await waitForQuietEngine()
    // The first search after a start does one-off work (taxonomy, vocabulary, compiled code paths): timed on its own,
    // then kept out of the loaded figures, as is a short load of other searches that warms the rest of the code.
    const firstSearchMs = await timeOneRequest(app.baseUrl + urls[0]!)
    await load(app.baseUrl, warmUpUrls, pid, WARM_UP_SECONDS)
    const bareBefore = await load(app.baseUrl, [BARE], pid)
    const search = await load(app.baseUrl, urls, pid)
    const slowest: { path: string; ms: number }[] = []
    for (const url of urls) slowest.push({ path: url, ms: await timeOneRequest(app.baseUrl + url) })
    slowest.sort((a, b) => b.ms - a.ms)
    const searchDistinct = await load(app.baseUrl, distinctUrls, pid)
    // The same kind of searches arriving at random at a rate the app keeps up with, from where the last load stopped
    // (so none repeats): what a person waits for on a busy day, rather than at the most the machine can answer.
    const searchSteady = await load(app.baseUrl, distinctUrls, pid, duration, {
      rate: STEADY_RATE,
      from: searchDistinct.requests + connections,
    })
    const bareAfter = await load(app.baseUrl, [BARE], pid)
    process.stdout.write('load done\n')
    const bareRps = Math.round((bareBefore.requestsPerSecond + bareAfter.requestsPerSecond) / 2)
    return {
      env,
      ...(nodeArgs.length ? { nodeArgs } : {}),
      app: {
        /** Normal start: the index built from the search documents stored beside the directory. */
        indexBuildAtStartMs: app.indexMs,
        indexFrom: app.indexFrom,
        /** How long the engine stayed busy after the start (background work), waited out before the loads. */
        engineQuietAfterMs,
        rssMbAfterStart: rssAfterStart,
        rssMbAfterLoad: rssMb(pid),
      },
      http: {
        connections,
        durationSeconds: duration,
        barePage: { path: BARE, before: bareBefore, after: bareAfter },
        firstSearchMs,
        /** Each of the searches once more, one at a time after the load: the slowest five. */
        slowestSearches: slowest.slice(0, 5),
        searchPage: { distinctPaths: urls.length, examplePaths: urls.slice(0, 8), ...search },
        /** Every request a search not made before in this run: no result cache hits. */
        searchPageNoRepeats: { distinctPaths: distinctUrls.length, ...searchDistinct },
        /** None repeated either, arriving at random at STEADY_RATE a second rather than as many as answered. */
        searchPageNoRepeatsSteady: { requestsPerSecondOffered: STEADY_RATE, ...searchSteady },
        searchToBareRatio: Math.round((search.requestsPerSecond / bareRps) * 100) / 100,
      },
    }
  } finally {
    app.child.kill('SIGTERM')
    await app.exited
    process.stdout.write('app stopped\n')
    // The app logs its result cache's hits and misses as it stops (both search loads together).
    const cache = /"hits":(\d+),"misses":(\d+)[^\n]*search result cache/.exec(app.output())
    if (cache) searchCache.push({ services: count, env, hits: Number(cache[1]), misses: Number(cache[2]) })
  }
}

// The relevance set on the demo directory: in process, no database.
let relevance: Awaited<ReturnType<typeof benchSearchRelevance>> | undefined
if (part('relevance')) {
  process.stdout.write('\n== Search relevance: the relevance set on the demo directory ==\n')
  relevance = await benchSearchRelevance()
  const { misses: _misses, ...figures } = relevance.embedded
  process.stdout.write(`${JSON.stringify(figures)}\n`)
}
// Where a results page's main-thread time goes: search, cards, render (in process, no database).
let render: Awaited<ReturnType<typeof benchSearchRender>> | undefined
if (part('render')) {
  process.stdout.write('\n== Search page in process: search, cards and render, mean per page ==\n')
  render = await benchSearchRender()
  process.stdout.write(`${JSON.stringify(render)}\n`)
}
const needsDatabase = ['search', 'import', 'referrals', 'reports', 'operations'].some(part)

const dataDir = values['data-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'loopwell-bench-'))
if (values['data-dir']) fs.mkdirSync(dataDir, { recursive: true })
const embedded =
  process.env.MONGODB_URI || !needsDatabase
    ? undefined
    : await startEmbeddedDatabase({ binary: path.join(ROOT, '.cache/ferretdb/ferretdb-embedded'), dataDir })
const uri = process.env.MONGODB_URI ?? embedded?.uri ?? ''
const runs: Awaited<ReturnType<typeof benchSize>>[] = []
const searchCache: { services: number; env: Record<string, string>; hits: number; misses: number }[] = []
let orukImport: Awaited<ReturnType<typeof benchOrukImport>> | null = null
let referrals: Awaited<ReturnType<typeof benchReferralSubmit>> | undefined
let reports: Awaited<ReturnType<typeof benchReports>> | undefined
let operations: Awaited<ReturnType<typeof benchOperations>> | undefined
try {
  if (part('search')) for (const size of sizes) runs.push(await benchSize(uri, size))
  const importSize = Number(values['import-size'])
  if (importSize > 0 && part('import')) {
    process.stdout.write(`\n== Open Referral UK import of ${importSize.toLocaleString('en-GB')} services ==\n`)
    orukImport = await benchOrukImport(uri, importSize)
  }
  if (part('referrals')) {
    process.stdout.write('\n== Referral submit: 200 at once (80 distinct, 120 retries), then 50 one at a time ==\n')
    referrals = await benchReferralSubmit(uri, { postgresUrl: embedded?.postgresUrl })
  }
  if (part('reports')) {
    const count = Number(values.referrals)
    process.stdout.write(`\n== Report pages at ${count.toLocaleString('en-GB')} referrals, as a commissioner ==\n`)
    reports = await benchReports(uri, { referrals: count, startApp })
  }
  if (part('operations')) {
    const count = Number(values.referrals)
    const serviceCount = Number(values['operations-services'])
    process.stdout.write(
      `\n== Staff pages, submit and jobs at ${count.toLocaleString('en-GB')} referrals, ${serviceCount.toLocaleString('en-GB')} services ==\n`,
    )
    operations = await benchOperations(uri, {
      postgresUrl: embedded?.postgresUrl,
      referrals: count,
      services: serviceCount,
      startApp: (appUri) => {
        // Session cookies are Secure in production: the app runs as behind a TLS-terminating proxy.
        const trustProxy = process.env.TRUST_PROXY
        process.env.TRUST_PROXY = 'true'
        return startApp(appUri).finally(() => {
          if (trustProxy === undefined) delete process.env.TRUST_PROXY
          else process.env.TRUST_PROXY = trustProxy
        })
      },
      connections,
      duration,
      requests: Number(values['page-requests']),
      reuseDb: values['reuse-db'],
      keep: values['keep-db'],
      pagesOnly: values['pages-only'],
      pageNames: values.pages ? values.pages.split(',') : [],
    })
  }
} finally {
  await embedded?.stop()
  if (!values['data-dir']) fs.rmSync(dataDir, { recursive: true, force: true })
}

const at = (n: number) => runs.find((r) => r.services === n)
const targets = {
  'in-process search p95 ≤ 10 ms at 100k (each query kind)': at(100_000)
    ? Math.max(...Object.values(at(100_000)!.inProcess.queries).map((q) => q.p95)) <= 10
    : null,
  'search page ≥ 40% of bare page requests/s at 10k': at(10_000) ? at(10_000)!.http.searchToBareRatio >= 0.4 : null,
  'search page p95 ≤ 50 ms at 100k': at(100_000) ? at(100_000)!.http.searchPage.p95Ms <= 50 : null,
  'app memory ≤ 700 MB at 100k': at(100_000) ? at(100_000)!.app.rssMbAfterLoad <= 700 : null,
  'index build at a normal start (stored search documents) ≤ 30 s at 100k': at(100_000)
    ? at(100_000)!.app.indexBuildAtStartMs <= 30_000
    : null,
  'index build cold (every service, after a bulk import) ≤ 30 s at 100k': at(100_000)
    ? at(100_000)!.app.indexBuildColdFromServicesMs <= 30_000
    : null,
  'report pages p95 ≤ 1 s at 100k referrals':
    reports?.referrals === 100_000 ? reports.http.overall.p95Ms <= 1000 : null,
  'ORUK import of 100k services ≤ 2 minutes': orukImport?.services === 100_000 ? orukImport.seconds <= 120 : null,
  'relevance set: no query finds nothing': relevance ? relevance.embedded.zeroResultRate === 0 : null,
  'relevance set: right kind of service in the top 5 for ≥ 90%': relevance
    ? relevance.embedded.rightKindInTop5 >= 0.9
    : null,
  'relevance set: urgent-support callout for 100% of crisis queries': relevance
    ? relevance.embedded.crisisRecall === 1
    : null,
  ...operationTargets(),
}

/** The operations targets, judged only at 100,000 referrals. */
function operationTargets(): Record<string, boolean | null> {
  const o = operations?.referrals === 100_000 ? operations : undefined
  // A page that failed has neither figure; one too slow to load has no loaded figure: both count as not met.
  type PageFigures = { oneAtATime?: { p95Ms: number }; loaded?: { p95Ms?: number; non200?: number } }
  const pages = o ? (Object.values(o.pages) as PageFigures[]) : []
  type JobRun = { databaseMs: number }
  const jobs = o?.jobs as
    | { clockSweep: { second: JobRun }; reportFacts: { refresh: JobRun }; listingFreshness: { second: JobRun } }
    | undefined
  return {
    'every staff page p95 ≤ 150 ms one at a time at 100k referrals': o
      ? pages.every((p) => (p.oneAtATime?.p95Ms ?? Infinity) <= 150)
      : null,
    'every staff page p95 ≤ 600 ms with 20 connections at 100k referrals': o
      ? pages.every((p) => (p.loaded?.p95Ms ?? Infinity) <= 600 && p.loaded?.non200 === 0)
      : null,
    'referral submit p95 ≤ 100 ms one at a time at 100k': o?.submit ? o.submit.sequential.p95Ms <= 100 : null,
    '200 submissions at once stored exactly once at 100k': o?.submit ? o.submit.concurrent.storedExactlyOnce : null,
    'clock sweep, report refresh, freshness job ≤ 2 s of database time each at 100k': jobs
      ? jobs.clockSweep.second.databaseMs <= 2000 &&
        jobs.reportFacts.refresh.databaseMs <= 2000 &&
        jobs.listingFreshness.second.databaseMs <= 2000
      : null,
    'ready (healthz ok, reports warm) ≤ 30 s with 100k referrals': o ? o.startup.toReportsWarmMs! <= 30_000 : null,
    'app RSS ≤ 700 MB at 100k referrals': o
      ? Math.max(o.startup.rssMbAfterStart!, o.startup.rssMbAfterLoad!) <= 700
      : null,
  }
}
const report = {
  at: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  },
  database: embedded ? 'embedded PostgreSQL + FerretDB v1.24.2' : 'MONGODB_URI',
  loadAverage: os.loadavg().map((n) => Math.round(n * 10) / 10),
  relevance,
  render,
  runs,
  searchCache,
  orukImport,
  referrals,
  reports,
  operations,
  targets,
}
fs.mkdirSync(path.dirname(path.resolve(ROOT, values.out)), { recursive: true })
fs.writeFileSync(path.resolve(ROOT, values.out), `${JSON.stringify(report, null, 2)}\n`)
process.stdout.write(`\n${JSON.stringify(targets, null, 2)}\nWritten to ${values.out}\n`)
