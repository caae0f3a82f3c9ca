import { Router } from 'express'
import type { Services } from '../../../container'
import { paths } from '../../../paths'
import type { AppPassport } from '../../auth/passport'
import { authRateLimit } from '../../middleware/auth-rate-limit'
import { invitationController } from './invitation.controller'
import { passwordResetController } from './password-reset.controller'
import { signInController } from './sign-in.controller'

export function authRouter(services: Services, options: { passport: AppPassport; demo: boolean }): Router {
  const router = Router()
  const signIn = signInController(services, options.passport, { demo: options.demo })
  const reset = passwordResetController(services)
  const invitation = invitationController(services)
  const slowDown = authRateLimit(services.accounts)

  router.get(paths.signIn, signIn.show)
  router.post(paths.signIn, slowDown, signIn.submit)
  router.post(paths.signOut, signIn.signOut)
  router.get(paths.forgotPassword, reset.showForgot)
  router.post(paths.forgotPassword, slowDown, reset.submitForgot)
  router.get(paths.resetPassword, reset.showReset)
  router.post(paths.resetPassword, slowDown, reset.submitReset)
  router.get(paths.acceptInvitation, invitation.show)
  router.post(paths.acceptInvitation, slowDown, invitation.submit)
  return router
}
