// The outcome summary of a person's VCO referrals for their GP practice: every referral the practice may see, with
// engagement, benefit, goals, unmet needs and measure scores. Made only from referrals where the person consented to
// feedback to their GP. Two files: a plain-text letter a practice can file or print, and JSON for systems that import.
// It carries no SNOMED CT code: 871731000000106 and 871711000000103 record the person accepting or declining the
// social prescribing service, once per episode (services/episodes), never each onward referral to a VCO.
import {
  BENEFIT_RATINGS,
  GOAL_RESULTS,
  WENT_ANSWERS,
  benefitOf,
  engagementOf,
  measuresOf,
  readOutcome,
  type OutcomeSource,
} from './outcome'
import { measureChanges } from '../measures/measures'
import { formatDate } from '../dates'

export interface SummaryPerson {
  name: string
  dateOfBirth: string
  nhsNumber: string | null
  practiceName: string | null
  practiceOdsCode: string | null
}

export interface SummaryScore {
  label: string
  baseline: number
  followUp: number | null
  change: number | null
  result: string | null
}

export interface SummaryMeasure {
  instrument: string
  baselineAt: string
  followUpAt: string | null
  scores: SummaryScore[]
  copyright: string
}

export interface SummaryReferral {
  referralId: string
  service: string
  organisation: string
  referredOn: string
  status: string
  closedOn: string | null
  engagement: {
    firstAttended: string | null
    sessionsAttended: number
    stillAttending: boolean
    didNotAttend: boolean
    reEngagementAttempts: number
    completed: boolean
  }
  personSaid: { went: string; helped: string | null; anythingElse: string } | null
  workerView: { helped: string; note: string } | null
  benefit: string | null
  goals: { text: string; result: string }[]
  unmetNeeds: string[]
  measures: SummaryMeasure[]
}

export interface OutcomeSummary {
  kind: 'loopwell.outcome-summary'
  version: 1
  generatedAt: string
  person: SummaryPerson
  referrals: SummaryReferral[]
}

const day = (d: Date | null): string | null => (d ? d.toISOString().slice(0, 10) : null)

/** Referrals the practice may see in a summary: this practice's, with the person's consent to GP feedback. */
export function consentedForPractice<T extends Pick<OutcomeSource, 'practiceId' | 'gpFeedbackConsent'>>(
  referrals: readonly T[],
  practiceId: string,
): T[] {
  return referrals.filter((r) => r.gpFeedbackConsent && r.practiceId === practiceId)
}

