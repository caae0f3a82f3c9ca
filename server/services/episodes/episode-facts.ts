// The episodes report's facts, kept like the report facts: one small stored fact per episode (episode_facts), written
// in the background after every episode write, held in this process's memory — read whole on first use, then only the
// hours written since, every refreshMs, so another instance's writes appear. A deployment whose episodes outnumber
// their facts (the first start with this report, or episodes written in bulk) builds the missing ones once at start.
import type { EpisodeFactRepository } from '../../data/repositories/episode-fact.repository'
import type { EpisodeRecord } from '../../domain/episode'
import { createLogger } from '../../logger'
import { createBackgroundWrites } from '../background-writes'
import { EPISODE_FACT_FORMAT, toEpisodeFact, type EpisodeFact, type EpisodeSources } from './episode-report'

const log = createLogger('episode-facts')
/** How far back a refresh looks before the last one started: covers clock skew between instances. */
const OVERLAP_MS = 5 * 60_000

type FactEpisode = Omit<EpisodeRecord, 'events' | 'messages'> & Partial<Pick<EpisodeRecord, 'messages'>>

function parse(json: string): EpisodeFact {
  const fact = JSON.parse(json) as EpisodeFact
  return {
    ...fact,
    referredAt: new Date(fact.referredAt),
    triagedAt: fact.triagedAt ? new Date(fact.triagedAt) : null,
    ownerId: fact.ownerId ?? null,
    // Absent from facts stored before the caseload sorted by them, until the rebuild at the next start.
    lastContactOn: fact.lastContactOn ?? null,
    openTaskDues: fact.openTaskDues ?? [],
    gpFeedbackConsent: fact.gpFeedbackConsent ?? false,
    messages: fact.messages ?? [],
  }
}

export function createEpisodeFacts(deps: {
  store: EpisodeFactRepository
  episodes: {
    get(id: string): Promise<FactEpisode | null>
    factSourceBatches(size?: number): AsyncGenerator<FactEpisode[]>
  }
  refreshMs: number
  clock?: () => Date
}): EpisodeSources & {
  /** Starts writing one episode's fact (after any write to it); never throws. */
  changed(id: string): void
  /** Resolves when every fact write started so far has ended. */
  settled(): Promise<void>
  /** Changes whenever the facts in memory do. */
  version(): number
  /** Builds the facts of episodes that have none (at start); how many were built. */
  ensure(): Promise<number>
} {
  const clock = deps.clock ?? (() => new Date())
  const byId = new Map<string, EpisodeFact>()
  let list: EpisodeFact[] | null = null
  let version = 0
  let readAt: Date | null = null
  let loading: Promise<void> | null = null
  const writes = createBackgroundWrites()

  async function load() {
    const started = clock()
    const since = readAt ? new Date(readAt.getTime() - OVERLAP_MS) : undefined
    for (const stored of await deps.store.list(since, new Date(Math.max(started.getTime(), Date.now()))))
      byId.set(stored.id, parse(stored.json))
    list = null
    version++
    readAt = started
  }
  const reload = () =>
    (loading ??= load().finally(() => {
      loading = null
    }))

  async function write(id: string) {
    try {
      const episode = await deps.episodes.get(id)
      if (!episode) return
      const fact = toEpisodeFact(episode)
      await deps.store.upsert({ id, json: JSON.stringify(fact) }, clock())
      byId.set(id, fact)
      list = null
      version++
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.name : 'error', episodeId: id }, 'episode fact not written')
    }
  }

  return {
    async facts() {
      await writes.settled()
      if (!readAt) await reload()
      else if (clock().getTime() - readAt.getTime() > deps.refreshMs && !loading)
        reload().catch((error: unknown) =>
          log.warn({ err: error instanceof Error ? error.name : 'error' }, 'episode facts refresh failed'),
        )
      return (list ??= [...byId.values()])
    },
    changed(id) {
      writes.start(() => write(id), id)
    },
    settled: () => writes.settled(),
    version: () => version,
    async ensure() {
      // Facts stored in an older format are all built again, once; else only missing ones are built.
      const current = await deps.store.hasFormat(EPISODE_FACT_FORMAT)
      if (current) {
        const [facts, episodes] = await Promise.all([deps.store.count(), deps.store.countEpisodes()])
        if (facts >= episodes) return 0
      }
      if (!current) await deps.store.clear()
      let built = 0
      for await (const batch of deps.episodes.factSourceBatches(1000)) {
        await deps.store.insertMissing(
          batch.map((e) => ({ id: e.id, json: JSON.stringify(toEpisodeFact(e)) })),
          clock(),
        )
        built += batch.length
      }
      await deps.store.setFormat(EPISODE_FACT_FORMAT)
      return built
    },
  }
}
