// A referral's outcome: did the person engage, did it help, which goals were met, what is still unmet. Stored in the
// referral document under `outcome` (and measures under `measures`), so one read of a referral has all of it.
// Engagement is derived from what the VCO already records on the referral (status, sessions, re-engagement tasks),
// so it cannot disagree with the referral's history.
import type { MeasureRecord } from '../measures/measures'
import type { OutcomeSource } from '../../domain/referral-records'

export type { OutcomeSource }

export const BENEFIT_RATINGS = {
  a_lot: 'Yes, a lot',
  a_little: 'Yes, a little',
  not_sure: 'Not sure',
  not_really: 'Not really',
  not_at_all: 'No, not at all',
} as const
export type BenefitRating = keyof typeof BENEFIT_RATINGS
export const BENEFIT_RATING_VALUES = Object.keys(BENEFIT_RATINGS) as BenefitRating[]

/** Ratings that count as "reported benefit". */
export function isBenefit(rating: BenefitRating): boolean {
  return rating === 'a_lot' || rating === 'a_little'
}

export const WENT_ANSWERS = { yes: 'Yes', some: 'Some of the time', no: 'No' } as const
export type WentAnswer = keyof typeof WENT_ANSWERS

export const GOAL_RESULTS = { met: 'Met', partly: 'Partly met', not: 'Not met' } as const
export type GoalResult = keyof typeof GOAL_RESULTS

/** What the person said through their feedback link. */
export interface PersonFeedback {
  at: Date
  went: WentAnswer
  /** Null when they did not go. */
  helped: BenefitRating | null
  /** "Anything else you need?" in their words. */
  anythingElse: string
}

export interface WorkerView {
  at: Date
  by: { userId: string; name: string }
  helped: BenefitRating
  note: string
}

export interface Goal {
  /** From "what matters to me". */
  text: string
  result: GoalResult
}

/** The `outcome` sub-document of a referral. */
export interface ReferralOutcome {
  person: PersonFeedback | null
  worker: WorkerView | null
  goals: Goal[]
  /** Need taxonomy ids still unmet, and words. */
  unmetNeeds: string[]
  unmetNote: string
  /** When the outcome summary went to the practice (on closure, with consent). */
  gpNotifiedAt: Date | null
}

export function emptyOutcome(): ReferralOutcome {
  return { person: null, worker: null, goals: [], unmetNeeds: [], unmetNote: '', gpNotifiedAt: null }
}

/** Reads the stored sub-document defensively: older referrals have none, or a partial one. */
export function readOutcome(stored: unknown): ReferralOutcome {
  const base = emptyOutcome()
  if (!stored || typeof stored !== 'object') return base
  return { ...base, ...(stored as Partial<ReferralOutcome>) }
}

export interface Engagement {
  firstAttended: string | null
  sessionsAttended: number
  sessionsMissed: number
  stillAttending: boolean
  didNotAttend: boolean
  reEngagementAttempts: number
  completed: boolean
  /** engaged: attended at least once; not-engaged: closed without attending; pending: too early to say. */
  state: 'engaged' | 'not-engaged' | 'pending'
}

const CLOSED_WITHOUT_ENGAGING = ['did_not_engage', 'declined', 'withdrawn', 'no_response']

export function engagementOf(r: OutcomeSource): Engagement {
  const sessions = r.sessions ?? []
  const attended = sessions
    .filter((s) => s.attended)
    .map((s) => s.date)
    .sort()
  const missed = sessions.filter((s) => !s.attended).length
  const person = readOutcome(r.outcome).person
  const engaged =
    attended.length > 0 ||
    r.status === 'attending' ||
    r.status === 'completed' ||
    person?.went === 'yes' ||
    person?.went === 'some'
  const closedWithout = CLOSED_WITHOUT_ENGAGING.includes(r.status)
  return {
    firstAttended: attended[0] ?? null,
    sessionsAttended: attended.length,
    sessionsMissed: missed,
    stillAttending: r.status === 'attending',
    didNotAttend: r.status === 'did_not_engage' || missed > 0,
    reEngagementAttempts: (r.tasks ?? []).filter((t) => t.kind === 're-engage').length,
    completed: r.status === 'completed',
    state: engaged ? 'engaged' : closedWithout ? 'not-engaged' : 'pending',
  }
}

/** The benefit to count: the person's own view first, else the worker's; null when neither has said. */
export function benefitOf(
  r: Pick<OutcomeSource, 'outcome'>,
): { rating: BenefitRating; from: 'person' | 'worker' } | null {
  const outcome = readOutcome(r.outcome)
  if (outcome.person?.helped) return { rating: outcome.person.helped, from: 'person' }
  if (outcome.worker) return { rating: outcome.worker.helped, from: 'worker' }
  return null
}

export function measuresOf(r: Pick<OutcomeSource, 'measures'>): MeasureRecord[] {
  return (r.measures as MeasureRecord[]).map((m) => ({ ...m, at: new Date(m.at) }))
}
