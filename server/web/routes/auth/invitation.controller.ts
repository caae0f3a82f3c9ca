// Accepting an invitation: the single-use link from the email leads to "set your password".
import type { RequestHandler } from 'express'
import type { Services } from '../../../container'
import { ValidationError } from '../../../errors'
import { paths } from '../../../paths'
import { parseFormPage, renderInvalid, toFormErrors } from '../../form-page'
import { newPasswordSchema } from './auth.schemas'
import { ipOf } from '../../actor'

export function invitationController(services: Services) {
  const view = 'pages/auth/accept-invitation'
  const title = 'Set your password'
  const expired = (res: Parameters<RequestHandler>[1]) =>
    res.status(410).render('pages/auth/link-expired', { title: 'This link has expired' })

  const show: RequestHandler = async (req, res) => {
    const invitation = await services.accounts.invitation(String(req.params.token))
    if (!invitation) return expired(res)
    res.render(view, { title, invitation })
  }

  const submit: RequestHandler = async (req, res) => {
    const token = String(req.params.token)
    const invitation = await services.accounts.invitation(token)
    if (!invitation) return expired(res)
    const form = parseFormPage(newPasswordSchema, req.body)
    if (!form.ok) return renderInvalid(res, view, { title, invitation }, form)
    try {
      if (!(await services.accounts.acceptInvitation(token, form.data.password, ipOf(req)))) return expired(res)
    } catch (error) {
      if (error instanceof ValidationError) {
        return renderInvalid(res, view, { title, invitation }, toFormErrors(error.fields))
      }
      throw error
    }
    res.redirect(303, `${paths.signIn}?done=password-set`)
  }

  return { show, submit }
}
