// Who is acting in a request, as services and audit records take it: the signed-in user and the network address.
import type { Request } from 'express'
import type { SessionUser } from '../domain/roles'
import { UnauthenticatedError } from '../errors'

/** The signed-in user. Routes that call it sit behind an access rule that needs sign-in; without one it answers 401. */
export function actorOf(req: Request): SessionUser {
  if (!req.user) throw new UnauthenticatedError()
  return req.user
}

/** The request's network address for the audit record, or null when unknown. */
export function ipOf(req: Request): string | null {
  return req.ip ?? null
}
