// The social prescribing episode: one person's time with the link worker service, from the referral into the service
// to discharge. One document holds the stage, the plan, contacts, tasks, wellbeing measures, the SNOMED CT codes
// recorded for the GP record, the messages sent back to the GP and referrer, and every change as an event, so each
// change is one atomic single-document update (FerretDB v1 has no transactions).
//
// applyEpisodeAction (here, in server/domain, so the data layer can share the record types) is the only place the
// rules live: it takes the episode as read, an action, who acts and when,
// and returns the next episode (or throws a typed error). The service reads, applies and writes by version.
import { ConflictError, ValidationError } from '../errors'
import { nameUuid } from './ids'
import type { PersonDetails } from './referral-records'

/**
 * A wellbeing measure as an episode keeps it: the shape of MeasureRecord in services/measures (the measure engine
 * validates and scores the answers before an episode ever holds them).
 */
export interface EpisodeMeasure {
  id: string
  instrumentId: string
  timing: 'baseline' | 'follow-up'
  at: Date
  answers: Record<string, number>
  scores: {
    id: string
    label: string
    raw: number | null
    value: number
    direction: 'higher-is-better' | 'lower-is-better'
  }[]
  source: 'person' | 'worker'
  by: { userId: string; name: string } | null
}

export const EPISODE_STAGES = ['triage', 'accepted', 'planning', 'active', 'declined', 'discharged'] as const
export type EpisodeStage = (typeof EPISODE_STAGES)[number]
export const OPEN_STAGES: readonly EpisodeStage[] = ['triage', 'accepted', 'planning', 'active']

export const STAGE_LABELS: Record<EpisodeStage, string> = {
  triage: 'Waiting for triage',
  accepted: 'Accepted: first conversation to book',
  planning: 'Conversation held: plan to agree',
  active: 'Plan agreed: connecting and in touch',
  declined: 'Declined',
  discharged: 'Discharged',
}

export const STAGE_TAGS: Record<EpisodeStage, string> = {
  triage: 'nhsuk-tag--blue',
  accepted: 'nhsuk-tag--aqua-green',
  planning: 'nhsuk-tag--aqua-green',
  active: 'nhsuk-tag--green',
  declined: 'nhsuk-tag--red',
  discharged: 'nhsuk-tag--grey',
}

export const REFERRAL_SOURCES = {
  gp: 'GP practice',
  professional: 'Another professional',
  self: 'Self-referral',
} as const
export type ReferralSource = keyof typeof REFERRAL_SOURCES

/** Why an episode was not taken on. Only the person's own decline is coded as "social prescribing declined". */
export const TRIAGE_DECLINE_REASONS = {
  person_declined: 'The person declined social prescribing',
  not_eligible: 'Not eligible for the service',
  needs_other_service: 'Needs a different service (for example clinical or crisis support)',
  could_not_contact: 'Could not contact the person',
  other: 'Other',
} as const
export type TriageDeclineReason = keyof typeof TRIAGE_DECLINE_REASONS

export const DISCHARGE_REASONS = {
  goals_met: 'Goals met',
  declined_further: 'Declined further support',
  moved_away: 'Moved away',
  not_engaging: 'Not engaging',
  other: 'Other',
} as const
export type DischargeReason = keyof typeof DISCHARGE_REASONS

export const CONTACT_MODES = {
  face_to_face: 'Face to face',
  phone: 'Phone',
  video: 'Video',
  home_visit: 'Home visit',
  group: 'Group',
} as const
export type ContactMode = keyof typeof CONTACT_MODES

export const GOAL_STATUSES = { open: 'Working on it', met: 'Met', partly: 'Partly met', not_met: 'Not met' } as const
export type GoalStatus = keyof typeof GOAL_STATUSES

export const SNOMED_SYSTEM = 'http://snomed.info/sct'
/** PCN Network Contract DES national codes: recorded once per episode, at acceptance or at the person's decline. */
export const EPISODE_CODES = {
  accepted: { code: '871731000000106', display: 'Referral to social prescribing service' },
  declined: { code: '871711000000103', display: 'Social prescribing declined' },
} as const

export interface EpisodeActor {
  userId: string
  name: string
}

/** The person as referred: not yet on a caseload (accepting the episode puts them there). */
export type EpisodePerson = PersonDetails

export interface EpisodeReferrer {
  source: ReferralSource
  userId: string | null
  name: string
  email: string | null
  organisationName: string | null
}

export interface EpisodeContact {
  id: string
  /** YYYY-MM-DD */
  date: string
  mode: ContactMode
  minutes: number
  note: string
  by: EpisodeActor
}

export interface EpisodeTask {
  id: string
  text: string
  /** YYYY-MM-DD */
  due: string
  doneAt: Date | null
}

