// The person's feedback page, opened by a single-use link with no sign-in: "Did you go? Did it help?", with the
// wellbeing measures the worker chose. A used link and an expired one each answer 410.
import type { RequestHandler, Response } from 'express'
import type { Services } from '../../../container'
import type { BenefitRating, WentAnswer } from '../../../services/outcomes/outcome'
import { findInstrument, measureFormView } from '../../../services/measures/measures'
import { optionalMeasure } from '../../../services/outcomes/person-feedback.service'
import { parseFormPage, toFormErrors } from '../../form-page'
import { ipOf } from '../../actor'
import { formBody } from '../../request-params'
import { feedbackSchema } from './outcomes.schemas'
import { presentFeedback } from './outcomes.presenter'

const expired = (res: Response) =>
  res.status(410).render('pages/outcomes/feedback-expired', { title: 'This link has expired' })
const used = (res: Response) =>
  res.status(410).render('pages/outcomes/feedback-expired', { title: 'This link has been used', used: true })

export function personFeedbackController({ personFeedback }: Pick<Services, 'personFeedback'>) {
  const show: RequestHandler = async (req, res) => {
    const page = await personFeedback.open(String(req.params.token))
    if (page === 'used') return used(res)
    if (!page) return expired(res)
    res.render('pages/outcomes/feedback', { ...presentFeedback(page, {}), measures: page.measures })
  }

  const answer: RequestHandler = async (req, res) => {
    const token = String(req.params.token)
    const page = await personFeedback.open(token)
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
        ...presentFeedback(page, values),
        measures,
        ...toFormErrors(fields, ['went', 'helped', 'anythingElse']),
      })
    }
    const result = await personFeedback.answer(token, answers, values, ipOf(req))
    if (result === 'used') return used(res)
    if (result === 'expired') return expired(res)
    if (!result.ok) {
      return res.status(400).render('pages/outcomes/feedback', {
        ...presentFeedback(page, values),
        measures: result.measures,
        ...toFormErrors(result.errors),
      })
    }
    res.render('pages/outcomes/feedback-done', { title: 'Thank you' })
  }

  return { show, answer }
}
