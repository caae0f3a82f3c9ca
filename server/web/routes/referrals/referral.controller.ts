// One referral's page and what is done from it: an action (acknowledge, contact, sessions, tasks, reopening), with
// closing actions sent on to their confirmation page (closing.controller.ts) when the form is wrong, and messages
// between the two sides. What the page shows is built in referral.presenter.ts.
import type { Request, RequestHandler, Response } from 'express'
import type { Services } from '../../../container'
import { newId } from '../../../domain/ids'
import { ConflictError, ValidationError } from '../../../errors'
import { paths, pathFor } from '../../../paths'
import { REFERRAL_ACTIONS, isOpen, type ReferralAction } from '../../../domain/referral-status'
import { parseForm, toFormErrors } from '../../form-page'
import { dateParts, formatDateTime, parseDateParts } from '../../../services/dates'
import { isClosingAction } from '../../../domain/referral-closing'
import { closingController } from './closing.controller'
import { actorOf, ipOf } from '../../actor'
import { formBody, idParam } from '../../request-params'
import { attendedOptions, declineOptions, presentReferral } from './referral.presenter'
import { actionSchema, messageSchema, str } from './referral.schemas'

export function referralController(services: Services) {
  const taxonomy = () => services.directory.taxonomy()
  const closing = closingController(services)

  async function referralPage(
    req: Request,
    res: Response,
    id: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const [{ referral, side, now, consentWithdrawn }, terms] = await Promise.all([
      services.referrals.get(actorOf(req), id, ipOf(req)),
      taxonomy(),
    ])
    const typed = (extra.values ?? {}) as Record<string, unknown>
    const reopenUntil = services.referrals.reopenableUntil(referral, side)
    res.status(status).render('pages/referrals/referral', {
      reopenUntil: reopenUntil ? formatDateTime(reopenUntil) : null,
      title: `Referral to ${referral.serviceName}`,
      backLink: side === 'vco' ? paths.referralInbox : paths.referrals,
      referral: presentReferral(referral, side, now, terms),
      consentWithdrawn,
      messageKey: typeof typed.idempotencyKey === 'string' ? typed.idempotencyKey : newId(),
      declineOptions: declineOptions(typed.reason),
      attendedOptions: attendedOptions(typed.attended),
      dateValues: dateParts(typed, 'date'),
      sessionDateValues: dateParts(typed, 'sessionDate'),
      sent: req.query.sent === '1',
      done: typeof req.query.done === 'string' ? req.query.done : null,
      values: {},
      ...extra,
    })
  }

  const show: RequestHandler = async (req, res) => {
    await referralPage(req, res, idParam(req, 'referralId'))
  }

  const act: RequestHandler = async (req, res) => {
    const id = idParam(req, 'referralId')
    const values = formBody(req)
    // Dates arrive as NHS.UK date inputs (day, month, year); neither a contact nor a session can be in the future.
    const dateField = values.action === 'session' ? 'sessionDate' : 'date'
    const typedDate = parseDateParts(
      dateParts(values, dateField),
      dateField === 'sessionDate' ? 'Date of the session' : 'Date of first contact',
      { check: 'past' },
    )
    const parsed = parseForm(actionSchema, { ...values, date: typedDate.ok ? (typedDate.iso ?? '') : '' })
    const form: typeof parsed =
      typedDate.ok || (values.action !== 'session' && values.action !== 'first-contact')
        ? parsed
        : { ok: false, errors: { ...(parsed.ok ? {} : parsed.errors), [dateField]: typedDate.message } }
    if (!form.ok && isClosingAction(str(values.action))) {
      const fields = toFormErrors(form.errors, ['reason', 'text'])
      return closing.render(req, res, id, str(values.action), { values, ...fields }, 400)
    }
    if (!form.ok)
      return referralPage(
        req,
        res,
        id,
        { values, ...toFormErrors(form.errors, ['reason', 'text', 'date', 'sessionDate', 'attended', 'note']) },
        400,
      )
    if (form.value.action === 'reopen') {
      try {
        await services.referrals.reopen(
          actorOf(req),
          id,
          { version: form.value.version, text: form.value.text! },
          ipOf(req),
        )
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error
        const conflict = { conflict: error.message, errorList: [{ field: 'actions', text: error.message }] }
        return referralPage(req, res, id, conflict, 409)
      }
      return res.redirect(303, `${pathFor(paths.referral, { referralId: id })}?done=reopen`)
    }
    try {
      await services.referrals.act(
        actorOf(req),
        id,
        {
          action: form.value.action as ReferralAction,
          version: form.value.version,
          reason: form.value.reason,
          text: form.value.text,
          note: form.value.note,
          date: form.value.date,
          attended: form.value.attended === null ? undefined : form.value.attended === 'yes',
          taskId: form.value.taskId,
        },
        ipOf(req),
      )
    } catch (error) {
      if (error instanceof ConflictError) {
        return referralPage(
          req,
          res,
          id,
          { conflict: error.message, errorList: [{ field: 'actions', text: error.message }] },
          409,
        )
      }
      if (error instanceof ValidationError) {
        return referralPage(req, res, id, { values, ...toFormErrors(error.fields, ['date', 'sessionDate']) }, 400)
      }
      throw error
    }
    const action = form.value.action as ReferralAction
    const closes = REFERRAL_ACTIONS[action].to !== null && !isOpen(REFERRAL_ACTIONS[action].to!)
    // After a closing action the next step is the outcome, not an empty referral page.
    if (closes) return res.redirect(303, `${pathFor(paths.referralOutcome, { referralId: id })}?closed=${action}`)
    res.redirect(303, `${pathFor(paths.referral, { referralId: id })}?done=${encodeURIComponent(action)}`)
  }

  const message: RequestHandler = async (req, res) => {
    const id = idParam(req, 'referralId')
    const values = formBody(req)
    const form = parseForm(messageSchema, values)
    if (!form.ok) return referralPage(req, res, id, { values, ...toFormErrors(form.errors, ['message']) }, 400)
    await services.referrals.message(actorOf(req), id, form.value.message, ipOf(req), form.value.idempotencyKey)
    res.redirect(303, `${pathFor(paths.referral, { referralId: id })}?done=message#messages`)
  }

  return { show, act, message }
}