export interface EpisodeGoal {
  id: string
  text: string
  status: GoalStatus
}

export interface EpisodeCode {
  system: string
  code: string
  display: string
  at: Date
}

export interface EpisodeEvent {
  id: string
  at: Date
  /** null: the public (a self-referral). */
  by: EpisodeActor | null
  action: string
  from: EpisodeStage | null
  to: EpisodeStage
  note: string | null
}

/** A message back to the GP and referrer, kept as it was sent (see episode-message.ts). */
export interface EpisodeMessageRecord {
  id: string
  kind: 'triage' | 'discharge'
  at: Date
  content: Record<string, unknown>
}

export interface EpisodeRecord {
  id: string
  version: number
  stage: EpisodeStage
  open: boolean
  teamId: string
  teamName: string
  /** The link worker who holds the episode; null while waiting for triage. */
  ownerId: string | null
  ownerName: string | null
  /** The person on the team's caseload, once accepted. */
  personId: string | null
  person: EpisodePerson
  referrer: EpisodeReferrer
  /** Why they were referred, in the referrer's or the person's words. */
  reason: string
  /** The person agreed to be referred to the service (GP and professional referrals; a self-referral is its own). */
  consentToRefer: boolean
  /** The person agreed to the team telling their GP practice what happened. */
  gpFeedbackConsent: boolean
  referredAt: Date
  triagedAt: Date | null
  declineReason: TriageDeclineReason | null
  firstConversationAt: Date | null
  conversationNote: string
  whatMatters: string
  /** Need taxonomy term ids: needs and concerns, never diagnoses. */
  needs: string[]
  goals: EpisodeGoal[]
  contacts: EpisodeContact[]
  tasks: EpisodeTask[]
  measures: EpisodeMeasure[]
  codes: EpisodeCode[]
  dischargedAt: Date | null
  dischargeReason: DischargeReason | null
  dischargeNote: string
  messages: EpisodeMessageRecord[]
  events: EpisodeEvent[]
  origin: 'manual' | 'demo'
}

export type EpisodeAction =
  | { type: 'accept' }
  | { type: 'decline'; reason: TriageDeclineReason; note: string }
  | { type: 'assign'; owner: EpisodeActor }
  | { type: 'link-person'; personId: string }
  | { type: 'conversation'; date: string; note: string }
  | { type: 'plan'; whatMatters: string; needs: string[]; goals: { text: string; status: GoalStatus }[] }
  | { type: 'contact'; date: string; mode: ContactMode; minutes: number; note: string }
  | { type: 'task'; text: string; due: string }
  | { type: 'task-done'; taskId: string }
  | { type: 'measure'; record: EpisodeMeasure }
  | { type: 'discharge'; reason: DischargeReason; note: string }
  | { type: 'message'; message: EpisodeMessageRecord }

export type EpisodeActionType = EpisodeAction['type']

/** Which stages each action may start from, and where it leaves the episode (null: the stage stays). */
export const EPISODE_RULES: Record<EpisodeActionType, { from: readonly EpisodeStage[]; to: EpisodeStage | null }> = {
  accept: { from: ['triage'], to: 'accepted' },
  decline: { from: ['triage'], to: 'declined' },
  assign: { from: OPEN_STAGES, to: null },
  'link-person': { from: ['accepted', 'planning', 'active'], to: null },
  conversation: { from: ['accepted'], to: 'planning' },
  plan: { from: ['planning', 'active'], to: 'active' },
  contact: { from: ['accepted', 'planning', 'active'], to: null },
  task: { from: ['accepted', 'planning', 'active'], to: null },
  'task-done': { from: ['accepted', 'planning', 'active'], to: null },
  measure: { from: ['accepted', 'planning', 'active'], to: null },
  discharge: { from: ['accepted', 'planning', 'active'], to: 'discharged' },
  message: { from: ['accepted', 'declined', 'discharged'], to: null },
}

export function isOpenStage(stage: EpisodeStage): boolean {
  return OPEN_STAGES.includes(stage)
}

