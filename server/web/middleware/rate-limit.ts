// Rate limits per client address. The in-memory store counts per app instance; see README "Running several instances".
import type { Request, RequestHandler } from 'express'
import { rateLimit } from 'express-rate-limit'
import { TooManyRequestsError } from '../../errors'

/** At most `limit` requests per `windowMs` from one address (those `skip` passes over not counted); then `message`. */
export function limitPerAddress(options: {
  windowMs: number
  limit: number
  message: string
  skip?: (req: Request) => boolean
}): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(options.skip ? { skip: options.skip } : {}),
    handler: (_req, _res, next) => next(new TooManyRequestsError(options.message)),
  })
}

export function publicRateLimit(options: { perMinute: number }): RequestHandler {
  return limitPerAddress({
    windowMs: 60_000,
    limit: options.perMinute,
    message: 'You have made too many requests. Wait a minute and try again.',
    skip: (req) => req.path.startsWith('/assets/') || req.path === '/healthz',
  })
}
