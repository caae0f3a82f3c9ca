// What the closing-the-loop pages show, from what the outcome services answer: the radio options of each form, the
// banner after a closing action, the locals of the person's feedback page and of a referral's outcome page, and the
// GP practice's list in the practice's words.
import type { Request } from 'express'
import type { Services } from '../../../container'
import { paths, pathFor } from '../../../paths'
import { formatDate } from '../../../services/dates'
import { formatNhsNumber } from '../../../services/nhs-number'
import { BENEFIT_RATINGS, GOAL_RESULTS, WENT_ANSWERS } from '../../../services/outcomes/outcome'
import { PRACTICE_FILTERS, type PracticeFilter } from '../../../services/outcomes/outcome.service'
import { measureFormView, MEASURES } from '../../../services/measures/measures'
import { pagination } from '../../pagination'

type Outcomes = Services['outcomes']
type ReferralOutcomePage = Awaited<ReturnType<Outcomes['forReferral']>>
type PracticeView = Awaited<ReturnType<Outcomes['practiceView']>>

const options = (labels: Record<string, string>, chosen: unknown) =>
  Object.entries(labels).map(([value, label]) => ({ value, label, checked: chosen === value }))

/**
 * Engagement in the practice's words. Only a referral closed as "did not engage" says so: one the service declined,
 * withdrawn or returned unanswered says what happened instead.
 */
function engagementLabel(r: {
  status: string
  engagement: { state: 'engaged' | 'not-engaged' | 'pending'; sessionsAttended: number }
}): string {
  if (r.engagement.state === 'engaged') return `Engaged (${r.engagement.sessionsAttended} sessions)`
  if (r.engagement.state === 'pending') return 'Not yet known'
  const closedAs: Record<string, string> = {
    declined: 'Declined by the service',
    withdrawn: 'Withdrawn before attending',
    no_response: 'No response from the service',
    did_not_engage: 'Did not engage',
  }
  return closedAs[r.status] ?? 'Did not attend'
}

/** The banner after a closing action brought the user here. */
const CLOSED_AS: Record<string, string> = {
  complete: 'Referral completed.',
  'did-not-engage': 'Referral closed: did not engage.',
  decline: 'Referral declined.',
  withdraw: 'Referral withdrawn.',
}

/** The person's feedback page: what the referral was for and the answers so far. */
export function presentFeedback(
  about: { serviceName: string; organisationName: string },
  values: Record<string, unknown>,
) {
  return {
    title: 'Did you go? Did it help?',
    about,
    values,
    went: options(WENT_ANSWERS, values.went),
    helped: options(BENEFIT_RATINGS, values.helped),
  }
}

/**
 * A referral's outcome page. `extra` carries what a failed or finished form adds: the values typed (otherwise the
 * outcome recorded so far), the wellbeing answers and errors, and anything else the page shows, laid over the rest.
 */
export function presentReferralOutcome(
  page: ReferralOutcomePage,
  referralId: string,
  closed: unknown,
  extra: Record<string, unknown>,
) {
  const values = (extra.values as Record<string, unknown> | undefined) ?? {
    helped: page.outcome.worker?.helped,
    note: page.outcome.worker?.note,
    goal1: page.outcome.goals[0]?.text,
    goal1Result: page.outcome.goals[0]?.result,
    goal2: page.outcome.goals[1]?.text,
    goal2Result: page.outcome.goals[1]?.result,
    unmetNote: page.outcome.unmetNote,
  }
  const measureValues = (extra.measureValues as Record<string, unknown> | undefined) ?? {}
  const measureErrors = (extra.errors as Record<string, string> | undefined) ?? {}
  const closedAs = typeof closed === 'string' ? CLOSED_AS[closed] : undefined
  return {
    title: `Outcome: ${page.referral.serviceName}`,
    backLink: pathFor(paths.referral, { referralId }),
    closedAs,
    ...page,
    values,
    helped: options(BENEFIT_RATINGS, values.helped),
    goal1Results: options(GOAL_RESULTS, values.goal1Result),
    goal2Results: options(GOAL_RESULTS, values.goal2Result),
    personHelped: page.outcome.person?.helped ? BENEFIT_RATINGS[page.outcome.person.helped] : null,
    personWent: page.outcome.person ? WENT_ANSWERS[page.outcome.person.went] : null,
    workerHelped: page.outcome.worker ? BENEFIT_RATINGS[page.outcome.worker.helped] : null,
    measureForms: MEASURES.map((m) => measureFormView(m, measureValues, measureErrors)),
    canEmail: Boolean(page.referral.shared.email),
    ...extra,
  }
}

/** The GP practice's list of its patients' referrals, filtered and paged. */
export function presentPractice(req: Request, view: PracticeView, filter: PracticeFilter) {
  return {
    title: "Your patients' social prescribing",
    ...view,
    pagination: pagination(req, view),
    filters: Object.entries(PRACTICE_FILTERS).map(([value, label]) => ({ value, label, current: value === filter })),
    rows: view.rows.map((r) => ({
      ...r,
      benefitLabel: r.benefit
        ? `${BENEFIT_RATINGS[r.benefit.rating]} (${r.benefit.from === 'person' ? 'the person' : 'worker'})`
        : 'Not yet known',
      engagementLabel: engagementLabel(r),
      nhsNumber: r.nhsNumber ? formatNhsNumber(r.nhsNumber) : 'Not recorded',
      dateOfBirth: formatDate(r.dateOfBirth),
    })),
  }
}