/** The actions a link worker may take in this stage, in the order the page offers them. */
export function availableEpisodeActions(stage: EpisodeStage): EpisodeActionType[] {
  return (Object.keys(EPISODE_RULES) as EpisodeActionType[]).filter((a) => EPISODE_RULES[a].from.includes(stage))
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

function code(which: keyof typeof EPISODE_CODES, at: Date): EpisodeCode {
  return { system: SNOMED_SYSTEM, ...EPISODE_CODES[which], at }
}

/**
 * The next episode after `action`, or a typed error: ConflictError when the action does not apply in this stage
 * (someone else moved it on), ValidationError for input the rules refuse. Pure: no clock, no ids from chance.
 */
export function applyEpisodeAction(
  episode: EpisodeRecord,
  action: EpisodeAction,
  actor: EpisodeActor | null,
  now: Date,
): EpisodeRecord {
  const rule = EPISODE_RULES[action.type]
  if (!rule.from.includes(episode.stage)) {
    throw new ConflictError('This episode has moved on since you opened it. Reload to see the latest.')
  }
  const version = episode.version + 1
  const next: EpisodeRecord = { ...episode, version, stage: rule.to ?? episode.stage }
  const idFor = (what: string) => nameUuid(`episode:${episode.id}:${what}:${version}`)
  let note: string | null = null

  switch (action.type) {
    case 'accept':
      next.triagedAt = now
      // Recorded once per episode, whatever happens later.
      if (!episode.codes.some((c) => c.code === EPISODE_CODES.accepted.code)) {
        next.codes = [...episode.codes, code('accepted', now)]
      }
      if (!episode.ownerId && actor) {
        next.ownerId = actor.userId
        next.ownerName = actor.name
      }
      break
    case 'decline':
      next.triagedAt = now
      next.declineReason = action.reason
      note = action.note || null
      if (action.reason === 'person_declined' && !episode.codes.some((c) => c.code === EPISODE_CODES.declined.code)) {
        next.codes = [...episode.codes, code('declined', now)]
      }
      break
    case 'assign':
      next.ownerId = action.owner.userId
      next.ownerName = action.owner.name
      note = action.owner.name
      break
    case 'link-person':
      if (episode.personId && episode.personId !== action.personId) {
        throw new ConflictError('This episode already belongs to someone on the caseload.')
      }
      next.personId = action.personId
      break
    case 'conversation':
      if (!DAY.test(action.date)) throw new ValidationError({ date: 'Enter the date of the conversation' })
      next.firstConversationAt = new Date(`${action.date}T12:00:00Z`)
      next.conversationNote = action.note
      break
    case 'plan':
      if (!action.whatMatters.trim()) throw new ValidationError({ whatMatters: 'Enter what matters to the person' })
      if (!action.goals.length) throw new ValidationError({ goals: 'Enter at least one goal agreed with the person' })
      next.whatMatters = action.whatMatters
      next.needs = action.needs
      next.goals = action.goals.map((g, i) => ({ id: idFor(`goal-${i}`), text: g.text, status: g.status }))
      break
    case 'contact': {
      if (!DAY.test(action.date)) throw new ValidationError({ date: 'Enter the date of the contact' })
      if (!Number.isInteger(action.minutes) || action.minutes < 1 || action.minutes > 600) {
        throw new ValidationError({ minutes: 'Enter how long the contact took, in minutes, from 1 to 600' })
      }
      const by = actor ?? { userId: 'system', name: 'Loopwell' }
      next.contacts = [...episode.contacts, { id: idFor('contact'), ...action, by }].sort((a, b) =>
        a.date.localeCompare(b.date),
      )
      note = CONTACT_MODES[action.mode]
      break
    }
    case 'task':
      if (!DAY.test(action.due)) throw new ValidationError({ due: 'Enter the date the task is due' })
      next.tasks = [...episode.tasks, { id: idFor('task'), text: action.text, due: action.due, doneAt: null }]
      break
    case 'task-done': {
      const task = episode.tasks.find((t) => t.id === action.taskId && !t.doneAt)
      if (!task) throw new ConflictError('That task is already done or no longer there. Reload to see the latest.')
      next.tasks = episode.tasks.map((t) => (t.id === task.id ? { ...t, doneAt: now } : t))
      break
    }
    case 'measure':
      next.measures = [...episode.measures, action.record]
      note = `${action.record.instrumentId} ${action.record.timing}`
      break
    case 'discharge':
      next.dischargedAt = now
      next.dischargeReason = action.reason
      next.dischargeNote = action.note
      note = action.note || null
      break
    case 'message':
      if (episode.messages.some((m) => m.kind === action.message.kind)) return episode
      next.messages = [...episode.messages, action.message]
      note = action.message.kind
      break
  }
  next.open = isOpenStage(next.stage)
  next.events = [
    ...episode.events,
    { id: idFor('event'), at: now, by: actor, action: action.type, from: episode.stage, to: next.stage, note },
  ]
  return next
}

/** What an episode's clock is worked out from: few enough fields to keep for every episode (episode facts). */
export interface EpisodeClockInput {
  stage: EpisodeStage
  referredAt: Date
  /** The last contact's day ("2026-12-07"), or the first conversation's; null before either. */
  lastContactOn: string | null
  /** The due days of the tasks not done yet. */
  openTaskDues: readonly string[]
}

export function clockInputOf(
  episode: Pick<EpisodeRecord, 'stage' | 'referredAt' | 'contacts' | 'tasks' | 'firstConversationAt'>,
): EpisodeClockInput {
  return {
    stage: episode.stage,
    referredAt: new Date(episode.referredAt),
    lastContactOn:
      episode.contacts.at(-1)?.date ??
      (episode.firstConversationAt ? new Date(episode.firstConversationAt).toISOString().slice(0, 10) : null),
    openTaskDues: episode.tasks.filter((t) => !t.doneAt).map((t) => t.due),
  }
}

/**
 * When the next contact is due and which stage step is overdue (triage, first conversation, contact), with how many
 * open tasks are past due: what the caseload sorts by, most urgent first.
 */
export function episodeUrgency(
  episode: EpisodeClockInput,
  now: Date,
  targets: EpisodeTargets = DEFAULT_EPISODE_TARGETS,
): { nextContactDue: string | null; stepOverdue: string | null; tasksOverdue: number } {
  const dayMs = 86_400_000
  const iso = (d: Date) => d.toISOString().slice(0, 10)
  const today = iso(now)
  let nextContactDue: string | null = null
  let stepOverdue: string | null = null
  if (episode.stage === 'triage') {
    const due = iso(new Date(new Date(episode.referredAt).getTime() + targets.triageDays * dayMs))
    if (due < today) stepOverdue = 'Triage'
  } else if (episode.stage === 'accepted') {
    nextContactDue = iso(new Date(new Date(episode.referredAt).getTime() + targets.conversationDays * dayMs))
    if (nextContactDue < today) stepOverdue = 'First conversation'
  } else if (isOpenStage(episode.stage) && episode.lastContactOn) {
    nextContactDue = iso(
      new Date(new Date(`${episode.lastContactOn}T12:00:00Z`).getTime() + targets.contactEveryDays * dayMs),
    )
    if (nextContactDue < today) stepOverdue = 'Contact'
  }
  return { nextContactDue, stepOverdue, tasksOverdue: episode.openTaskDues.filter((due) => due < today).length }
}

/** What the caseload shows for each open episode: the next contact due, and what is overdue. */
export function episodeClock(
  episode: Pick<EpisodeRecord, 'stage' | 'referredAt' | 'contacts' | 'tasks' | 'firstConversationAt'>,
  now: Date,
  targets: EpisodeTargets = DEFAULT_EPISODE_TARGETS,
): { nextContactDue: string | null; overdue: string[] } {
  const { nextContactDue, stepOverdue } = episodeUrgency(clockInputOf(episode), now, targets)
  const today = now.toISOString().slice(0, 10)
  const overdue = stepOverdue ? [stepOverdue] : []
  for (const t of episode.tasks) if (!t.doneAt && t.due < today) overdue.push(`Task: ${t.text}`)
  return { nextContactDue, overdue }
}

/** Days before an episode step shows as overdue (EPISODE_TRIAGE_DAYS, EPISODE_CONVERSATION_DAYS, EPISODE_CONTACT_DAYS). */
export interface EpisodeTargets {
  triageDays: number
  conversationDays: number
  contactEveryDays: number
}

export const DEFAULT_EPISODE_TARGETS: EpisodeTargets = { triageDays: 2, conversationDays: 10, contactEveryDays: 21 }

/** A new episode in triage: the referral into the service. */
export function newEpisode(input: {
  id: string
  teamId: string
  teamName: string
  person: EpisodePerson
  referrer: EpisodeReferrer
  reason: string
  consentToRefer: boolean
  gpFeedbackConsent: boolean
  by: EpisodeActor | null
  now: Date
  origin?: 'manual' | 'demo'
}): EpisodeRecord {
  return {
    id: input.id,
    version: 1,
    stage: 'triage',
    open: true,
    teamId: input.teamId,
    teamName: input.teamName,
    ownerId: null,
    ownerName: null,
    personId: null,
    person: input.person,
    referrer: input.referrer,
    reason: input.reason,
    consentToRefer: input.consentToRefer,
    gpFeedbackConsent: input.gpFeedbackConsent,
    referredAt: input.now,
    triagedAt: null,
    declineReason: null,
    firstConversationAt: null,
    conversationNote: '',
    whatMatters: '',
    needs: [],
    goals: [],
    contacts: [],
    tasks: [],
    measures: [],
    codes: [],
    dischargedAt: null,
    dischargeReason: null,
    dischargeNote: '',
    messages: [],
    events: [
      {
        id: nameUuid(`episode:${input.id}:event:1`),
        at: input.now,
        by: input.by,
        action: 'refer',
        from: null,
        to: 'triage',
        note: REFERRAL_SOURCES[input.referrer.source],
      },
    ],
    origin: input.origin ?? 'manual',
  }
}
