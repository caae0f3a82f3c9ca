// CSRF: the synchroniser-token pattern (csrf-sync). Every POST/PUT/PATCH/DELETE needs the session's token in the
// `_csrf` form field or the `x-csrf-token` header. Tokens are made on first use, so pages without forms make no session.
import type { RequestHandler } from 'express'
import { csrfSync } from 'csrf-sync'

export function csrf(): { protect: RequestHandler; provideToken: RequestHandler } {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined
      const fromBody = body?._csrf
      if (typeof fromBody === 'string') return fromBody
      const header = req.headers['x-csrf-token']
      return typeof header === 'string' ? header : undefined
    },
  })
  return {
    protect: csrfSynchronisedProtection,
    provideToken: (req, res, next) => {
      let token: string | undefined
      res.locals.csrfTokenFor = () => (token ??= generateToken(req))
      next()
    },
  }
}
