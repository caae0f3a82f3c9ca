// The report facts in this process's memory. On first use they are read from the month packs (report_fact_packs)
// and then the facts changed since the packs were written; later only those changed since the last read (every
// `refreshMs`, in the background) so another instance's writes appear. Months whose facts changed are packed again
// now and then. A rebuild writes every fact from the referrals and signpostings and keeps them here as it goes.
import type { CareOrganisationRecord } from '../../domain/account-records'
import type {
  FactPersonRecord,
  FactReferralRecord,
  ReportFactRepository,
} from '../../data/repositories/report-fact.repository'
import type { SignpostingRecord } from '../../domain/referral-records'
import { newId } from '../../domain/ids'
import { createLogger } from '../../logger'
import { createInterner, packFacts, packMonthOf, unpackFacts } from '../../data/report-fact-packs'
import type { PracticeInfo } from './registry'
import { submittedBetween } from './filter-facts'
import { toReportFact, toSignpostingFact, type ReportFact } from './report-facts'

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

export function practiceInfo(p: CareOrganisationRecord): PracticeInfo {
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

export type ReportFactStore = ReturnType<typeof createReportFactStore>

export function createReportFactStore(deps: {
  repo: ReportFactRepository
  clock: () => Date
  /** Pack changed months after a read (default true; off for a process that only writes facts). */
  packs?: boolean
}) {
  const { repo, clock } = deps
  const byId = new Map<string, ReportFact>()
  /** Raised by every change to the facts in memory: anything worked out at another version is stale. */
  let version = 0
  let practices: PracticeInfo[] = []
  let loadedAt: Date | null = null
  let loading: Promise<void> | null = null

  /** Every fact, by submittedAt once `unsorted` is dealt with (new facts are appended, then sorted on next read). */
  const sorted: ReportFact[] = []
  let unsorted = false

  const interner = createInterner()
  /** Months holding a fact that changed since this process last read or wrote their packs. */
  let dirtyMonths = new Set<string>()
  let packedAt: number | null = null
  let packing: Promise<void> | null = null
  let rebuilding = false

  /**
   * Keeps the newer of two versions of a fact: a write made here while a read was in flight is never undone. A known
   * fact is updated in place (its submittedAt never changes), so the sorted list stays sorted.
   */
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

  return {
    remember,
    sortedFacts,
    /** Every fact in memory, in no promised order. */
    all: (): readonly ReportFact[] => sorted,
    version: () => version,
    practices: () => practices,
    practiceOf,
    async readPractices() {
      practices = (await repo.listPractices()).map(practiceInfo)
    },
    loadedAt: () => loadedAt,
    reload,
    size: () => byId.size,
    packsWritten: async () => {
      await packing
    },

    /** Read on first use; refreshed in the background when older than refreshMs. */
    async refresh(refreshMs: number): Promise<void> {
      if (!loadedAt) return reload()
      if (clock().getTime() - loadedAt.getTime() > refreshMs && !loading) {
        reload().catch((error: unknown) =>
          log.warn({ err: error instanceof Error ? error.name : 'error' }, 'report facts refresh failed'),
        )
      }
    },

    /**
     * Rebuilds every fact from referrals and signpostings (streamed in batches), reporting progress; keeps them in
     * memory and packs them by month. Safe to run while the app serves: readers keep the facts in memory meanwhile,
     * and a fact written by a live referral write meanwhile is newer than the rebuild's and is kept. Another instance
     * sees the rebuilt facts through its refresh (they are stamped as they are written); its own writes during a
     * rebuild reach this process only if made in the last REFRESH_OVERLAP_MS: restart other instances after a rebuild
     * made while they served.
     */
    async rebuild(onProgress: (p: RebuildProgress) => void): Promise<number> {
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
  }
}