export function buildOutcomeSummary(input: {
  person: SummaryPerson
  referrals: readonly OutcomeSource[]
  statusLabel: (status: string) => string
  needLabel: (id: string) => string
  now: Date
}): OutcomeSummary {
  const referrals = input.referrals.filter((r) => r.gpFeedbackConsent)
  return {
    kind: 'loopwell.outcome-summary',
    version: 1,
    generatedAt: input.now.toISOString(),
    person: input.person,
    referrals: referrals.map((r): SummaryReferral => {
      const outcome = readOutcome(r.outcome)
      const e = engagementOf(r)
      const benefit = benefitOf(r)
      return {
        referralId: r.id,
        service: r.serviceName,
        organisation: r.organisationName,
        referredOn: day(r.submittedAt)!,
        status: input.statusLabel(r.status),
        closedOn: day(r.closedAt),
        engagement: {
          firstAttended: e.firstAttended,
          sessionsAttended: e.sessionsAttended,
          stillAttending: e.stillAttending,
          didNotAttend: e.didNotAttend,
          reEngagementAttempts: e.reEngagementAttempts,
          completed: e.completed,
        },
        personSaid: outcome.person
          ? {
              went: WENT_ANSWERS[outcome.person.went],
              helped: outcome.person.helped ? BENEFIT_RATINGS[outcome.person.helped] : null,
              anythingElse: outcome.person.anythingElse,
            }
          : null,
        workerView: outcome.worker
          ? { helped: BENEFIT_RATINGS[outcome.worker.helped], note: outcome.worker.note }
          : null,
        benefit: benefit ? BENEFIT_RATINGS[benefit.rating] : null,
        goals: outcome.goals.map((g) => ({ text: g.text, result: GOAL_RESULTS[g.result] })),
        unmetNeeds: [...outcome.unmetNeeds.map(input.needLabel), ...(outcome.unmetNote ? [outcome.unmetNote] : [])],
        measures: measureChanges(measuresOf(r)).map((m) => ({
          instrument: m.name,
          baselineAt: day(m.baseline.at)!,
          followUpAt: day(m.followUp?.at ?? null),
          scores: m.baseline.scores.map((s) => {
            const c = m.changes.find((x) => x.id === s.id)
            return {
              label: s.label,
              baseline: s.value,
              followUp: c?.followUp ?? null,
              change: c?.change ?? null,
              result: c?.result ?? null,
            }
          }),
          copyright: m.copyright,
        })),
      }
    }),
  }
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no')

/** "8 December 2026" for the letter, from the summary's ISO dates (the JSON keeps ISO). */
const uk = (iso: string | null): string => (iso ? formatDate(iso.length === 10 ? `${iso}T12:00:00Z` : iso) : '')

/** The letter: plain text, readable when printed or filed as a document in the GP record. Dates as people write them. */
export function summaryText(s: OutcomeSummary): string {
  const lines: string[] = [
    'Social prescribing outcome summary (message back to GP and referrer)',
    `Made ${uk(s.generatedAt)} by Loopwell`,
    '',
    `Name: ${s.person.name}`,
    `Date of birth: ${uk(s.person.dateOfBirth)}`,
    `NHS number: ${s.person.nhsNumber ?? 'not recorded'}`,
    `GP practice: ${s.person.practiceName ?? 'not recorded'}${s.person.practiceOdsCode ? ` (${s.person.practiceOdsCode})` : ''}`,
    '',
    'The person agreed to this information being shared with their GP practice.',
  ]
  const copyrights = new Set<string>()
  s.referrals.forEach((r, i) => {
    lines.push('', `${i + 1}. ${r.service} (${r.organisation})`)
    lines.push(
      `   Referred: ${uk(r.referredOn)}`,
      `   Status: ${r.status}${r.closedOn ? `, closed ${uk(r.closedOn)}` : ''}`,
    )
    const e = r.engagement
    lines.push(
      `   Engagement: first attended ${e.firstAttended ? uk(e.firstAttended) : 'not yet'}; sessions attended ${e.sessionsAttended}; still attending ${yesNo(e.stillAttending)}; did not attend ${yesNo(e.didNotAttend)}; re-engagement attempts ${e.reEngagementAttempts}; completed ${yesNo(e.completed)}`,
    )
    if (r.personSaid) {
      lines.push(
        `   The person said: went ${r.personSaid.went.toLowerCase()}; helped: ${r.personSaid.helped ?? 'not asked'}`,
      )
      if (r.personSaid.anythingElse) lines.push(`   Anything else they need: ${r.personSaid.anythingElse}`)
    }
    if (r.workerView)
      lines.push(`   Worker's view: ${r.workerView.helped}${r.workerView.note ? ` (${r.workerView.note})` : ''}`)
    for (const g of r.goals) lines.push(`   Goal: ${g.text}: ${g.result}`)
    if (r.unmetNeeds.length) lines.push(`   Still unmet: ${r.unmetNeeds.join('; ')}`)
    for (const m of r.measures) {
      copyrights.add(m.copyright)
      for (const sc of m.scores) {
        lines.push(
          `   ${m.instrument} ${sc.label}: ${sc.baseline} on ${uk(m.baselineAt)}` +
            (sc.followUp !== null
              ? ` → ${sc.followUp} on ${uk(m.followUpAt)} (change ${sc.change! > 0 ? '+' : ''}${sc.change}, ${sc.result})`
              : ', follow-up not yet done'),
        )
      }
    }
  })
  if (!s.referrals.length) lines.push('', 'No referrals to report.')
  if (copyrights.size) lines.push('', ...copyrights)
  return `${lines.join('\n')}\n`
}
