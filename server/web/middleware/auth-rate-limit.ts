// Per-network limit on the sign-in, password reset and invitation forms: every POST from one client address is
// recorded in the database and counted over 15 minutes, so the limit is exact under concurrency and holds across
// restarts and instances. Lockout per account is AccountService.signIn's.
import type { RequestHandler } from 'express'
import type { AccountService } from '../../services/account.service'
import { TooManyRequestsError } from '../../errors'
import { ipOf } from '../actor'

export function authRateLimit(accounts: Pick<AccountService, 'networkAttemptAllowed'>): RequestHandler {
  return async (req, _res, next) => {
    if (req.method !== 'POST') return next()
    if (await accounts.networkAttemptAllowed(ipOf(req))) return next()
    next(
      new TooManyRequestsError('There have been too many attempts from your network. Wait 15 minutes and try again.'),
    )
  }
}
