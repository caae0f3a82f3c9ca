// Closing the loop: the person's feedback page (public, by single-use link), the outcome page of a referral for the
// referring team and the receiving organisation, and the GP practice's view and outcome summaries.
import { Router, type Request, type Response } from 'express'
import type { Services } from '../../../container'
import { paths, pathFor } from '../../../paths'
import { formatDate } from '../../../services/dates'
import { formatNhsNumber } from '../../../services/nhs-number'
import type { BenefitRating, GoalResult, WentAnswer } from '../../../services/outcomes/outcome'
import { BENEFIT_RATINGS, GOAL_RESULTS, WENT_ANSWERS } from '../../../services/outcomes/outcome'
import { PRACTICE_FILTERS, type PracticeFilter } from '../../../services/outcomes/outcome.service'
import { findInstrument, measureFormView, MEASURES } from '../../../services/measures/measures'
import { optionalMeasure } from '../../../services/outcomes/person-feedback.service'
import { parseFormPage, toFormErrors } from '../../form-page'
import {
  feedbackLinkSchema,
  feedbackSchema,
  measureChoiceSchema,
  practiceFilterSchema,
  workerOutcomeSchema,
} from './outcomes.schemas'
import { pageParam, pagination } from '../../pagination'
import { actorOf, ipOf } from '../../actor'
import { formBody } from '../../request-params'

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

