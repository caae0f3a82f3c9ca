// Switching an account off (a leaver) and on again, by an admin for anyone and by an organisation's manager for its
// members. A confirmation page first; the service checks who may change which account (404 otherwise).
import type { Request, RequestHandler } from 'express'
import { z } from 'zod'
import type { Services } from '../../../container'
import { ValidationError } from '../../../errors'
import { paths, pathFor } from '../../../paths'
import { actorOf, ipOf } from '../../actor'
import { parseFormPage, renderInvalid, toFormErrors } from '../../form-page'
import { isUuid } from '../../request-params'

const statusSchema = z.object({
  status: z.enum(['disabled', 'active'], { error: 'Choose whether to deactivate or reactivate the account' }),
})

export const ACCOUNT_STATUS_LABELS: Record<string, string> = {
  invited: 'Invited',
  active: 'Active',
  disabled: 'Deactivated',
}

/** The banner after a change, by the status the account has now. */
export const STATUS_CHANGED: Record<string, string> = {
  disabled: 'Account deactivated. They have been signed out.',
  active: 'Account reactivated. They can sign in again.',
  invited: 'Account reactivated. We have emailed them a new invitation.',
}

export function accountStatusController(services: Services, scope: 'admin' | 'organisation') {
  const view = 'pages/admin/account-status'
  const ids = (req: Request) => ({
    userId: isUuid(String(req.params.userId)) ? String(req.params.userId) : '',
    organisationId: scope === 'organisation' ? String(req.params.organisationId) : undefined,
  })
  const returnTo = (userId: string, organisationId?: string) =>
    organisationId ? pathFor(paths.organisationColleagues, { organisationId }) : pathFor(paths.adminUser, { userId })

  async function locals(req: Request) {
    const { userId, organisationId } = ids(req)
    const account = await services.accounts.accountForStatusChange(actorOf(req), userId, organisationId)
    const deactivate = account.status !== 'disabled'
    return {
      title: `${deactivate ? 'Deactivate' : 'Reactivate'} ${account.name}'s account`,
      account,
      deactivate,
      never: account.status === 'invited' || (!deactivate && account.lastSignInAt === null),
      action: organisationId
        ? pathFor(paths.colleagueStatus, { organisationId, userId })
        : pathFor(paths.adminUserStatus, { userId }),
      cancel: returnTo(userId, organisationId),
      backLink: returnTo(userId, organisationId),
    }
  }

  const show: RequestHandler = async (req, res) => {
    res.render(view, await locals(req))
  }

  const submit: RequestHandler = async (req, res) => {
    const { userId, organisationId } = ids(req)
    const form = parseFormPage(statusSchema, req.body)
    if (!form.ok) return renderInvalid(res, view, await locals(req), form)
    let status: string
    try {
      status = await services.accounts.setAccountStatus(actorOf(req), userId, form.data.status, {
        organisationId,
        ip: ipOf(req),
      })
    } catch (error) {
      if (error instanceof ValidationError)
        return renderInvalid(res, view, await locals(req), toFormErrors(error.fields))
      throw error
    }
    res.redirect(303, `${returnTo(userId, organisationId)}?status=${status}`)
  }

  return { show, submit }
}
