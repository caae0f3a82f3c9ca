// Pages without sign-in: "report a problem with this listing", and the freshness reminder link an organisation is
// emailed (one use: the listing is still right, or it has closed).
import type { Request, RequestHandler, Response } from 'express'
import type { Services } from '../../../container'
import { NotFoundError } from '../../../errors'
import { parseFormPage, renderInvalid } from '../../form-page'
import { answerSchema, reportSchema } from './listings.schemas'
import { presentCheck, presentReportForm, UNKNOWN_CHECK } from './listings.presenter'
import { formBody } from '../../request-params'

const param = (req: Request, name: string) => String(req.params[name])

export function listingPublicController({
  directory,
  listings,
  freshness,
}: Pick<Services, 'directory' | 'listings' | 'freshness'>) {
  const showReport: RequestHandler = async (req, res) => {
    const view = await directory.getService(param(req, 'id'))
    res.render('pages/listings/report', { ...presentReportForm(view.service), values: {} })
  }

  const report: RequestHandler = async (req, res) => {
    const view = await directory.getService(param(req, 'id'))
    const body = formBody(req)
    const form = parseFormPage(reportSchema, body)
    if (!form.ok) return renderInvalid(res, 'pages/listings/report', presentReportForm(view.service, body), form)
    await listings.reportProblem(view.service.id, form.data)
    res.render('pages/listings/report-sent', { title: 'Thank you for telling us', service: view.service })
  }

  async function renderCheck(res: Response, secret: string, status = 200, extra: Record<string, unknown> = {}) {
    try {
      res
        .status(status)
        .render('pages/listings/check', { ...presentCheck(await freshness.tokenState(secret), secret), ...extra })
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error
      // 410 rather than 404: the address exists, this link does not work.
      res.status(410).render('pages/listings/check', UNKNOWN_CHECK)
    }
  }

  const showCheck: RequestHandler = async (req, res) => {
    const answer = String(req.query.answer ?? '')
    await renderCheck(res, param(req, 'token'), 200, {
      answerAccurate: answer === 'accurate' || answer === '',
      answerClosed: answer === 'closed',
    })
  }

  const answerCheck: RequestHandler = async (req, res) => {
    const secret = param(req, 'token')
    const form = parseFormPage(answerSchema, req.body)
    if (!form.ok) return renderCheck(res, secret, 400, { errors: form.errors, errorList: form.errorList })
    let result
    try {
      result = await freshness.answer(secret, form.data.answer)
    } catch (error) {
      if (error instanceof NotFoundError) return renderCheck(res, secret)
      throw error
    }
    await renderCheck(res, secret, 200, {
      justAnswered: result.applied,
      answeredAccurate: form.data.answer === 'accurate',
    })
  }

  return { showReport, report, showCheck, answerCheck }
}
