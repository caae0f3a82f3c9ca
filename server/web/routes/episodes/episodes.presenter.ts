// What the episode pages show, from what the episode service answers: the action pages and the rule each applies,
// the referral form, the caseload with its stage tabs, one episode with the links its stage allows, an action's form,
// and a message back to the GP and referrer.
import type { Request } from 'express'
import { newId } from '../../../domain/ids'
import type { FieldErrors } from '../../../errors'
import { paths, pathFor } from '../../../paths'
import {
  availableEpisodeActions,
  CONTACT_MODES,
  DISCHARGE_REASONS,
  EPISODE_STAGES,
  GOAL_STATUSES,
  REFERRAL_SOURCES,
  STAGE_LABELS,
  STAGE_TAGS,
  TRIAGE_DECLINE_REASONS,
  type EpisodeRecord,
  type EpisodeStage,
} from '../../../domain/episode'
import { letterSections, ukDate, type EpisodeMessage } from '../../../services/episodes/episode-message'
import type { TaxonomyTerm } from '../../../data/taxonomy'
import type { EpisodeService } from '../../../services/episodes/episode.service'
import { findInstrument, measureFormView, MEASURES } from '../../../services/measures/measures'
import { hasRole } from '../../../domain/roles'
import { pagination } from '../../pagination'

type Answer<K extends keyof EpisodeService> = EpisodeService[K] extends (...args: never[]) => Promise<infer T>
  ? T
  : never

/** The pages of an episode's actions, and what each is called on buttons and in titles. */
export const ACTION_PAGES = {
  accept: 'Accept the referral',
  decline: 'Close without taking on',
  'assign-to-me': 'Take this episode on',
  conversation: 'Record the first conversation',
  plan: 'Agree the plan',
  contact: 'Record a contact',
  task: 'Add a task',
  'task-done': 'Mark a task done',
  measure: 'Record a wellbeing measure',
  discharge: 'Discharge',
} as const
export type ActionPage = keyof typeof ACTION_PAGES
export const isActionPage = (v: string): v is ActionPage => v in ACTION_PAGES

/** Which rule of the pure transition function each page applies (its availability follows the stage). */
export const RULE_OF: Record<ActionPage, ReturnType<typeof availableEpisodeActions>[number]> = {
  accept: 'accept',
  decline: 'decline',
  'assign-to-me': 'assign',
  conversation: 'conversation',
  plan: 'plan',
  contact: 'contact',
  task: 'task',
  'task-done': 'task-done',
  measure: 'measure',
  discharge: 'discharge',
}

const options = <T extends Record<string, string>>(labels: T, chosen: unknown) =>
  Object.entries(labels).map(([value, text]) => ({
    value,
    text,
    checked: chosen === value,
    selected: chosen === value,
  }))

/** The referral form, for a professional (`self` false) or the person themselves. */
export function presentReferForm(
  req: Request,
  teams: Answer<'teams'>,
  practices: Answer<'practices'>,
  values: Record<string, unknown>,
  self: boolean,
) {
  const gp = !self && hasRole(req.user, 'gp_user')
  const teamId = values.teamId ?? (teams.length === 1 ? teams[0]!.id : undefined)
  return {
    title: self ? 'Refer yourself to social prescribing' : 'Refer to social prescribing',
    self,
    gp,
    practiceLabel: self ? 'Your GP practice (if you know it)' : 'Their GP practice',
    action: self ? paths.selfReferral : paths.socialPrescribingRefer,
    values: { idempotencyKey: newId(), ...values },
    teamOptions: teams.map((t) => ({ value: t.id, text: t.name, selected: teamId === t.id })),
    practiceOptions: practices.map((p) => ({
      value: p.id,
      text: `${p.name}${p.odsCode ? ` (${p.odsCode})` : ''}`,
      selected: values.practiceId === p.id,
    })),
  }
}

