// The link worker's worklist: what needs the referring team now, each item one click from where to act on it.
// Item kinds are a list, so other features (social prescribing episodes) can add theirs: each kind says what it is
// called and how an item of it is found.
import type { AttentionItem, ReferralSummary } from '../domain/referral-records'
import type { ReferralRepository } from '../data/repositories/referral.repository'
import type { AuditService } from './audit.service'
import { overdueSteps, OVERDUE_LABELS } from '../domain/referral-clocks'
import type { PersonActor as Actor } from './person.service'
import { organisationIds, hasRole } from '../domain/roles'

export const WORKLIST_KINDS = {
  declined: { heading: 'Declined by the organisation', action: 'Find somewhere else' },
  'no-response': { heading: 'Returned with no response', action: 'Find somewhere else' },
  message: { heading: 'Messages from organisations', action: 'Read and reply' },
  'asked-for-help': { heading: 'Asked for more help', action: 'Get in touch' },
  overdue: { heading: 'Overdue steps', action: 'Chase' },
  'follow-up': { heading: 'Follow-ups due', action: 'Record the follow-up' },
} as const
export type WorklistKind = keyof typeof WORKLIST_KINDS

export interface WorklistItem {
  kind: WorklistKind
  referralId: string
  personName: string
  serviceName: string
  organisationName: string
  /** When it arose (or fell due), for ordering and display. */
  at: Date
  /** For overdue items: which steps. */
  detail: string | null
  /** Where acting on it starts: the referral page or its outcome page. */
  target: 'referral' | 'outcome'
  /** Whether "mark as dealt with" applies (overdue items clear when the step is done). */
  clearable: boolean
}

/** Which attention items a referral shows now: a follow-up only once due. */
export function shownAttention(r: Pick<ReferralSummary, 'attention'>, now: Date): AttentionItem[] {
  return (r.attention ?? []).filter((a) => !a.dueAt || new Date(a.dueAt) <= now)
}

/** The worklist items of a set of referrals at `now`, newest first within each kind, kinds in list order. */
export function worklistItems(referrals: readonly ReferralSummary[], now: Date): WorklistItem[] {
  const items: WorklistItem[] = []
  for (const r of referrals) {
    const base = {
      referralId: r.id,
      personName: r.shared.name,
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
      const steps = overdueSteps(
        {
          status: r.status,
          clocks: {
            ...r.clocks,
            acknowledgeBy: new Date(r.clocks.acknowledgeBy),
            contactBy: new Date(r.clocks.contactBy),
            outcomeBy: new Date(r.clocks.outcomeBy),
          },
          acknowledgedAt: r.acknowledgedAt,
          firstContactAt: r.firstContactAt,
        },
        now,
      )
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

export function createWorklistService(deps: {
  referrals: ReferralRepository
  audit: AuditService
  clock?: () => Date
}) {
  const clock = deps.clock ?? (() => new Date())
  const teamsOf = (actor: Actor) => (hasRole(actor, 'link_worker') ? organisationIds(actor, 'team') : [])
  return {
    /** Everything that needs the actor's team now. */
    async forActor(actor: Actor, ip: string | null) {
      const teams = teamsOf(actor)
      const lists = await Promise.all(teams.map((t) => deps.referrals.listWorklist(t)))
      await deps.audit.record({
        actor,
        action: 'referral.viewed',
        recordType: 'worklist',
        recordId: teams.join(','),
        ip,
      })
      const now = clock()
      return { items: worklistItems(lists.flat(), now), now }
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
