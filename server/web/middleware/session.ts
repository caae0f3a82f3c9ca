// Sessions live in the database (connect-mongo). Expired ones are removed by our own job (sessions.ts in data),
// because FerretDB v1 has no TTL indexes: hence autoRemove 'disabled'.
import type { RequestHandler } from 'express'
import session from 'express-session'
import type { Store } from 'express-session'

export const SESSION_COOKIE = 'loopwell.sid'

export function sessions(options: {
  store: Store
  secret: string
  production: boolean
  idleMs: number
  absoluteMs: number
}): RequestHandler[] {
  const base = session({
    name: SESSION_COOKIE,
    secret: options.secret,
    store: options.store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: undefined,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.production,
      maxAge: options.idleMs,
    },
  })
  const absoluteTimeout: RequestHandler = (req, _res, next) => {
    const s = req.session
    if (s.createdAt === undefined) {
      // Only stamp sessions that hold something; an empty session is never saved.
      if (Object.keys(s).some((k) => k !== 'cookie')) s.createdAt = Date.now()
      return next()
    }
    if (Date.now() - s.createdAt > options.absoluteMs) {
      return s.regenerate((error) => next(error))
    }
    next()
  }
  return [base, absoluteTimeout]
}
