// The social prescribing episodes report: episodes by referral source and practice, why they were not taken on, time
// from referral to the first conversation, contacts and connections per episode, discharge reasons and wellbeing
// change. It reads de-identified episode facts (toEpisodeFact: no name, NHS number, contact detail, free text, date
// of birth or person id), held in memory and refreshed in the background like the other report sources; the report
// service suppresses small numbers and makes the CSVs as for every report.
import { measureChanges, type MeasureRecord } from '../measures/measures'
import { countColumns, mean } from '../reports/aggregate'
import type { ReportContext } from '../reports/registry'
import { inPeriod, median } from '../reports/report-sources'
import type { Report, ReportFilters, ReportRow, ReportTable } from '../reports/report-types'
import {
  clockInputOf,
  DISCHARGE_REASONS,
  REFERRAL_SOURCES,
  TRIAGE_DECLINE_REASONS,
  type EpisodeRecord,
  type EpisodeStage,
  type ReferralSource,
} from '../../domain/episode'

export interface EpisodeFact {
  id: string
  referredAt: Date
  source: ReferralSource
  practiceId: string | null
  teamId: string
  /** The link worker the episode is assigned to (a staff account, for the caseload's "mine"); null when unassigned. */
  ownerId: string | null
  stage: EpisodeStage
  accepted: boolean
  /** When it was triaged (accepted or declined); null while waiting. */
  triagedAt: Date | null
  declineReason: string | null
  needs: string[]
  /** Calendar days from the referral to the first conversation; null before it. */
  daysToFirstConversation: number | null
  contacts: number
  contactMinutes: number
  dischargeReason: string | null
  /** Per wellbeing score (instrument and label), the change from the start to the end of the episode. */
  wellbeing: { instrument: string; label: string; change: number }[]
  /** What the caseload sorts open episodes by (domain/episode.ts episodeUrgency): dates only, no task words. */
  lastContactOn: string | null
  openTaskDues: string[]
  /** For the GP practice's page of messages back: whether the person agreed, and each message's id and time. */
  gpFeedbackConsent: boolean
  messages: { id: string; at: string }[]
}

/** Raised when a fact gains a field, so facts stored before it are built again once (episode-facts.ts ensure). */
export const EPISODE_FACT_FORMAT = 2

export type EpisodeFactSource = Pick<
  EpisodeRecord,
  | 'id'
  | 'referredAt'
  | 'referrer'
  | 'person'
  | 'teamId'
  | 'ownerId'
  | 'stage'
  | 'triagedAt'
  | 'declineReason'
  | 'needs'
  | 'firstConversationAt'
  | 'contacts'
  | 'dischargeReason'
  | 'measures'
  | 'tasks'
  | 'gpFeedbackConsent'
> &
  Partial<Pick<EpisodeRecord, 'messages'>>

const DAY = 86_400_000

export function toEpisodeFact(e: EpisodeFactSource): EpisodeFact {
  const referredAt = new Date(e.referredAt)
  const clock = clockInputOf(e)
  return {
    id: e.id,
    referredAt,
    source: e.referrer.source,
    practiceId: e.person.practiceId,
    teamId: e.teamId,
    ownerId: e.ownerId ?? null,
    stage: e.stage,
    accepted: e.triagedAt !== null && e.stage !== 'declined',
    triagedAt: e.triagedAt ? new Date(e.triagedAt) : null,
    declineReason: e.declineReason,
    needs: e.needs,
    daysToFirstConversation: e.firstConversationAt
      ? Math.max(0, Math.round((new Date(e.firstConversationAt).getTime() - referredAt.getTime()) / DAY))
      : null,
    contacts: e.contacts.length,
    contactMinutes: e.contacts.reduce((sum, c) => sum + c.minutes, 0),
    dischargeReason: e.dischargeReason,
    wellbeing: measureChanges((e.measures as MeasureRecord[]).map((m) => ({ ...m, at: new Date(m.at) }))).flatMap((m) =>
      m.changes
        .filter((c) => c.change !== null)
        .map((c) => ({ instrument: m.name, label: c.label, change: c.change! })),
    ),
    lastContactOn: clock.lastContactOn,
    openTaskDues: [...clock.openTaskDues],
    gpFeedbackConsent: e.gpFeedbackConsent,
    messages: (e.messages ?? []).map((m) => ({ id: m.id, at: new Date(m.at).toISOString() })),
  }
}

/** The key under ReportContext.sources that holds the episode facts. */
export const EPISODE_SOURCES = 'episodes'

export interface EpisodeSources {
  facts(): Promise<readonly EpisodeFact[]>
}

