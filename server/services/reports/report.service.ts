// Reports. Facts live in the database (report_facts) and, for reading, in this process's memory: on first use read
// from the month packs (report_fact_packs) and then the facts changed since the packs were written, later only those
// changed since the last read (every `refreshMs`, in the background) so another instance's writes appear, and
// written through on every upsert made here. Months whose facts changed are packed again now and then. A report
// filters and groups the facts in memory per request: at 100,000 referrals that takes milliseconds, where reading
// every fact document from FerretDB takes most of a minute.
// Every report passes through suppressReport before it is returned, for every role.
import type { CareOrganisationRecord } from '../../domain/account-records'
import type {
  FactPersonRecord,
  FactReferralRecord,
  ReportFactRepository,
} from '../../data/repositories/report-fact.repository'
import type { SignpostingRecord } from '../../domain/referral-records'
import type { TaxonomyTerm } from '../../data/taxonomy'
import { newId } from '../../domain/ids'
import { NotFoundError } from '../../errors'
import { createLogger } from '../../logger'
import { createInterner, packFacts, packMonthOf, unpackFacts } from '../../data/report-fact-packs'
import { createBackgroundWrites } from '../background-writes'
import { DEFAULT_CLOCK_TARGETS, type ClockTargets } from '../../domain/referral-clocks'
import { reportNames } from './aggregate'
import {
  REPORTS,
  findReport,
  type PracticeInfo,
  type ReportContext,
  type VersionedSource,
  type ReportNames,
  type ReportSources,
} from './registry'
import { filterFacts, submittedBetween } from './filter-facts'
import { toReportFact, toSignpostingFact, type ReportFact } from './report-facts'
import { wholeMonths, type Report, type ReportFilters } from './report-types'
import { suppressReport } from './suppression'

const log = createLogger('reports')

/** How far back an incremental refresh looks before the last one started: covers clock skew between instances. */
const REFRESH_OVERLAP_MS = 5 * 60_000
const BATCH = 500
/** Changed months are packed again at most this often; every pack is marked current at least every PACK_MAX_AGE_MS. */
const PACK_EVERY_MS = 10 * 60_000
const PACK_MAX_AGE_MS = 6 * 3_600_000

export interface RebuildProgress {
  done: number
  total: number
}

export interface FilterOptions {
  practices: { value: string; text: string }[]
  pcns: { value: string; text: string }[]
  organisations: { value: string; text: string }[]
  needs: { value: string; text: string }[]
}

function practiceInfo(p: CareOrganisationRecord): PracticeInfo {
  return { id: p.id, name: p.name, pcn: p.pcn, population: p.population ?? null }
}

/** Dates come back from the database as Dates, but a fact may have been built from strings: make sure. */
function revive(fact: ReportFact): ReportFact {
  const d = (v: Date | null) => (v ? new Date(v) : null)
  return {
    ...fact,
    submittedAt: new Date(fact.submittedAt),
    acknowledgeBy: d(fact.acknowledgeBy),
    acknowledgedAt: d(fact.acknowledgedAt),
    contactBy: d(fact.contactBy),
    contactedAt: d(fact.contactedAt),
    outcomeBy: d(fact.outcomeBy),
    closedAt: d(fact.closedAt),
    updatedAt: new Date(fact.updatedAt),
  }
}