/** The caseload page: one stage's episodes, a tab per stage, the mine / whole team toggle and the page links. */
export function presentCaseload(data: Answer<'caseload'>, stage: EpisodeStage, mine: boolean) {
  const link = (s: EpisodeStage, p = 1, m = mine) =>
    `${paths.episodes}?stage=${s}${m ? '&mine=1' : ''}${p > 1 ? `&page=${p}` : ''}`
  return {
    title: mine ? 'Your caseload' : "Your team's caseload",
    mine,
    stage,
    stageLabel: STAGE_LABELS[stage],
    tabs: EPISODE_STAGES.map((s) => ({
      href: link(s),
      text: STAGE_LABELS[s],
      count: data.counts[s],
      current: s === stage,
    })),
    toggle: { href: link(stage, 1, !mine), text: mine ? "Show the whole team's" : 'Show only yours' },
    rows: data.rows.map((r) => ({
      href: pathFor(paths.episode, { episodeId: r.episode.id }),
      name: `${r.episode.person.givenName} ${r.episode.person.familyName}`,
      source: REFERRAL_SOURCES[r.episode.referrer.source],
      referredAt: r.episode.referredAt,
      owner: r.episode.ownerName ?? 'No one yet',
      nextContactDue: r.nextContactDue ? ukDate(r.nextContactDue) : null,
      overdue: r.overdue,
    })),
    total: data.total,
    overdueCount: data.overdueCount,
    thisYear: data.thisYear,
    benchmark: data.benchmark,
    overBenchmark: data.thisYear > data.benchmark,
    waiting: data.counts.triage,
    pagination: {
      previous:
        data.page > 1 ? { href: link(stage, data.page - 1), text: `Page ${data.page - 1} of ${data.pages}` } : null,
      next:
        data.page < data.pages
          ? { href: link(stage, data.page + 1), text: `Page ${data.page + 1} of ${data.pages}` }
          : null,
    },
  }
}

/** One episode as its page and its action pages show it, with links to the actions its stage allows. */
export function presentEpisode(e: EpisodeRecord, taxonomy: readonly TaxonomyTerm[]) {
  const terms = new Map(taxonomy.map((t) => [t.id, t.name]))
  const open = availableEpisodeActions(e.stage)
  const can = (page: ActionPage) => open.includes(RULE_OF[page])
  const href = (page: ActionPage, query = '') =>
    `${pathFor(paths.episodeAction, { episodeId: e.id, action: page })}${query}`
  return {
    id: e.id,
    version: e.version,
    name: `${e.person.givenName} ${e.person.familyName}`,
    person: e.person,
    stageLabel: STAGE_LABELS[e.stage],
    stageTag: STAGE_TAGS[e.stage],
    source: REFERRAL_SOURCES[e.referrer.source],
    referrer: e.referrer,
    reason: e.reason,
    gpFeedbackConsent: e.gpFeedbackConsent,
    referredAt: e.referredAt,
    owner: e.ownerName,
    declineReason: e.declineReason ? TRIAGE_DECLINE_REASONS[e.declineReason] : null,
    firstConversationAt: e.firstConversationAt,
    conversationNote: e.conversationNote,
    whatMatters: e.whatMatters,
    needs: e.needs.map((n) => terms.get(n) ?? n),
    goals: e.goals.map((g) => ({ text: g.text, status: GOAL_STATUSES[g.status] })),
    contacts: e.contacts.map((c) => ({ ...c, date: ukDate(c.date), mode: CONTACT_MODES[c.mode] })),
    tasks: e.tasks.map((t) => ({ ...t, due: ukDate(t.due), done: Boolean(t.doneAt) })),
    codes: e.codes,
    dischargedAt: e.dischargedAt,
    dischargeReason: e.dischargeReason ? DISCHARGE_REASONS[e.dischargeReason] : null,
    messages: e.messages.map((m) => ({
      href: pathFor(paths.episodeMessage, { episodeId: e.id, messageId: m.id }),
      title: String((m.content as { title?: unknown }).title ?? m.kind),
      at: m.at,
    })),
    personHref: e.personId ? pathFor(paths.person, { personId: e.personId }) : null,
    links: {
      accept: can('accept') ? href('accept') : null,
      decline: can('decline') ? href('decline') : null,
      assign: can('assign-to-me') && !e.ownerId ? href('assign-to-me') : null,
      conversation: can('conversation') ? href('conversation') : null,
      plan: can('plan') ? href('plan') : null,
      contact: can('contact') ? href('contact') : null,
      task: can('task') ? href('task') : null,
      discharge: can('discharge') ? href('discharge') : null,
      measures: can('measure')
        ? MEASURES.flatMap((m) => [
            { href: href('measure', `?measure=${m.id}&timing=baseline`), text: `${m.shortName} at the start` },
            { href: href('measure', `?measure=${m.id}&timing=follow-up`), text: `${m.shortName} at the end` },
          ])
        : [],
      find: e.personId && e.open && e.stage !== 'triage' ? paths.directorySearch : null,
    },
    taskDone: can('task-done') ? pathFor(paths.episodeAction, { episodeId: e.id, action: 'task-done' }) : null,
  }
}

