// Report facts: one flat, de-identified record per referral and per signposting, which every report reads. A fact
// holds what reports count (where, who from, to whom, for which needs, how it went, how fast) and the person's
// equality fields, but never a name, NHS number, contact detail, free text, date of birth or person id.
// Derived by a pure function from the referral, the person and their practice, so a rebuild gives the same facts.
import type { PersonRecord, ReferralRecord, SignpostingRecord } from '../../domain/referral-records'
import { wellbeingChange, measureChanges } from '../measures/measures'
import { benefitOf, engagementOf, isBenefit, measuresOf, readOutcome } from '../outcomes/outcome'
import { REPORT_FACT_FIELDS, type ReportFact } from '../../domain/report-fact'
import { isWorkingDay } from '../../domain/referral-clocks'
import { isOpen } from '../../domain/referral-status'

export type { ReportFact }
export { REPORT_FACT_FIELDS }

const DAY_MS = 86_400_000

/** Whole working days from one moment to another, counted as addWorkingDays counts them (a day begun counts). */
export function workingDaysBetween(from: Date, to: Date): number {
  if (to <= from) return 0
  let days = 0
  let d = from
  while (!isWorkingDay(d) && d < to) d = new Date(d.getTime() + DAY_MS)
  while (d.getTime() + DAY_MS <= to.getTime()) {
    d = new Date(d.getTime() + DAY_MS)
    if (isWorkingDay(d)) days++
  }
  // The part-day left over counts as a day begun.
  return d.getTime() < to.getTime() && isWorkingDay(d) ? days + 1 : days
}

/** Calendar days, rounded up to whole days begun (a same-day contact is 1 day, never 0.3). */
export function daysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.ceil((to.getTime() - from.getTime()) / DAY_MS))
}

const date = (d: Date | string | null | undefined): Date | null => (d ? new Date(d) : null)

type FactReferral = Pick<
  ReferralRecord,
  | 'id'
  | 'status'
  | 'open'
  | 'submittedAt'
  | 'practiceId'
  | 'teamId'
  | 'teamName'
  | 'organisationId'
  | 'organisationName'
  | 'serviceId'
  | 'serviceName'
  | 'needs'
  | 'acceptedAt'
  | 'acknowledgedAt'
  | 'firstContactAt'
  | 'closedAt'
  | 'declineReason'
  | 'clocks'
  | 'outcome'
  | 'measures'
  | 'personId'
  | 'gpFeedbackConsent'
> &
  Partial<Pick<ReferralRecord, 'episodeId'>> &
  Partial<Pick<ReferralRecord, 'sessions' | 'tasks'>>

type FactPerson = Pick<PersonRecord, 'equality'>
type FactPractice = { id: string; pcn: string | null }

const ACCEPTED_OR_LATER: readonly string[] = ['accepted', 'contacted', 'attending', 'completed', 'did_not_engage']

export function toReportFact(
  referral: FactReferral,
  person: FactPerson | null,
  practice: FactPractice | null,
  now: Date,
): ReportFact {
  const submittedAt = new Date(referral.submittedAt)
  const acknowledgedAt = date(referral.acknowledgedAt)
  const contactedAt = date(referral.firstContactAt)
  const closedAt = date(referral.closedAt)
  const source = {
    ...referral,
    submittedAt,
    acknowledgedAt,
    firstContactAt: contactedAt,
    closedAt,
    clocks: { acknowledgeBy: new Date(referral.clocks.acknowledgeBy) },
  }
  const benefit = benefitOf(referral)
  const measures = measuresOf(referral)
  const swemwbs = measureChanges(measures).find((c) => c.instrumentId === 'swemwbs')
  const metric = (scores: { id: string; value: number }[] | undefined) =>
    scores?.find((s) => s.id === 'metric')?.value ?? null
  const change = wellbeingChange(measures)
  const outcome = readOutcome(referral.outcome)
  return {
    id: referral.id,
    kind: 'referral',
    episodeId: referral.episodeId ?? null,
    submittedAt,
    practiceId: referral.practiceId,
    pcn: practice?.pcn ?? null,
    teamId: referral.teamId,
    teamName: referral.teamName,
    organisationId: referral.organisationId,
    organisationName: referral.organisationName,
    serviceId: referral.serviceId,
    serviceName: referral.serviceName,
    needs: [...referral.needs],
    status: referral.status,
    open: isOpen(referral.status),
    accepted: Boolean(referral.acceptedAt) || ACCEPTED_OR_LATER.includes(referral.status),
    declined: referral.status === 'declined',
    declineReason: referral.status === 'declined' ? referral.declineReason : null,
    acknowledgeBy: new Date(referral.clocks.acknowledgeBy),
    acknowledgedAt,
    contactBy: new Date(referral.clocks.contactBy),
    contactedAt,
    outcomeBy: new Date(referral.clocks.outcomeBy),
    closedAt,
    acknowledgeWorkingDays: acknowledgedAt ? workingDaysBetween(submittedAt, acknowledgedAt) : null,
    contactDays: contactedAt ? daysBetween(submittedAt, contactedAt) : null,
    outcomeDays: closedAt ? daysBetween(submittedAt, closedAt) : null,
    engagement: engagementOf(source).state,
    benefited: benefit ? isBenefit(benefit.rating) : null,
    wellbeingBaseline: swemwbs?.followUp ? metric(swemwbs.baseline.scores) : null,
    wellbeingFollowUp: swemwbs?.followUp ? metric(swemwbs.followUp.scores) : null,
    wellbeingChange: change,
    unmetNeeds: [...outcome.unmetNeeds],
    deprivationDecile: person?.equality.deprivationDecile ?? null,
    ethnicity: person?.equality.ethnicity ?? null,
    sex: person?.equality.sex ?? null,
    ageBand: person?.equality.ageBand ?? null,
    updatedAt: now,
  }
}

export function toSignpostingFact(
  signposting: Pick<
    SignpostingRecord,
    'id' | 'at' | 'teamId' | 'serviceId' | 'serviceName' | 'organisationId' | 'needs'
  > &
    Partial<Pick<SignpostingRecord, 'episodeId'>> & { teamName?: string; organisationName?: string },
  person: (FactPerson & { practiceId: string | null }) | null,
  practice: FactPractice | null,
  now: Date,
): ReportFact {
  return {
    id: signposting.id,
    kind: 'signposting',
    episodeId: signposting.episodeId ?? null,
    submittedAt: new Date(signposting.at),
    practiceId: person?.practiceId ?? null,
    pcn: practice?.pcn ?? null,
    teamId: signposting.teamId,
    teamName: signposting.teamName ?? 'A link worker team',
    organisationId: signposting.organisationId,
    organisationName: signposting.organisationName ?? '',
    serviceId: signposting.serviceId,
    serviceName: signposting.serviceName,
    needs: [...signposting.needs],
    status: null,
    open: false,
    accepted: false,
    declined: false,
    declineReason: null,
    acknowledgeBy: null,
    acknowledgedAt: null,
    contactBy: null,
    contactedAt: null,
    outcomeBy: null,
    closedAt: null,
    acknowledgeWorkingDays: null,
    contactDays: null,
    outcomeDays: null,
    engagement: null,
    benefited: null,
    wellbeingBaseline: null,
    wellbeingFollowUp: null,
    wellbeingChange: null,
    unmetNeeds: [],
    deprivationDecile: person?.equality.deprivationDecile ?? null,
    ethnicity: person?.equality.ethnicity ?? null,
    sex: person?.equality.sex ?? null,
    ageBand: person?.equality.ageBand ?? null,
    updatedAt: now,
  }
}
