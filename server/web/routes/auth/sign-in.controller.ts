// Sign in (passport's local strategy) and sign out. Signing in rotates the session (passport 0.7 regenerates it in
// req.logIn) and starts the absolute timeout afresh.
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { Services } from '../../../container'
import { paths } from '../../../paths'
import type { SignInResult } from '../../../services/account.service'
import type { AppPassport } from '../../auth/passport'
import { parseFormPage, renderInvalid, toFormErrors } from '../../form-page'
import { startPathFor } from '../home/home.presenter'
import { signInSchema } from './auth.schemas'
import { ipOf } from '../../actor'

const VIEW = 'pages/auth/sign-in'

const NOTICES: Record<string, string> = {
  'signed-out': 'You have signed out.',
  'signed-out-everywhere': 'You have signed out on every device.',
  'password-set': 'Your password is set. Sign in to continue.',
  'password-reset': 'Your password has been changed. Sign in with your new password.',
}

/** Only a path on this site may follow sign-in, never another site. */
export function safeNext(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : undefined
}

export function signInController(services: Services, passport: AppPassport, options: { demo: boolean }) {
  const pageLocals = (req: Request) => ({
    title: 'Sign in',
    next: safeNext(req.query.next),
    demoLogins: options.demo ? services.demoLogins() : [],
  })

  const show: RequestHandler = (req, res) => {
    const done =
      typeof req.query.done === 'string' && Object.hasOwn(NOTICES, req.query.done) ? NOTICES[req.query.done] : undefined
    res.render(VIEW, { ...pageLocals(req), notice: done, values: {} })
  }

  const submit: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const locals = { ...pageLocals(req), next: safeNext((req.body as Record<string, unknown>)?.next) }
    const form = parseFormPage(signInSchema, req.body)
    if (!form.ok) return renderInvalid(res, VIEW, { ...locals, values: { email: req.body?.email } }, form)
    const values = { email: form.data.email }
    passport.authenticate('local', (error: unknown, user: Express.User | false, info?: SignInResult) => {
      if (error) return next(error)
      if (!user) {
        if (info?.outcome === 'locked') {
          return renderInvalid(
            res,
            VIEW,
            { ...locals, values },
            toFormErrors({
              email: `There have been too many attempts to sign in with this email address. Wait ${info.minutes} minutes and try again, or reset your password.`,
            }),
            429,
          )
        }
        return renderInvalid(
          res,
          VIEW,
          { ...locals, values },
          toFormErrors({ email: 'Enter a correct email address and password' }),
          401,
        )
      }
      req.logIn(user, (loginError) => {
        if (loginError) return next(loginError)
        req.session.createdAt = Date.now()
        res.redirect(303, locals.next ?? startPathFor(user))
      })
    })(req, res, next)
  }

  const signOut: RequestHandler = async (req, res, next) => {
    const user = req.user
    if (user) await services.accounts.signedOut(user, ipOf(req))
    req.logout((error) => {
      if (error) return next(error)
      res.redirect(303, `${paths.signIn}?done=signed-out`)
    })
  }

  return { show, submit, signOut }
}