/** The episode's page: the episode, its measures, connections and contact clock, and what was just done. */
export function presentEpisodePage(
  { episode, connections, clock }: Answer<'get'>,
  taxonomy: readonly TaxonomyTerm[],
  done: unknown,
) {
  const shown = presentEpisode(episode, taxonomy)
  return {
    title: shown.name,
    backLink: `${paths.episodes}?stage=${episode.stage}`,
    episode: shown,
    measures: episode.measures.map((m) => ({
      name: findInstrument(m.instrumentId)?.shortName ?? m.instrumentId,
      timing: m.timing === 'baseline' ? 'At the start' : 'At the end',
      at: m.at,
      scores: m.scores,
    })),
    connections: connections.map((c) => ({ ...c, date: ukDate(c.date) })),
    clock: { ...clock, nextContactDue: clock.nextContactDue ? ukDate(clock.nextContactDue) : null },
    done: typeof done === 'string' && isActionPage(done) ? ACTION_PAGES[done] : null,
  }
}

/**
 * An action's page: its form, filled from `extra.values` (what was typed) or else from the episode, with
 * `extra.errors`; `extra` is also spread last over the locals. For a measure, the instrument and timing asked for.
 */
export function presentActionPage(
  episode: EpisodeRecord,
  terms: readonly TaxonomyTerm[],
  page: ActionPage,
  measure: { measureId: string; timing: string; instrument: ReturnType<typeof findInstrument> },
  extra: Record<string, unknown>,
) {
  const { measureId, timing, instrument } = measure
  const values = (extra.values as Record<string, unknown> | undefined) ?? {}
  const errors = (extra.errors as FieldErrors | undefined) ?? {}
  const chosenNeeds = Array.isArray(values.needs) ? values.needs : values.needs ? [values.needs] : episode.needs
  const goals = [0, 1, 2].map((i) => ({
    n: i + 1,
    text: values[`goal${i + 1}`] ?? episode.goals[i]?.text ?? '',
    statusOptions: options(GOAL_STATUSES, values[`goal${i + 1}Status`] ?? episode.goals[i]?.status ?? 'open'),
    error: errors[`goal${i + 1}`],
  }))
  return {
    title: `${ACTION_PAGES[page]}: ${episode.person.givenName} ${episode.person.familyName}`,
    heading: ACTION_PAGES[page],
    backLink: pathFor(paths.episode, { episodeId: episode.id }),
    action:
      pathFor(paths.episodeAction, { episodeId: episode.id, action: page }) +
      (page === 'measure' ? `?measure=${measureId}&timing=${timing}` : ''),
    page: { [page.replace(/-/g, '_')]: true },
    episode: presentEpisode(episode, terms),
    values: { whatMatters: episode.whatMatters, ...values, version: episode.version },
    declineOptions: options(TRIAGE_DECLINE_REASONS, values.declineReason),
    dischargeOptions: options(DISCHARGE_REASONS, values.dischargeReason),
    modeOptions: options(CONTACT_MODES, values.contactMode),
    needOptions: terms
      .filter((t) => t.parentCode)
      .map((t) => ({ value: t.id, text: t.name, checked: (chosenNeeds as unknown[]).includes(t.id) })),
    goals,
    measure: instrument ? measureFormView(instrument, values, errors) : null,
    timingLabel: timing === 'baseline' ? 'at the start of the episode' : 'at the end of the episode',
    instrumentId: instrument?.id,
    timing,
    ...extra,
  }
}

/** A message back to the GP and referrer, as a letter. */
export function presentLetter(message: EpisodeMessage) {
  return {
    title: message.title,
    message,
    madeOn: ukDate(message.madeAt),
    sections: letterSections(message),
    copyrights: [...new Set(message.measures.map((m) => m.copyright))],
  }
}

/** The practice's list of messages, a page at a time. */
export function presentPracticeMessages(req: Request, shown: Answer<'practiceMessages'>) {
  return {
    title: 'Social prescribing messages',
    pagination: pagination(req, shown),
    messages: shown.items.map((m) => ({
      ...m,
      href: pathFor(paths.practiceEpisodeMessage, { episodeId: m.episodeId, messageId: m.messageId }),
    })),
  }
}
