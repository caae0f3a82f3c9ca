// Rate limits per client address. The in-memory store counts per app instance; see README "Running several instances".
import type { RequestHandler } from 'express'
import { rateLimit } from 'express-rate-limit'
import { TooManyRequestsError } from '../../errors'

export function publicRateLimit(options: { perMinute: number }): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: options.perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => req.path.startsWith('/assets/') || req.path === '/healthz',
    handler: (_req, _res, next) =>
      next(new TooManyRequestsError('You have made too many requests. Wait a minute and try again.')),
  })
}
