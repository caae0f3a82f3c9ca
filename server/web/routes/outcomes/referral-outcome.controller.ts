// A referral's outcome page for the referring team and the receiving organisation: showing it (with the banner after
// a closing action), recording the worker's outcome and goals, recording a wellbeing measure, and issuing the
// person's feedback link by email or text. A form that fails shows the page again with 400.
import type { Request, RequestHandler, Response } from 'express'
import type { Services } from '../../../container'
import { paths, pathFor } from '../../../paths'
import type { BenefitRating, GoalResult } from '../../../services/outcomes/outcome'
import { parseFormPage, toFormErrors } from '../../form-page'
import { actorOf, ipOf } from '../../actor'
import { formBody } from '../../request-params'
import { feedbackLinkSchema, measureChoiceSchema, workerOutcomeSchema } from './outcomes.schemas'
import { presentReferralOutcome } from './outcomes.presenter'

export function referralOutcomeController({ outcomes, personFeedback }: Pick<Services, 'outcomes' | 'personFeedback'>) {
  async function outcomePage(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const referralId = String(req.params.referralId)
    const page = await outcomes.forReferral(actorOf(req), referralId, ipOf(req))
    res
      .status(status)
      .render('pages/outcomes/referral-outcome', presentReferralOutcome(page, referralId, req.query.closed, extra))
  }

  const show: RequestHandler = async (req, res) => {
    await outcomePage(req, res, { saved: req.query.saved ?? null })
  }

  const recordOutcome: RequestHandler = async (req, res) => {
    const referralId = String(req.params.referralId)
    const values = formBody(req)
    const form = parseFormPage(workerOutcomeSchema, values)
    if (!form.ok) return outcomePage(req, res, { values, errors: form.errors, errorList: form.errorList }, 400)
    const d = form.data
    const goals = [
      ...(d.goal1 ? [{ text: d.goal1, result: d.goal1Result as GoalResult }] : []),
      ...(d.goal2 ? [{ text: d.goal2, result: d.goal2Result as GoalResult }] : []),
    ]
    await outcomes.recordWorkerOutcome(
      actorOf(req),
      referralId,
      { helped: d.helped as BenefitRating, note: d.note, goals, unmetNeeds: [], unmetNote: d.unmetNote },
      ipOf(req),
    )
    res.redirect(303, `${pathFor(paths.referralOutcome, { referralId })}?saved=outcome`)
  }

  const recordMeasure: RequestHandler = async (req, res) => {
    const referralId = String(req.params.referralId)
    const values = formBody(req)
    const choice = parseFormPage(measureChoiceSchema, values)
    if (!choice.ok) return outcomePage(req, res, { errors: choice.errors, errorList: choice.errorList }, 400)
    const result = await outcomes.recordMeasure(
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
  }

  const issueFeedbackLink: RequestHandler = async (req, res) => {
    const referralId = String(req.params.referralId)
    const form = parseFormPage(feedbackLinkSchema, formBody(req))
    if (!form.ok) return outcomePage(req, res, { errors: form.errors, errorList: form.errorList }, 400)
    const page = await outcomes.forReferral(actorOf(req), referralId, ipOf(req))
    const sendTo = form.data.channel === 'email' ? page.referral.shared.email : null
    const issued = await personFeedback.issue(
      actorOf(req),
      referralId,
      { measureIds: form.data.measure === 'none' ? [] : [form.data.measure], sendTo, channel: form.data.channel },
      ipOf(req),
    )
    await outcomePage(req, res, { issued, emailed: Boolean(sendTo) })
  }

  return { show, recordOutcome, recordMeasure, issueFeedbackLink }
}
