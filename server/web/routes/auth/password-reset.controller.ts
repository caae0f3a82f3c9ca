// Forgotten password: ask for a link by email (the answer never says whether the address has an account), then
// choose a new password from the single-use link. A reset ends every session of the account.
import type { RequestHandler } from 'express'
import type { Services } from '../../../container'
import { ValidationError } from '../../../errors'
import { paths } from '../../../paths'
import { parseFormPage, renderInvalid, toFormErrors } from '../../form-page'
import { forgotPasswordSchema, newPasswordSchema } from './auth.schemas'
import { ipOf } from '../../actor'

export function passwordResetController(services: Services) {
  const forgotView = 'pages/auth/forgot-password'
  const resetView = 'pages/auth/reset-password'
  const expired = (res: Parameters<RequestHandler>[1]) =>
    res.status(410).render('pages/auth/link-expired', { title: 'This link has expired' })

  const showForgot: RequestHandler = (_req, res) => res.render(forgotView, { title: 'Reset your password', values: {} })

  const submitForgot: RequestHandler = (req, res) => {
    const form = parseFormPage(forgotPasswordSchema, req.body)
    if (!form.ok) {
      return renderInvalid(res, forgotView, { title: 'Reset your password', values: { email: req.body?.email } }, form)
    }
    services.accounts.requestPasswordReset(form.data.email, ipOf(req))
    res.render('pages/auth/forgot-password-sent', { title: 'Check your email' })
  }

  const showReset: RequestHandler = async (req, res) => {
    const token = String(req.params.token)
    if (!(await services.accounts.passwordResetUsable(token))) return expired(res)
    res.render(resetView, { title: 'Choose a new password' })
  }

  const submitReset: RequestHandler = async (req, res) => {
    const token = String(req.params.token)
    if (!(await services.accounts.passwordResetUsable(token))) return expired(res)
    const form = parseFormPage(newPasswordSchema, req.body)
    if (!form.ok) return renderInvalid(res, resetView, { title: 'Choose a new password' }, form)
    try {
      if (!(await services.accounts.resetPassword(token, form.data.password, ipOf(req)))) return expired(res)
    } catch (error) {
      if (error instanceof ValidationError) {
        return renderInvalid(res, resetView, { title: 'Choose a new password' }, toFormErrors(error.fields))
      }
      throw error
    }
    res.redirect(303, `${paths.signIn}?done=password-reset`)
  }

  return { showForgot, submitForgot, showReset, submitReset }
}