export async function buildEpisodeReport(filters: ReportFilters, context: ReportContext): Promise<Report> {
  const sources = context.sources[EPISODE_SOURCES] as EpisodeSources | undefined
  if (!sources) throw new Error(`report sources are missing "${EPISODE_SOURCES}" (server/container.ts)`)
  const inScope = new Set(context.practicesInScope.map((p) => p.id))
  const areaFiltered = Boolean(filters.practiceId || filters.pcn)
  const needs = filters.need ? new Set(context.taxonomy.filter((t) => t.id === filters.need).map((t) => t.id)) : null
  const facts = (await sources.facts()).filter(
    (f) =>
      inPeriod(f.referredAt, filters) &&
      (!areaFiltered || (f.practiceId !== null && inScope.has(f.practiceId))) &&
      (!needs || f.needs.some((n) => needs.has(n))),
  )
  const practices = new Map(context.practices.map((p) => [p.id, p.name]))

  const group = <K extends string>(items: readonly EpisodeFact[], key: (f: EpisodeFact) => K | null) => {
    const out = new Map<K, EpisodeFact[]>()
    for (const f of items) {
      const k = key(f)
      if (k === null) continue
      out.set(k, [...(out.get(k) ?? []), f])
    }
    return [...out.entries()].sort((a, b) => b[1].length - a[1].length)
  }
  const volume = (label: string, list: EpisodeFact[]): ReportRow => ({
    label,
    episodes: list.length,
    accepted: list.filter((f) => f.accepted).length,
    declined: list.filter((f) => f.stage === 'declined').length,
  })
  const volumeColumns = (label: string) => [
    { key: 'label', label, kind: 'label' as const },
    { key: 'episodes', label: 'Episodes', kind: 'count' as const },
    { key: 'accepted', label: 'Accepted', kind: 'count' as const },
    { key: 'declined', label: 'Not taken on', kind: 'count' as const },
  ]
  const reasonTable = (
    id: string,
    title: string,
    labels: Record<string, string>,
    key: (f: EpisodeFact) => string | null,
  ): ReportTable => ({
    id,
    title,
    columns: countColumns('Reason', { key: 'episodes', label: 'Episodes' }),
    // A reason outside the list is never shown as stored: it could be free text.
    rows: group(facts, key).map(([k, list]) => ({ label: labels[k] ?? 'Other reason', episodes: list.length })),
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['episodes'] },
  })
  const conversations = facts.map((f) => f.daysToFirstConversation).filter((d): d is number => d !== null)
  const worked = facts.filter((f) => f.accepted)
  const wellbeing = new Map<string, number[]>()
  for (const f of facts)
    for (const w of f.wellbeing) {
      const key = `${w.instrument}: ${w.label}`
      wellbeing.set(key, [...(wellbeing.get(key) ?? []), w.change])
    }

  return {
    id: 'episodes',
    title: 'Social prescribing episodes',
    summary:
      'Referrals into the link worker service and what came of them: one row per episode, never per person named.',
    asOf: context.asOf,
    tables: [
      {
        id: 'by-source',
        title: 'Episodes by referral source',
        columns: volumeColumns('Referral source'),
        rows: group(facts, (f) => f.source).map(([k, list]) => volume(REFERRAL_SOURCES[k], list)),
        chart: { kind: 'bar', labelKey: 'label', valueKeys: ['accepted', 'declined'] },
      },
      {
        id: 'by-practice',
        title: 'Episodes by GP practice',
        columns: volumeColumns('Practice'),
        rows: group(facts, (f) => f.practiceId ?? 'none').map(([k, list]) =>
          volume(k === 'none' ? 'Practice not known' : (practices.get(k) ?? 'Another practice'), list),
        ),
      },
      reasonTable('not-taken-on', 'Why episodes were not taken on', TRIAGE_DECLINE_REASONS, (f) =>
        f.stage === 'declined' ? (f.declineReason ?? 'other') : null,
      ),
      {
        id: 'first-conversation',
        title: 'Time from referral to the first conversation',
        description: 'Calendar days, for episodes where the first conversation has happened.',
        columns: [
          { key: 'label', label: 'Episodes', kind: 'label' },
          { key: 'episodes', label: 'With a first conversation', kind: 'count' },
          { key: 'median', label: 'Median days', kind: 'days', nKey: 'episodes' },
          { key: 'mean', label: 'Mean days', kind: 'days', nKey: 'episodes' },
        ],
        rows: [
          {
            label: 'All taken on',
            episodes: conversations.length,
            median: median(conversations),
            mean: mean(conversations),
          },
        ],
      },
      {
        id: 'per-episode',
        title: 'Contacts and connections per episode',
        description:
          'For episodes taken on: link worker contacts, and VCO referrals and signpostings made in the episode.',
        columns: [
          { key: 'label', label: 'Per episode', kind: 'label' },
          { key: 'episodes', label: 'Episodes', kind: 'count' },
          { key: 'mean', label: 'Mean', kind: 'mean', nKey: 'episodes' },
        ],
        rows: [
          { label: 'Contacts', episodes: worked.length, mean: mean(worked.map((f) => f.contacts)) },
          { label: 'Minutes of contact', episodes: worked.length, mean: mean(worked.map((f) => f.contactMinutes)) },
          {
            label: 'Connections (referrals and signpostings)',
            episodes: worked.length,
            mean: mean(worked.map((f) => context.connectionsOf?.(f.id) ?? 0)),
          },
        ],
      },
      reasonTable('discharge-reasons', 'Discharge reasons', DISCHARGE_REASONS, (f) => f.dischargeReason),
      {
        id: 'wellbeing',
        title: 'Wellbeing change per episode',
        description:
          'Mean change from the start to the end of the episode, for episodes with both. ONS4 anxiety: lower is better.',
        columns: [
          { key: 'label', label: 'Score', kind: 'label' },
          { key: 'episodes', label: 'Episodes with a start and an end', kind: 'count' },
          { key: 'change', label: 'Mean change', kind: 'mean', nKey: 'episodes', decimals: 2 },
        ],
        rows: [...wellbeing.entries()].map(([label, changes]) => ({
          label,
          episodes: changes.length,
          change: mean(changes),
        })),
      },
    ],
  }
}
