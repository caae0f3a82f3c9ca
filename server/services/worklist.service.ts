// The link worker's worklist: what needs the referring team now, each item one click from where to act on it.
// Item kinds are a list, so other features (social prescribing episodes) can add theirs: each kind says what it is
// called and how an item of it is found.
import type { AttentionItem, ReferralSummary } from '../domain/referral-records'
import type { ReferralRepository } from '../data/repositories/referral.repository'
import type { ReportFact } from '../domain/report-fact'
import type { AuditService } from './audit.service'
import { overdueSteps, OVERDUE_LABELS, type OverdueStep } from '../domain/referral-clocks'
import { pageOf } from '../domain/paging'
import type { PersonActor as Actor } from './person.service'
import { organisationIds, hasRole } from '../domain/roles'

export const WORKLIST_KINDS = {
  declined: { heading: 'Declined by the organisation', action: 'Find somewhere else' },
  'no-response': { heading: 'Returned with no response', action: 'Find somewhere else' },
  message: { heading: 'Messages from organisations', action: 'Read and reply' },
  'asked-for-help': { heading: 'Asked for more help', action: 'Get in touch' },
  overdue: { heading: 'Overdue steps', action: 'Chase' },
  'follow-up': { heading: 'Follow-ups due', action: 'Record the follow-up' },
  'episode-task': { heading: 'Social prescribing tasks due', action: 'Open the episode' },
} as const
export type WorklistKind = keyof typeof WORKLIST_KINDS

export interface WorklistItem {
  kind: WorklistKind
  /** The referral it is about; for an episode task, the episode (`target` says which). */
  referralId: string
  /** Null until the page's referrals are read (an item found from a referral's fact has no name). */
  personName: string | null
  serviceName: string
  organisationName: string
  /** When it arose (or fell due), for ordering and display. */
  at: Date
  /** For overdue items: which steps. */
  detail: string | null
  /** Where acting on it starts: the referral page or its outcome page, or the episode's page. */
  target: 'referral' | 'outcome' | 'episode'
  /** Whether "mark as dealt with" applies (overdue items clear when the step is done). */
  clearable: boolean
}

/** What an item is worked out from: a referral, or an open referral's report fact (no name, no attention items). */
export type WorklistSource = Pick<
  ReferralSummary,
  'id' | 'status' | 'open' | 'serviceName' | 'organisationName' | 'submittedAt' | 'acknowledgedAt' | 'firstContactAt'
> & {
  clocks: Pick<ReferralSummary['clocks'], 'acknowledgeBy' | 'contactBy' | 'outcomeBy'>
  attention?: ReferralSummary['attention']
  shared?: { name: string }
}

/** The fields of an open referral's report fact the worklist reads. */
export type OpenReferralFact = Pick<
  ReportFact,
  | 'id'
  | 'status'
  | 'open'
  | 'serviceName'
  | 'organisationName'
  | 'submittedAt'
  | 'acknowledgeBy'
  | 'acknowledgedAt'
  | 'contactBy'
  | 'contactedAt'
  | 'outcomeBy'
>

export function sourceOfFact(f: OpenReferralFact): WorklistSource {
  const date = (d: Date | null) => d ?? new Date(8_640_000_000_000_000)
  return {
    id: f.id,
    status: f.status as ReferralSummary['status'],
    open: f.open,
    serviceName: f.serviceName,
    organisationName: f.organisationName ?? '',
    submittedAt: f.submittedAt,
    acknowledgedAt: f.acknowledgedAt,
    firstContactAt: f.contactedAt,
    clocks: { acknowledgeBy: date(f.acknowledgeBy), contactBy: date(f.contactBy), outcomeBy: date(f.outcomeBy) },
  }
}

