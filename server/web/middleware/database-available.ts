// Answers at once with 503 "try again shortly" while the database is known to be down (the embedded engine is
// restarting, or the driver has lost the server), instead of letting each request wait for the driver's timeout.
import type { RequestHandler } from 'express'
import { ServiceUnavailableError } from '../../errors'
import { DATABASE_UNAVAILABLE } from './error-handler'

export function databaseAvailable(isAvailable: () => boolean): RequestHandler {
  return (_req, _res, next) => {
    next(isAvailable() ? undefined : new ServiceUnavailableError(DATABASE_UNAVAILABLE))
  }
}