export function createReportService(deps: {
  facts: ReportFactRepository
  taxonomy: readonly TaxonomyTerm[]
  targets?: ClockTargets
  /** How old the in-memory facts may be before they are refreshed from the database (another instance's writes). */
  refreshMs?: number
  sources?: ReportSources
  clock?: () => Date
  /** Pack changed months after a read (default true; off for a process that only writes facts). */
  packs?: boolean
}) {
  const clock = deps.clock ?? (() => new Date())
  const targets = deps.targets ?? DEFAULT_CLOCK_TARGETS
  const refreshMs = deps.refreshMs ?? 60_000
  const repo = deps.facts

  const byId = new Map<string, ReportFact>()
  /** Raised by every change to the facts in memory: a cached report made at another version is stale. */
  let version = 0
  /** Recently built reports (the same page asked again, by another reader or a reload), until the facts change. */
  const built = new Map<string, { version: string; at: number; report: Report }>()
  const CACHE_SIZE = 100
  let practices: PracticeInfo[] = []
  let loadedAt: Date | null = null
  let loading: Promise<void> | null = null

  /** Every fact, by submittedAt once `unsorted` is dealt with (new facts are appended, then sorted on next read). */
  const sorted: ReportFact[] = []
  let unsorted = false
  /** Names by id over every fact, at the version they were worked out. */
  let names: { version: number; names: ReportNames } | null = null
  /** Referrals and signpostings per episode over every fact, at the version they were counted. */
  let connections: { version: number; byEpisode: Map<string, number> } | null = null
  function connectionsOf(episodeId: string): number {
    if (connections?.version !== version) {
      const byEpisode = new Map<string, number>()
      for (const f of sorted) if (f.episodeId) byEpisode.set(f.episodeId, (byEpisode.get(f.episodeId) ?? 0) + 1)
      connections = { version, byEpisode }
    }
    return connections.byEpisode.get(episodeId) ?? 0
  }
  /** Organisations seen in the facts, for the filter form, at the version they were worked out. */
  let organisationOptions: { version: number; list: { value: string; text: string }[] } | null = null

  /**
   * Keeps the newer of two versions of a fact: a write made here while a read was in flight is never undone. A known
   * fact is updated in place (its submittedAt never changes), so the sorted list stays sorted.
   */
  const interner = createInterner()
  /** Months holding a fact that changed since this process last read or wrote their packs. */
  let dirtyMonths = new Set<string>()
  let packedAt: number | null = null
  let packing: Promise<void> | null = null
  let rebuilding = false

  function remember(fact: ReportFact, changed = true) {
    const known = byId.get(fact.id)
    if (!known) {
      interner.fact(fact)
      byId.set(fact.id, fact)
      sorted.push(fact)
      unsorted = true
      version++
    } else if (known.updatedAt.getTime() <= fact.updatedAt.getTime()) {
      Object.assign(known, interner.fact(fact))
      version++
    } else return
    if (changed) dirtyMonths.add(packMonthOf(fact))
  }

  function sortedFacts(): readonly ReportFact[] {
    if (unsorted) {
      // Mostly sorted already (a few appended): the sort is close to one pass.
      sorted.sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime())
      unsorted = false
    }
    return sorted
  }

  /** On first read: every stored pack into memory; the time from which changed facts must still be read. */
  async function loadPacks(): Promise<Date | undefined> {
    const stored = await repo.readPacks()
    if (!stored.length) return undefined
    try {
      for (const pack of stored) for (const fact of await unpackFacts(pack.data, interner)) remember(fact, false)
    } catch (error) {
      // A pack this Node cannot read (written by a newer one): read every fact instead, and pack them again.
      log.warn({ err: error instanceof Error ? error.name : 'error' }, 'report fact packs not readable')
      return undefined
    }
    return new Date(Math.min(...stored.map((p) => p.asOf.getTime())))
  }

  /** The rebuild the facts in memory come from (null before any; undefined until first read). */
  let generation: string | null | undefined

  async function load(): Promise<void> {
    const started = clock()
    const current = await repo.generation()
    if (loadedAt && current !== generation) {
      // Another process rebuilt the facts: start again from its packs.
      byId.clear()
      sorted.length = 0
      loadedAt = null
      packedAt = null
      dirtyMonths = new Set()
    }
    generation = current
    const readUpTo = loadedAt ?? (await loadPacks())
    const since = readUpTo ? new Date(readUpTo.getTime() - REFRESH_OVERLAP_MS) : undefined
    const upTo = new Date(Math.max(started.getTime(), Date.now()))
    const [facts, practiceList] = await Promise.all([repo.list(since, upTo), repo.listPractices()])
    for (const fact of facts) remember(revive(fact))
    practices = practiceList.map(practiceInfo)
    version++
    loadedAt = started
    if (deps.packs !== false) startPacking()
  }

  /** The facts of one month, from the sorted list. */
  function factsOfMonth(month: string): ReportFact[] {
    const from = Date.parse(`${month}-01T00:00:00Z`)
    const start = new Date(from)
    const to = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)
    return submittedBetween(sortedFacts(), from, to)
  }

  /** Packs the months given, then marks every pack current up to `asOf`. */
  async function writePacks(months: ReadonlySet<string>, asOf: Date): Promise<void> {
    for (const month of months) {
      const facts = factsOfMonth(month)
      await repo.writePack({ month, asOf, count: facts.length, data: await packFacts(facts) })
    }
    await repo.markPacksCurrent(asOf)
    packedAt = clock().getTime()
  }

  /**
   * Packs the months that changed, then marks every pack current up to the last read: in the background, at most
   * every PACK_EVERY_MS, and at least every PACK_MAX_AGE_MS so a start never reads back further than that.
   */
  function startPacking(): void {
    const now = clock().getTime()
    const due = packedAt === null || now - packedAt >= (dirtyMonths.size ? PACK_EVERY_MS : PACK_MAX_AGE_MS)
    if (packing || rebuilding || !loadedAt || !due) return
    const asOf = loadedAt
    const months = dirtyMonths
    dirtyMonths = new Set()
    packing = writePacks(months, asOf)
      .catch((error: unknown) => {
        for (const month of months) dirtyMonths.add(month)
        log.warn({ err: error instanceof Error ? error.name : 'error' }, 'report fact packs not written')
      })
      .finally(() => {
        packing = null
      })
  }

  function reload(): Promise<void> {
    loading ??= load().finally(() => {
      loading = null
    })
    return loading
  }

  // Fact writes after a referral write are not awaited by the user's request (they tripled a submit's time); readers
  // wait for those still pending, so a report made here always includes this process's own writes. Writes for one
  // record run one after another (each reads the record afresh), so an older fact never lands after a newer one.
  const factWrites = createBackgroundWrites()
  const factsWritten = () => factWrites.settled()

  /** The facts in memory: read on first use; refreshed in the background when older than refreshMs. */
  async function current(): Promise<void> {
    await factsWritten()
    if (!loadedAt) return reload()
    if (clock().getTime() - loadedAt.getTime() > refreshMs && !loading) {
      reload().catch((error: unknown) =>
        log.warn({ err: error instanceof Error ? error.name : 'error' }, 'report facts refresh failed'),
      )
    }
  }

  /**
   * A person's equality fields and practice, kept for refreshMs: a referral's every step rewrites its fact, and the
   * clock job steps through many referrals at once, so this saves a read per write.
   */
  const people = new Map<string, { at: number; person: FactPersonRecord | null }>()
  async function personOf(id: string): Promise<FactPersonRecord | null> {
    const now = clock().getTime()
    const known = people.get(id)
    if (known && now - known.at < refreshMs) return known.person
    const person = await repo.getPerson(id)
    if (people.size > 10_000) people.clear()
    people.set(id, { at: now, person })
    return person
  }

  /** Practices by id, remade whenever the list is re-read. */
  let practiceById = new Map<string, PracticeInfo>()
  let indexed: PracticeInfo[] | null = null
  function practiceOf(id: string | null): PracticeInfo | null {
    if (!id) return null
    if (indexed !== practices) {
      practiceById = new Map(practices.map((p) => [p.id, p]))
      indexed = practices
    }
    return practiceById.get(id) ?? null
  }

  async function save(fact: ReportFact): Promise<void> {
    await repo.upsert(fact)
    remember(fact)
  }

  async function writeReferralFact(id: string): Promise<void> {
    try {
      const referral = await repo.getReferral(id)
      if (!referral) return
      const person = await personOf(referral.personId)
      if (!practices.length || (referral.practiceId && !practiceOf(referral.practiceId)))
        practices = (await repo.listPractices()).map(practiceInfo)
      await save(toReportFact(referral, person, practiceOf(referral.practiceId), clock()))
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.name : 'error', referralId: id }, 'report fact not written')
    }
  }

  async function writeSignpostingFact(id: string, names: { teamName?: string; organisationName?: string }) {
    try {
      const signposting = await repo.getSignposting(id)
      if (!signposting) return
      const person = await personOf(signposting.personId)
      await save(
        toSignpostingFact({ ...signposting, ...names }, person, practiceOf(person?.practiceId ?? null), clock()),
      )
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.name : 'error', signpostingId: id }, 'report fact not written')
    }
  }

  const needName = (id: string) => deps.taxonomy.find((t) => t.id === id || t.code === id)?.name ?? 'Unknown need'

  return {
    list() {
      return REPORTS.map(({ id, title, summary }) => ({ id, title, summary }))
    },

    /**
     * The open referrals of these teams, as their facts (the worklist works out overdue steps from them): this
     * process's writes included, another instance's after the next refresh.
     */
    async openReferralFacts(teamIds: readonly string[]): Promise<ReportFact[]> {
      await current()
      const teams = new Set(teamIds)
      return sorted.filter((f) => f.open && f.kind === 'referral' && teams.has(f.teamId))
    },

    /** Reads (or refreshes) the facts now, e.g. at start, so the first reader does not wait. */
    warm: () => reload(),

    /** Resolves when every fact write started so far has ended (shutdown and tests wait for it). */
    factsWritten,

    /** Resolves when the packs being written (if any) are written (tests and the benchmark wait for it). */
    packsWritten: async () => {
      await packing
    },

    /**
     * Starts writing the fact of one referral (after any write to it) and returns at once; readers of this service
     * wait for it. Never throws: a failure is logged with the referral's id only, and a rebuild repairs it.
     */
    referralChanged(id: string): void {
      factWrites.start(() => writeReferralFact(id), id)
    },

    /** Starts writing the fact of one signposting, as referralChanged. */
    signpostingChanged(id: string, names: { teamName?: string; organisationName?: string } = {}): void {
      factWrites.start(() => writeSignpostingFact(id, names), id)
    },

    /**
     * Rebuilds every fact from referrals and signpostings (streamed in batches), reporting progress; then re-reads
     * keeps them in memory and packs them by month. Safe to run while the app serves: readers keep the facts in memory
     * meanwhile, and a fact written by a live referral write meanwhile is newer than the rebuild's and is kept. Another
     * instance sees the rebuilt facts through its refresh (they are stamped as they are written); its own writes
     * during a rebuild reach this process only if made in the last REFRESH_OVERLAP_MS: restart other instances after
     * a rebuild made while they served.
     */
    async rebuildFacts(onProgress: (p: RebuildProgress) => void = () => undefined): Promise<number> {
      const counts = await repo.countSources()
      const total = counts.referrals + counts.signpostings
      // Say how much there is before reading every person's equality fields (tens of seconds at 100,000).
      onProgress({ done: 0, total })
      const everyone = new Map<string, FactPersonRecord>((await repo.listPeople()).map((p) => [p.id, p]))
      practices = (await repo.listPractices()).map(practiceInfo)
      const teamNames = new Map<string, string>()
      const organisationNames = new Map<string, string>()
      let done = 0
      rebuilding = true
      await packing
      await repo.clear()
      // Each batch is stamped when it is written, so another instance's refresh (changes since its last read) sees it.
      for await (const batch of repo.referralBatches(BATCH)) {
        const now = clock()
        const facts = batch.map((r: FactReferralRecord) => {
          teamNames.set(r.teamId, r.teamName)
          organisationNames.set(r.organisationId, r.organisationName)
          return toReportFact(r, everyone.get(r.personId) ?? null, practiceOf(r.practiceId), now)
        })
        await repo.insertMany(facts, { rebuilt: true })
        for (const fact of facts) remember(fact)
        done += batch.length
        onProgress({ done, total: Math.max(total, done) })
      }
      for await (const batch of repo.signpostingBatches(BATCH)) {
        const now = clock()
        const facts = batch.map((s: SignpostingRecord) => {
          const person = everyone.get(s.personId) ?? null
          return toSignpostingFact(
            { ...s, teamName: teamNames.get(s.teamId), organisationName: organisationNames.get(s.organisationId) },
            person,
            practiceOf(person?.practiceId ?? null),
            now,
          )
        })
        await repo.insertMany(facts, { rebuilt: true })
        for (const fact of facts) remember(fact)
        done += batch.length
        onProgress({ done, total: Math.max(total, done) })
      }
      // Every fact is in memory now (reading them back would take most of a minute at 100,000): pack every month,
      // then name a new generation, so other processes read these packs instead of their own copies.
      loadedAt = clock()
      version++
      try {
        if (deps.packs !== false) {
          const months = dirtyMonths
          dirtyMonths = new Set()
          await writePacks(months, loadedAt)
          generation = newId()
          await repo.setGeneration(generation)
        }
      } finally {
        rebuilding = false
      }
      return done
    },

    /** At start: rebuilds the facts when there are none but there are referrals (a new deployment of reports). */
    async ensureFacts(onProgress?: (p: RebuildProgress) => void): Promise<number> {
      if ((await repo.count()) > 0) return 0
      const counts = await repo.countSources()
      if (counts.referrals + counts.signpostings === 0) return 0
      return this.rebuildFacts(onProgress)
    },

    /** What the filter form offers: practices and PCNs from the database, organisations seen in the facts, needs. */
    async filterOptions(): Promise<FilterOptions> {
      await current()
      const byText = (a: { text: string }, b: { text: string }) => a.text.localeCompare(b.text)
      if (organisationOptions?.version !== version) {
        const organisations = new Map<string, string>()
        for (const f of sorted) if (f.organisationName) organisations.set(f.organisationId, f.organisationName)
        organisationOptions = {
          version,
          list: [...organisations].map(([value, text]) => ({ value, text })).sort(byText),
        }
      }
      return {
        practices: practices.map((p) => ({ value: p.id, text: p.name })).sort(byText),
        pcns: [...new Set(practices.map((p) => p.pcn).filter((p): p is string => Boolean(p)))]
          .map((p) => ({ value: p, text: p }))
          .sort(byText),
        organisations: organisationOptions.list,
        needs: deps.taxonomy.map((t) => ({
          value: t.id,
          text: t.parentCode ? `${deps.taxonomy.find((p) => p.code === t.parentCode)?.name ?? ''}: ${t.name}` : t.name,
        })),
      }
    },

    /**
     * One report for the chosen filters over the whole months they touch, with small numbers suppressed. NotFoundError
     * for an unknown id.
     */
    async build(reportId: string, chosen: ReportFilters): Promise<Report> {
      const definition = findReport(reportId)
      if (!definition) throw new NotFoundError('There is no report with that name')
      // Whole months, whatever the caller asked: no two reports can differ by a few days (see wholeMonths).
      const filters = wholeMonths(chosen)
      await current()
      const sources = Object.values(deps.sources ?? {}) as VersionedSource[]
      await Promise.all(sources.map((s) => s.settled?.()))
      const at = [version, ...sources.map((s) => s.version?.() ?? 0)].join(',')
      const key = JSON.stringify([
        reportId,
        filters.from,
        filters.to,
        filters.practiceId,
        filters.pcn,
        filters.organisationId,
        filters.need,
      ])
      const cached = built.get(key)
      // Kept while the facts are unchanged, and never longer than refreshMs (timeliness depends on the time now).
      if (cached && cached.version === at && clock().getTime() - cached.at < refreshMs) return cached.report
      const inScope = filters.practiceId
        ? practices.filter((p) => p.id === filters.practiceId)
        : filters.pcn
          ? practices.filter((p) => p.pcn === filters.pcn)
          : practices
      const context: ReportContext = {
        facts: filterFacts(sortedFacts(), filters, practices, deps.taxonomy, { sorted: true }),
        asOf: loadedAt ?? clock(),
        now: clock(),
        targets,
        taxonomy: deps.taxonomy,
        needName,
        practices,
        practicesInScope: inScope,
        sources: deps.sources ?? {},
        names: (names?.version === version ? names : (names = { version, names: reportNames(sorted) })).names,
        connectionsOf,
      }
      const report = suppressReport(await definition.build(filters, context))
      built.delete(key)
      built.set(key, { version: at, at: clock().getTime(), report })
      if (built.size > CACHE_SIZE) built.delete(built.keys().next().value!)
      return report
    },

    /** How many facts are in memory (for the rebuild script and the benchmark). */
    size: () => byId.size,
  }
}

export type ReportService = ReturnType<typeof createReportService>