/** The steps of a referral overdue at `now`; its clocks may have been read back from a cache as strings. */
export function overdueAt(
  r: Pick<WorklistSource, 'status' | 'clocks' | 'acknowledgedAt' | 'firstContactAt'>,
  now: Date,
): OverdueStep[] {
  const { acknowledgeBy, contactBy, outcomeBy } = r.clocks
  return overdueSteps(
    {
      status: r.status,
      clocks: {
        acknowledgeBy: new Date(acknowledgeBy),
        contactBy: new Date(contactBy),
        outcomeBy: new Date(outcomeBy),
      },
      acknowledgedAt: r.acknowledgedAt,
      firstContactAt: r.firstContactAt,
    },
    now,
  )
}

/** Which attention items a referral shows now: a follow-up only once due. */
export function shownAttention(r: Pick<WorklistSource, 'attention'>, now: Date): AttentionItem[] {
  return (r.attention ?? []).filter((a) => !a.dueAt || new Date(a.dueAt) <= now)
}

/**
 * The worklist items of a set of referrals at `now`, with `others` found elsewhere (episode tasks), newest first
 * within each kind, kinds in list order.
 */
export function worklistItems(
  referrals: readonly WorklistSource[],
  now: Date,
  others: readonly WorklistItem[] = [],
): WorklistItem[] {
  const items: WorklistItem[] = [...others]
  for (const r of referrals) {
    const base = {
      referralId: r.id,
      personName: r.shared?.name ?? null,
      serviceName: r.serviceName,
      organisationName: r.organisationName,
    }
    for (const a of shownAttention(r, now)) {
      items.push({
        ...base,
        kind: a.kind,
        at: new Date(a.dueAt ?? a.at),
        detail: null,
        target: a.kind === 'follow-up' || a.kind === 'asked-for-help' ? 'outcome' : 'referral',
        clearable: true,
      })
    }
    if (r.open) {
      const steps = overdueAt(r, now)
      if (steps.length) {
        items.push({
          ...base,
          kind: 'overdue',
          at: new Date(r.submittedAt),
          detail: steps.map((s) => OVERDUE_LABELS[s]).join(', '),
          target: 'referral',
          clearable: false,
        })
      }
    }
  }
  const order = Object.keys(WORKLIST_KINDS)
  return items.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || b.at.getTime() - a.at.getTime())
}

/** Every worklist item of a team: from its flagged referrals, its open referrals' facts and its episode tasks due. */
function itemsOf(
  flagged: readonly WorklistSource[],
  open: readonly OpenReferralFact[],
  tasks: readonly DueEpisodeTasks[],
  now: Date,
): WorklistItem[] {
  const sources = new Map<string, WorklistSource>()
  for (const f of open) sources.set(f.id, sourceOfFact(f))
  for (const r of flagged) sources.set(r.id, r)
  const taskItems: WorklistItem[] = tasks.map((t) => ({
    kind: 'episode-task',
    referralId: t.episodeId,
    personName: null,
    serviceName: 'Social prescribing',
    organisationName: '',
    at: new Date(`${t.due}T00:00:00Z`),
    detail: null,
    target: 'episode',
    clearable: false,
  }))
  return worklistItems([...sources.values()], now, taskItems)
}

/** An open episode of the team with tasks due by today (from its fact: the due days, not the words). */
export interface DueEpisodeTasks {
  episodeId: string
  /** The earliest due day among its tasks due. */
  due: string
}

/** What an episode task item shows once its episode is read: the person, and the words of its tasks due. */
export interface EpisodeTaskDetail {
  personName: string
  teamName: string
  tasks: { text: string; due: string; doneAt: Date | null }[]
}

