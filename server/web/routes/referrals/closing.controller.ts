// The confirmation page of a closing action (complete, did not engage, decline, withdraw): what it means, a reason
// from the action's list ("Other" with words), and one button that sends it. Nothing closes in one click.
import type { Request, RequestHandler, Response } from 'express'
import type { Services } from '../../../container'
import { NotFoundError } from '../../../errors'
import { pathFor, paths } from '../../../paths'
import { CLOSING_REASONS, CLOSING_WORDS, isClosingAction, type ClosingAction } from '../../../domain/referral-closing'
import { availableActions } from '../../../domain/referral-status'
import { actorOf, ipOf } from '../../actor'
import { idParam } from '../../request-params'

export function closingController(services: Services) {
  /** Renders the confirmation page; 404 when this side may not take the action now. */
  async function render(
    req: Request,
    res: Response,
    id: string,
    action: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    if (!isClosingAction(action)) throw new NotFoundError()
    const { referral, side } = await services.referrals.get(actorOf(req), id, ipOf(req))
    const typed = (extra.values ?? {}) as Record<string, unknown>
    const allowed = availableActions(referral.status, side).includes(action)
    const words = CLOSING_WORDS[action as ClosingAction]
    res.status(allowed ? status : 409).render('pages/referrals/close', {
      title: words.title,
      backLink: pathFor(paths.referral, { referralId: id }),
      words,
      allowed,
      action,
      referral: {
        id,
        version: referral.version,
        serviceName: referral.serviceName,
        organisationName: referral.organisationName,
        name: referral.shared.name,
      },
      reasonOptions: Object.entries(CLOSING_REASONS[action as ClosingAction]).map(([value, text]) => ({
        value,
        text,
        checked: typed.reason === value,
      })),
      values: typed,
      ...extra,
    })
  }

  const show: RequestHandler = async (req, res) => {
    await render(req, res, idParam(req, 'referralId'), String(req.params.action))
  }

  return { show, render }
}
