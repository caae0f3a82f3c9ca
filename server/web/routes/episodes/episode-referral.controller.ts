// Referral into the link worker service: by GP practice staff and other professionals signed in, or by the person
// themselves through the open form (rate-limited in index.ts), then the "referral sent" page.
import type { Request, RequestHandler, Response } from 'express'
import type { Services } from '../../../container'
import { ValidationError, type FieldErrors } from '../../../errors'
import { paths } from '../../../paths'
import { parseForm, toFormErrors } from '../../form-page'
import { actorOf, ipOf } from '../../actor'
import { formBody } from '../../request-params'
import { contactError, readDate, REFER_FIELD_ORDER, referInSchema } from './episodes.schemas'
import { presentReferForm } from './episodes.presenter'

export function episodeReferralController({ episodes }: Pick<Services, 'episodes'>) {
  async function referLocals(req: Request, values: Record<string, unknown>, self: boolean) {
    const [teams, practices] = await Promise.all([episodes.teams(), episodes.practices()])
    return presentReferForm(req, teams, practices, values, self)
  }

  async function referPost(req: Request, res: Response, self: boolean) {
    const values = formBody(req)
    const invalid = async (fields: FieldErrors) =>
      res.status(400).render('pages/episodes/refer', {
        ...(await referLocals(req, values, self)),
        ...toFormErrors(fields, REFER_FIELD_ORDER),
      })
    const form = parseForm(referInSchema, values)
    const dob = readDate(values, 'dob', { past: true, label: 'the date of birth', example: '15 3 1948' }, new Date())
    const errors: FieldErrors = {
      ...contactError(values),
      ...(form.ok ? {} : form.errors),
      ...(dob.ok ? {} : { dateOfBirth: dob.message }),
    }
    if (!form.ok || !dob.ok || Object.keys(errors).length) return invalid(errors)
    try {
      await episodes.refer(
        self ? null : actorOf(req),
        { ...form.value, dateOfBirth: dob.value, consentToRefer: true },
        ipOf(req),
      )
    } catch (error) {
      if (error instanceof ValidationError) return invalid(error.fields)
      throw error
    }
    res.redirect(303, `${paths.referralReceived}${self ? '?self=1' : ''}`)
  }

  const showRefer: RequestHandler = async (req, res) => {
    res.render('pages/episodes/refer', await referLocals(req, {}, false))
  }
  const refer: RequestHandler = (req, res) => referPost(req, res, false)
  const showSelfRefer: RequestHandler = async (req, res) => {
    res.render('pages/episodes/refer', await referLocals(req, {}, true))
  }
  const selfRefer: RequestHandler = (req, res) => referPost(req, res, true)
  const received: RequestHandler = (req, res) => {
    res.render('pages/episodes/received', { title: 'Referral sent', self: req.query.self === '1' })
  }

  return { showRefer, refer, showSelfRefer, selfRefer, received }
}
