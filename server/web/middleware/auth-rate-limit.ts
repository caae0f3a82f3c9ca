// Per-address slowdown for sign-in, password reset and invitation forms: a fixed window per client address. Lockout
// per account lives in the database (AccountService.signIn), so it holds across restarts and instances.
import type { RequestHandler } from 'express'
import { rateLimit } from 'express-rate-limit'
import { TooManyRequestsError } from '../../errors'

export function authRateLimit(options: { per15Minutes: number }): RequestHandler {
  return rateLimit({
    windowMs: 15 * 60_000,
    limit: options.per15Minutes,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => req.method !== 'POST',
    handler: (_req, _res, next) =>
      next(
        new TooManyRequestsError('There have been too many attempts from your network. Wait 15 minutes and try again.'),
      ),
  })
}