export function outcomesRouter(services: Services): Router {
  const router = Router()

  // ── The person's feedback page ──────────────────────────────────────────────────────────────────────────────
  const expired = (res: Response) =>
    res.status(410).render('pages/outcomes/feedback-expired', { title: 'This link has expired' })
  const used = (res: Response) =>
    res.status(410).render('pages/outcomes/feedback-expired', { title: 'This link has been used', used: true })

  function feedbackLocals(about: { serviceName: string; organisationName: string }, values: Record<string, unknown>) {
    return {
      title: 'Did you go? Did it help?',
      about,
      values,
      went: options(WENT_ANSWERS, values.went),
      helped: options(BENEFIT_RATINGS, values.helped),
    }
  }

  router.get(paths.feedback, async (req, res) => {
    const page = await services.personFeedback.open(String(req.params.token))
    if (page === 'used') return used(res)
    if (!page) return expired(res)
    res.render('pages/outcomes/feedback', { ...feedbackLocals(page, {}), measures: page.measures })
  })

  router.post(paths.feedback, async (req, res) => {
    const token = String(req.params.token)
    const page = await services.personFeedback.open(token)
    if (page === 'used') return used(res)
    if (!page) return expired(res)
    const values = formBody(req)
    const form = parseFormPage(feedbackSchema, values)
    const answers = form.ok
      ? {
          went: form.data.went as WentAnswer,
          helped: (form.data.helped ?? null) as BenefitRating | null,
          anythingElse: form.data.anythingElse,
        }
      : null
    // Check the wellbeing answers too, so every problem shows at once; nothing is written until all are right.
    const measureErrors: Record<string, string> = {}
    for (const m of page.measures) {
      const scored = optionalMeasure(findInstrument(m.id)!, values)
      if (!('skipped' in scored) && !scored.ok) Object.assign(measureErrors, scored.errors)
    }
    if (!answers) {
      const fields = { ...(form.ok ? {} : form.errors), ...measureErrors }
      const measures = page.measures.map((m) => measureFormView(findInstrument(m.id)!, values, fields))
      return res.status(400).render('pages/outcomes/feedback', {
        ...feedbackLocals(page, values),
        measures,
        ...toFormErrors(fields, ['went', 'helped', 'anythingElse']),
      })
    }
    const result = await services.personFeedback.answer(token, answers, values, ipOf(req))
    if (result === 'used') return used(res)
    if (result === 'expired') return expired(res)
    if (!result.ok) {
      return res.status(400).render('pages/outcomes/feedback', {
        ...feedbackLocals(page, values),
        measures: result.measures,
        ...toFormErrors(result.errors),
      })
    }
    res.render('pages/outcomes/feedback-done', { title: 'Thank you' })
  })

  // ── The outcome page of a referral ─────────────────────────────────────────────────────────────────────────
  async function outcomePage(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const referralId = String(req.params.referralId)
    const page = await services.outcomes.forReferral(actorOf(req), referralId, ipOf(req))
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
    const closedAs = typeof req.query.closed === 'string' ? CLOSED_AS[req.query.closed] : undefined
    res.status(status).render('pages/outcomes/referral-outcome', {
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
    })
  }

  router.get(paths.referralOutcome, async (req, res) => {
    await outcomePage(req, res, { saved: req.query.saved ?? null })
  })

  router.post(paths.referralOutcome, async (req, res) => {
    const referralId = String(req.params.referralId)
    const values = formBody(req)
    const form = parseFormPage(workerOutcomeSchema, values)
    if (!form.ok) return outcomePage(req, res, { values, errors: form.errors, errorList: form.errorList }, 400)
    const d = form.data
    const goals = [
      ...(d.goal1 ? [{ text: d.goal1, result: d.goal1Result as GoalResult }] : []),
      ...(d.goal2 ? [{ text: d.goal2, result: d.goal2Result as GoalResult }] : []),
    ]
    await services.outcomes.recordWorkerOutcome(
      actorOf(req),
      referralId,
      { helped: d.helped as BenefitRating, note: d.note, goals, unmetNeeds: [], unmetNote: d.unmetNote },
      ipOf(req),
    )
    res.redirect(303, `${pathFor(paths.referralOutcome, { referralId })}?saved=outcome`)
  })

  router.post(paths.referralMeasure, async (req, res) => {
    const referralId = String(req.params.referralId)
    const values = formBody(req)
    const choice = parseFormPage(measureChoiceSchema, values)
    if (!choice.ok) return outcomePage(req, res, { errors: choice.errors, errorList: choice.errorList }, 400)
    const result = await services.outcomes.recordMeasure(
      actorOf(req),
      referralId,
      choice.data.instrument,
      choice.data.timing,
      values,
      ipOf(req),
    )
    if (!result.ok) {
      return outcomePage(req, res, { measureValues: values, ...toFormErrors(result.errors) }, 400)
    }
    res.redirect(303, `${pathFor(paths.referralOutcome, { referralId })}?saved=measure`)
  })

  router.post(paths.referralFeedbackLink, async (req, res) => {
    const referralId = String(req.params.referralId)
    const form = parseFormPage(feedbackLinkSchema, formBody(req))
    if (!form.ok) return outcomePage(req, res, { errors: form.errors, errorList: form.errorList }, 400)
    const page = await services.outcomes.forReferral(actorOf(req), referralId, ipOf(req))
    const sendTo = form.data.channel === 'email' ? page.referral.shared.email : null
    const issued = await services.personFeedback.issue(
      actorOf(req),
      referralId,
      { measureIds: form.data.measure === 'none' ? [] : [form.data.measure], sendTo, channel: form.data.channel },
      ipOf(req),
    )
    await outcomePage(req, res, { issued, emailed: Boolean(sendTo) })
  })

  // ── The GP practice ────────────────────────────────────────────────────────────────────────────────────────
  router.get(paths.practiceReferrals, async (req, res) => {
    const filter = practiceFilterSchema.parse(req.query).filter as PracticeFilter
    const view = await services.outcomes.practiceView(actorOf(req), filter, ipOf(req), pageParam(req))
    res.render('pages/outcomes/practice', {
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
    })
  })

  router.get(paths.practiceOutcomeSummary, async (req, res) => {
    const personId = String(req.params.personId)
    const { summary } = await services.outcomes.summary(actorOf(req), personId, ipOf(req), false)
    res.render('pages/outcomes/summary', { title: `Outcome summary: ${summary.person.name}`, summary, personId })
  })

  router.get(paths.practiceOutcomeSummaryFile, async (req, res) => {
    const personId = String(req.params.personId)
    const format = String(req.params.format)
    if (format !== 'txt' && format !== 'json')
      return res.status(404).render('pages/errors/not-found', { title: 'Page not found' })
    const { summary, text } = await services.outcomes.summary(actorOf(req), personId, ipOf(req), true)
    const name = `social-prescribing-outcome-${summary.generatedAt.slice(0, 10)}.${format}`
    res.set('Cache-Control', 'no-store')
    res.attachment(name)
    if (format === 'json') res.type('application/json').send(JSON.stringify(summary, null, 2))
    else res.type('text/plain').send(text)
  })

  return router
}
