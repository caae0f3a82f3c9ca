// Reports: the list, the filter form's choices, and each report built for its filters over the facts in memory
// (report-fact-store.ts; kept in step with every referral write by report-fact-writes.ts). A report filters and groups
// the facts per request: at 100,000 referrals that takes milliseconds, where reading every fact document from
// FerretDB takes most of a minute; a built report is reused until the facts change.
// Every report passes through suppressReport before it is returned, for every role.
import type { ReportFactRepository } from '../../data/repositories/report-fact.repository'
import type { TaxonomyTerm } from '../../data/taxonomy'
import { NotFoundError } from '../../errors'
import { DEFAULT_CLOCK_TARGETS, type ClockTargets } from '../../domain/referral-clocks'
import { reportNames } from './aggregate'
import {
  REPORTS,
  findReport,
  type ReportContext,
  type VersionedSource,
  type ReportNames,
  type ReportSources,
} from './registry'
import { filterFacts } from './filter-facts'
import type { ReportFact } from './report-facts'
import { createReportFactStore, type RebuildProgress } from './report-fact-store'
import { createReportFactWrites } from './report-fact-writes'
import { wholeMonths, type Report, type ReportFilters } from './report-types'
import { suppressReport } from './suppression'

export type { RebuildProgress } from './report-fact-store'

export interface FilterOptions {
  practices: { value: string; text: string }[]
  pcns: { value: string; text: string }[]
  organisations: { value: string; text: string }[]
  needs: { value: string; text: string }[]
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

  const store = createReportFactStore({ repo, clock, packs: deps.packs })
  const writes = createReportFactWrites({ repo, store, refreshMs, clock })
  const factsWritten = () => writes.settled()
  /** The facts in memory, with every fact write started here included. */
  async function current(): Promise<void> {
    await factsWritten()
    await store.refresh(refreshMs)
  }

  /** Recently built reports (the same page asked again, by another reader or a reload), until the facts change. */
  const built = new Map<string, { version: string; at: number; report: Report }>()
  const CACHE_SIZE = 100
  /** Names by id over every fact, at the version they were worked out. */
  let names: { version: number; names: ReportNames } | null = null
  /** Referrals and signpostings per episode over every fact, at the version they were counted. */
  let connections: { version: number; byEpisode: Map<string, number> } | null = null
  function connectionsOf(episodeId: string): number {
    if (connections?.version !== store.version()) {
      const byEpisode = new Map<string, number>()
      for (const f of store.all()) if (f.episodeId) byEpisode.set(f.episodeId, (byEpisode.get(f.episodeId) ?? 0) + 1)
      connections = { version: store.version(), byEpisode }
    }
    return connections.byEpisode.get(episodeId) ?? 0
  }
  /** Organisations seen in the facts, for the filter form, at the version they were worked out. */
  let organisationOptions: { version: number; list: { value: string; text: string }[] } | null = null

  const needName = (id: string) => deps.taxonomy.find((t) => t.id === id || t.code === id)?.name ?? 'Unknown need'

  /**
   * The open referrals' facts by team, worked out once per version of the facts (one pass over every fact), and the
   * same list given again for the same teams until the facts change, so a reader may keep what it built from it.
   */
  let openFacts: { version: number; byTeam: Map<string, ReportFact[]>; byTeams: Map<string, ReportFact[]> } | null =
    null
  function openFactsOf(teamIds: readonly string[]): readonly ReportFact[] {
    if (openFacts?.version !== store.version()) {
      const byTeam = new Map<string, ReportFact[]>()
      for (const f of store.all()) {
        if (!f.open || f.kind !== 'referral') continue
        const list = byTeam.get(f.teamId)
        if (list) list.push(f)
        else byTeam.set(f.teamId, [f])
      }
      openFacts = { version: store.version(), byTeam, byTeams: new Map() }
    }
    const key = [...teamIds].sort().join(',')
    let list = openFacts.byTeams.get(key)
    if (!list) openFacts.byTeams.set(key, (list = teamIds.flatMap((t) => openFacts!.byTeam.get(t) ?? [])))
    return list
  }

  return {
    list() {
      return REPORTS.map(({ id, title, summary }) => ({ id, title, summary }))
    },

    /**
     * The open referrals of these teams, as their facts (the worklist works out overdue steps from them): this
     * process's writes included, another instance's after the next refresh.
     */
    async openReferralFacts(teamIds: readonly string[]): Promise<readonly ReportFact[]> {
      await current()
      return openFactsOf(teamIds)
    },

    /** Reads (or refreshes) the facts now, e.g. at start, so the first reader does not wait. */
    warm: () => store.reload(),

    /** Resolves when every fact write started so far has ended (shutdown and tests wait for it). */
    factsWritten,

    /** Resolves when the packs being written (if any) are written (tests and the benchmark wait for it). */
    packsWritten: () => store.packsWritten(),

    /**
     * Starts writing the fact of one referral (after any write to it) and returns at once; readers of this service
     * wait for it. Never throws: a failure is logged with the referral's id only, and a rebuild repairs it.
     */
    referralChanged(id: string): void {
      writes.referralChanged(id)
    },

    /** Starts writing the fact of one signposting, as referralChanged. */
    signpostingChanged(id: string, names: { teamName?: string; organisationName?: string } = {}): void {
      writes.signpostingChanged(id, names)
    },

    /** Rebuilds every fact from referrals and signpostings, reporting progress (see the fact store). */
    rebuildFacts: (onProgress: (p: RebuildProgress) => void = () => undefined): Promise<number> =>
      store.rebuild(onProgress),

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
      const version = store.version()
      const practices = store.practices()
      if (organisationOptions?.version !== version) {
        const organisations = new Map<string, string>()
        for (const f of store.all()) if (f.organisationName) organisations.set(f.organisationId, f.organisationName)
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
      const version = store.version()
      const practices = store.practices()
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
        facts: filterFacts(store.sortedFacts(), filters, practices, deps.taxonomy, { sorted: true }),
        asOf: store.loadedAt() ?? clock(),
        now: clock(),
        targets,
        taxonomy: deps.taxonomy,
        needName,
        practices,
        practicesInScope: inScope,
        sources: deps.sources ?? {},
        names: (names?.version === version ? names : (names = { version, names: reportNames(store.all()) })).names,
        connectionsOf,
      }
      const report = suppressReport(await definition.build(filters, context))
      built.delete(key)
      built.set(key, { version: at, at: clock().getTime(), report })
      if (built.size > CACHE_SIZE) built.delete(built.keys().next().value!)
      return report
    },

    /** How many facts are in memory (for the rebuild script and the benchmark). */
    size: () => store.size(),
  }
}

export type ReportService = ReturnType<typeof createReportService>
