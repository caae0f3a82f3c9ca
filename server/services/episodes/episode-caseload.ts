// The team's caseload and the worklist's episode tasks, both worked out from the episode facts in memory (a small
// fact per episode, kept up to date after every write): only the episodes a page shows are read, by id.
import {
  isOpenStage,
  episodeClock,
  episodeUrgency,
  EPISODE_STAGES,
  type EpisodeStage,
  type EpisodeTargets,
} from '../../domain/episode'
import type { PersonActor } from '../person.service'
import type { EpisodeContext } from './episode-context'
import type { EpisodeFact } from './episode-report'

export const EPISODE_PAGE_SIZE = 25
export const DEFAULT_CASELOAD_BENCHMARK = 250

/** Each version of the facts (a new list after any change) grouped by team, worked out once. */
const teamGroups = new WeakMap<readonly EpisodeFact[], Map<string, EpisodeFact[]>>()
function factsOfTeams(all: readonly EpisodeFact[], teamIds: readonly string[]): EpisodeFact[] {
  let byTeam = teamGroups.get(all)
  if (!byTeam) {
    byTeam = new Map()
    for (const f of all) {
      const list = byTeam.get(f.teamId)
      if (list) list.push(f)
      else byTeam.set(f.teamId, [f])
    }
    teamGroups.set(all, byTeam)
  }
  return [...new Set(teamIds)].flatMap((t) => byTeam.get(t) ?? [])
}

/** A caseload's counts by stage, this year's number, the overdue count and one stage's episodes in order. */
function workOut(
  teamFacts: readonly EpisodeFact[],
  stage: EpisodeStage,
  mine: string | null,
  now: Date,
  targets: EpisodeTargets,
) {
  const facts = teamFacts.filter((f) => mine === null || f.ownerId === mine)
  const counts = Object.fromEntries(EPISODE_STAGES.map((s) => [s, 0])) as Record<EpisodeStage, number>
  for (const f of facts) counts[f.stage]++
  const yearStart = new Date(Date.UTC(now.getUTCFullYear(), 0, 1))
  const thisYear = facts.filter(
    (f) => f.stage !== 'declined' && f.stage !== 'triage' && (f.triagedAt ?? f.referredAt) >= yearStart,
  ).length
  const urgency = (f: EpisodeFact) => episodeUrgency(f, now, targets)
  const overdueCount = facts.filter((f) => {
    if (!isOpenStage(f.stage)) return false
    const u = urgency(f)
    return u.stepOverdue !== null || u.tasksOverdue > 0
  }).length
  const inStage = facts.filter((f) => f.stage === stage)
  let ordered: EpisodeFact[]
  if (isOpenStage(stage)) {
    // Most urgent first: most overdue, then the next contact due, then the longest waiting.
    const keyed = inStage.map((f) => {
      const u = urgency(f)
      return { f, overdue: (u.stepOverdue ? 1 : 0) + u.tasksOverdue, next: u.nextContactDue ?? '9999' }
    })
    keyed.sort(
      (a, b) =>
        b.overdue - a.overdue || a.next.localeCompare(b.next) || a.f.referredAt.getTime() - b.f.referredAt.getTime(),
    )
    ordered = keyed.map((k) => k.f)
  } else {
    // Closed: newest first.
    ordered = inStage.sort((a, b) => b.referredAt.getTime() - a.referredAt.getTime())
  }
  return { counts, thisYear, overdueCount, ordered }
}
type CaseloadFigures = ReturnType<typeof workOut>

export function createEpisodeCaseload({ deps, clock, targets, teamsOf }: EpisodeContext) {
  const { episodes, audit } = deps
  const worked = new WeakMap<readonly EpisodeFact[], Map<string, CaseloadFigures>>()
  const benchmark = deps.caseloadBenchmark ?? DEFAULT_CASELOAD_BENCHMARK

  return {
    /**
     * The caseload: the actor's team's episodes (or only theirs), counts by stage, one stage's page of 25 sorted by
     * what is due, and this year's caseload against the benchmark. Selection is by teamId or ownerId equality.
     */
    async caseload(
      actor: PersonActor,
      options: { stage: EpisodeStage; mine: boolean; page: number },
      ip: string | null,
    ) {
      const teams = teamsOf(actor)
      const now = clock()
      // Counts, order and paging come from the facts; no page reads a team's open episodes whole. What they give is
      // kept for the same facts (a new list after any change), teams, stage and minute: working out every episode's
      // urgency was most of a request's time at 40,000 episodes.
      const all = await deps.facts()
      const mine = options.mine ? actor.id : null
      const key = [teams.join(), mine ?? '', options.stage, Math.floor(now.getTime() / 60_000)].join('|')
      let cached = worked.get(all)?.get(key)
      if (!cached) {
        cached = workOut(factsOfTeams(all, teams), options.stage, mine, now, targets)
        const forFacts = worked.get(all) ?? new Map<string, CaseloadFigures>()
        if (forFacts.size > 200) forFacts.clear()
        worked.set(all, forFacts.set(key, cached))
      }
      const { counts, thisYear, overdueCount, ordered } = cached
      const total = ordered.length
      const pages = Math.max(1, Math.ceil(total / EPISODE_PAGE_SIZE))
      const page = Math.min(Math.max(1, options.page), pages)
      const ids = ordered.slice((page - 1) * EPISODE_PAGE_SIZE, page * EPISODE_PAGE_SIZE).map((f) => f.id)
      // An episode another instance moved on since its fact was read is left off this page until the facts catch up.
      const shown = (await episodes.listByIds(ids)).filter((e) => e.stage === options.stage)
      const rows = shown.map((e) => ({ episode: e, ...episodeClock(e, now, targets) }))
      await audit.recordOn(actor, 'person.viewed', 'episode-caseload', teams.join(','), ip, {
        stage: options.stage,
        mine: options.mine,
      })
      return { counts, rows, total, page, pages, overdueCount, thisYear, benchmark, now }
    },

    /**
     * The teams' open episodes with tasks due by `today` ("2026-12-07"), each with its earliest due day: the
     * worklist's task items, whose words are read for its page only (`taskDetail`).
     */
    async dueTasks(teamIds: readonly string[], today: string) {
      return factsOfTeams(await deps.facts(), teamIds).flatMap((f) => {
        if (!isOpenStage(f.stage)) return []
        const due = f.openTaskDues.filter((d) => d <= today).sort()
        return due.length ? [{ episodeId: f.id, due: due[0]! }] : []
      })
    },

    /** An episode's person, team and tasks, for a worklist item (the worklist checks the team by its own list). */
    async taskDetail(id: string) {
      const e = await episodes.get(id)
      if (!e) return null
      return { personName: `${e.person.givenName} ${e.person.familyName}`, teamName: e.teamName, tasks: e.tasks }
    },
  }
}