export function createWorklistService(deps: {
  referrals: ReferralRepository
  /** The teams' open episodes with tasks due by `today` ("2026-12-07"), from the episode facts in memory. */
  dueEpisodeTasks: (teamIds: readonly string[], today: string) => Promise<readonly DueEpisodeTasks[]>
  /** One episode, read by id for the page's task items. */
  episodeTasks: (episodeId: string) => Promise<EpisodeTaskDetail | null>
  /**
   * The teams' open referrals' report facts (held in memory, this process's writes included): which are overdue is
   * worked out from them, so no request reads a team's open referrals whole.
   */
  openReferrals: (teamIds: readonly string[]) => Promise<readonly OpenReferralFact[]>
  audit: AuditService
  clock?: () => Date
}) {
  const clock = deps.clock ?? (() => new Date())
  const teamsOf = (actor: Actor) => (hasRole(actor, 'link_worker') ? organisationIds(actor, 'team') : [])
  /**
   * The items last worked out from a list of open referrals' facts (the report service gives the same list again until
   * a fact changes), with what else they came from: the flagged referrals' versions, the tasks due and the minute. A
   * busy team's thousands of open referrals are then gone through once a minute, or after a change, not per request.
   */
  const built = new WeakMap<readonly OpenReferralFact[], { key: string; items: WorklistItem[] }>()
  return {
    /**
     * One page of what needs the actor's team now (25, most pressing kind first), with the total. Items come from the
     * referrals flagged for the team's attention (a bounded set, read whole) and the open referrals' facts; the
     * page's people's names are then read from its referrals, by id.
     */
    async forActor(actor: Actor, ip: string | null, page = 1) {
      const teams = teamsOf(actor)
      const now = clock()
      const today = now.toISOString().slice(0, 10)
      const [flagged, open, tasks] = await Promise.all([
        Promise.all(teams.map((t) => deps.referrals.listFlagged(t))).then((l) => l.flat()),
        deps.openReferrals(teams),
        deps.dueEpisodeTasks(teams, today),
      ])
      await deps.audit.record({
        actor,
        action: 'referral.viewed',
        recordType: 'worklist',
        recordId: teams.join(','),
        ip,
      })
      const key = [
        Math.floor(now.getTime() / 60_000),
        flagged.map((r) => `${r.id}:${r.version}:${r.attention?.length ?? 0}`).join(),
        tasks.map((t) => `${t.episodeId}:${t.due}`).join(),
      ].join('|')
      const cached = built.get(open)
      const all = cached?.key === key ? cached.items : itemsOf(flagged, open, tasks, now)
      if (cached?.key !== key) built.set(open, { key, items: all })
      const shown = pageOf(all, page)
      // The page's names (and its tasks' words), each record read by id.
      const unnamed = [...new Set(shown.items.filter((i) => i.personName === null && i.target !== 'episode'))]
      const names = new Map(
        (await deps.referrals.summariesByIds(unnamed.map((i) => i.referralId))).map((r) => [r.id, r.shared.name]),
      )
      const episodeIds = shown.items.filter((i) => i.target === 'episode').map((i) => i.referralId)
      const episodes = new Map(
        await Promise.all(episodeIds.map(async (id) => [id, await deps.episodeTasks(id)] as const)),
      )
      const items = shown.items.map((i) => {
        if (i.target !== 'episode') return { ...i, personName: i.personName ?? names.get(i.referralId) ?? null }
        const e = episodes.get(i.referralId)
        const due = (e?.tasks ?? []).filter((t) => !t.doneAt && t.due <= today).map((t) => t.text)
        return {
          ...i,
          personName: e?.personName ?? null,
          organisationName: e?.teamName ?? '',
          detail: due.length ? `${due.length === 1 ? 'Task' : 'Tasks'}: ${due.join('; ')}` : null,
        }
      })
      return { ...shown, items, now }
    },

    /** Marks a referral's shown items as dealt with. Outside the actor's teams: false, nothing changes. */
    async clear(actor: Actor, referralId: string, ip: string | null): Promise<boolean> {
      const referral = await deps.referrals.get(referralId)
      if (!referral || !teamsOf(actor).includes(referral.teamId)) return false
      await deps.referrals.clearAttention(referralId, clock())
      await deps.audit.record({
        actor,
        action: 'referral.changed',
        recordType: 'referral',
        recordId: referralId,
        ip,
        detail: { action: 'worklist-cleared' },
      })
      return true
    },
  }
}

export type WorklistService = ReturnType<typeof createWorklistService>
