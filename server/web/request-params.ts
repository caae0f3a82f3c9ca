// What handlers read from a request besides the actor: a record id from the path, checked to be a UUID so a mistyped
// address is a 404 without reaching the database, and the posted form fields.
import type { Request } from 'express'
import { NotFoundError } from '../errors'

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value)
}

/** The path parameter `name` as a record id; 404 when it is not a UUID. */
export function idParam(req: Request, name: string): string {
  const value = String(req.params[name])
  if (!isUuid(value)) throw new NotFoundError()
  return value
}

/** The posted form fields; an empty record when the request has no body. */
export function formBody(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>
}
