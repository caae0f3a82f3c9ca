// What the unmet need and directory health reports read besides the facts: search misses and one small row per
// service, held in this process's memory. Each is read on first use and then refreshed in the background when
// older than its interval (misses incrementally: they are insert-only), so no request waits on a scan of
// search_misses or services, which on FerretDB's SQLite backend takes seconds at 100,000.
import type { SearchMissRecord } from '../../domain/directory-records'
import type { ServiceHealthRow } from '../../data/repositories/report-sources.repository'
import { createLogger } from '../../logger'
import type { ReportContext } from './registry'

const log = createLogger('report-sources')

/** How far back an incremental read of misses looks before the last one started (clock skew between instances). */
const OVERLAP_MS = 5 * 60_000

export interface DirectorySources {
  /** Every recorded search miss (no or few results). */
  searchMisses(): Promise<readonly SearchMissRecord[]>
  /** Every service, as a small row. */
  services(): Promise<readonly ServiceHealthRow[]>
  /** When the service rows were read. */
  servicesAsOf(): Date | null
}

/** The key under ReportContext.sources (see registry.ts) that holds the DirectorySources. */
export const DIRECTORY_SOURCES = 'directory'

export function directorySources(context: Pick<ReportContext, 'sources'>): DirectorySources {
  const sources = context.sources[DIRECTORY_SOURCES] as DirectorySources | undefined
  if (!sources) throw new Error(`report sources are missing "${DIRECTORY_SOURCES}" (server/container.ts)`)
  return sources
}

/** A value read on first use and re-read in the background once older than refreshMs; failures keep the last value. */
function refreshing<T>(name: string, load: (previous: T | null) => Promise<T>, refreshMs: number, clock: () => Date) {
  let value: T | null = null
  let at: Date | null = null
  let loading: Promise<T> | null = null
  const reload = () => {
    const started = clock()
    loading ??= load(value)
      .then((v) => {
        value = v
        at = started
        return v
      })
      .finally(() => {
        loading = null
      })
    return loading
  }
  return {
    async get(): Promise<T> {
      if (value === null || at === null) return reload()
      if (clock().getTime() - at.getTime() > refreshMs && !loading)
        reload().catch((error: unknown) =>
          log.warn(
            { err: error instanceof Error ? error.name : 'error', source: name },
            'report source refresh failed',
          ),
        )
      return value
    },
    asOf: () => at,
    reload,
  }
}

export function createDirectorySources(deps: {
  repo: {
    searchMissesSince(since: Date | null): Promise<SearchMissRecord[]>
    serviceHealthRows(): Promise<ServiceHealthRow[]>
    /** Rows of services written since; null when too far back (read every row instead). */
    serviceHealthRowsChangedSince?(since: Date, now: Date): Promise<ServiceHealthRow[] | null>
    /** Changes when a bulk write makes every row worth reading again. */
    bulkWriteStamp?(): Promise<string | null>
  }
  /** How old the misses and service rows may be before they are refreshed (both read only what changed since). */
  refreshMs: number
  /** How old the service rows may be (default refreshMs). */
  servicesRefreshMs?: number
  clock?: () => Date
}): DirectorySources & { warm(): Promise<void> } {
  const clock = deps.clock ?? (() => new Date())
  let missesReadAt: Date | null = null
  const misses = refreshing<Map<string, SearchMissRecord>>(
    'search-misses',
    async (previous) => {
      const started = clock()
      const since = missesReadAt ? new Date(missesReadAt.getTime() - OVERLAP_MS) : null
      const next = new Map(previous ?? [])
      for (const miss of await deps.repo.searchMissesSince(since)) next.set(miss.id, miss)
      missesReadAt = started
      return next
    },
    deps.refreshMs,
    clock,
  )
  let servicesReadAt: Date | null = null
  let bulkStamp: string | null = null
  const services = refreshing<ServiceHealthRow[]>(
    'services',
    async (previous) => {
      const started = clock()
      const stamp = (await deps.repo.bulkWriteStamp?.()) ?? null
      const changed =
        previous && servicesReadAt && stamp === bulkStamp && deps.repo.serviceHealthRowsChangedSince
          ? await deps.repo.serviceHealthRowsChangedSince(new Date(servicesReadAt.getTime() - OVERLAP_MS), started)
          : null
      let next: ServiceHealthRow[]
      if (previous && changed) {
        const byId = new Map(previous.map((row) => [row.id, row]))
        for (const row of changed) byId.set(row.id, row)
        next = [...byId.values()]
      } else next = await deps.repo.serviceHealthRows()
      servicesReadAt = started
      bulkStamp = stamp
      return next
    },
    deps.servicesRefreshMs ?? deps.refreshMs,
    clock,
  )
  return {
    searchMisses: async () => [...(await misses.get()).values()],
    services: () => services.get(),
    servicesAsOf: () => services.asOf(),
    async warm() {
      await Promise.all([misses.reload(), services.reload()])
    },
  }
}

/** True when `at` falls in the report's period (inclusive dates, whole days in UTC, as report.service filters facts). */
export function inPeriod(at: Date, period: { from: Date; to: Date }): boolean {
  const from = Date.UTC(period.from.getUTCFullYear(), period.from.getUTCMonth(), period.from.getUTCDate())
  const to = Date.UTC(period.to.getUTCFullYear(), period.to.getUTCMonth(), period.to.getUTCDate() + 1)
  const t = at.getTime()
  return t >= from && t < to
}

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
