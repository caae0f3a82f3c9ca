// CSRF on every POST/PUT/PATCH/DELETE: the token travels in the `_csrf` form field or the `x-csrf-token` header.
// - Signed-in users: the synchroniser-token pattern (csrf-sync), the token kept in their session.
// - Anonymous visitors (sign-in, password reset, feedback and listing-check forms): a signed double-submit token, so
//   viewing a form stores no session. A random nonce lives in a cookie; the form carries `a.<HMAC(secret, nonce)>`.
//   Only the server can make that token for a nonce, and only a page of this site can set the cookie (a `__Host-`
//   cookie in production, which a subdomain cannot plant). Signing in rotates to the session's token.
// Tokens are made on first use, so pages without forms set no cookie at all.
import crypto from 'node:crypto'
import type { Request, RequestHandler, Response } from 'express'
import { csrfSync } from 'csrf-sync'

const ANONYMOUS = 'a.'
const NONCE = /^[A-Za-z0-9_-]{24}$/

function tokenFromRequest(req: Request): string | undefined {
  const body = req.body as Record<string, unknown> | undefined
  const fromBody = body?._csrf
  if (typeof fromBody === 'string') return fromBody
  const header = req.headers['x-csrf-token']
  return typeof header === 'string' ? header : undefined
}

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return rest.join('=')
  }
  return undefined
}

export function csrf(options: { secret: string; production: boolean }): {
  protect: RequestHandler
  provideToken: RequestHandler
} {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({ getTokenFromRequest: tokenFromRequest })
  const cookieName = options.production ? '__Host-loopwell.csrf' : 'loopwell.csrf'
  const sign = (nonce: string) =>
    ANONYMOUS + crypto.createHmac('sha256', options.secret).update(`anonymous-csrf:${nonce}`).digest('base64url')

  function anonymousToken(req: Request, res: Response): string {
    let nonce = cookieValue(req, cookieName)
    if (!nonce || !NONCE.test(nonce)) {
      nonce = crypto.randomBytes(18).toString('base64url')
      res.cookie(cookieName, nonce, { httpOnly: true, sameSite: 'lax', secure: options.production, path: '/' })
    }
    return sign(nonce)
  }

  function anonymousTokenValid(req: Request, given: string): boolean {
    const nonce = cookieValue(req, cookieName)
    if (!nonce || !NONCE.test(nonce)) return false
    const expected = Buffer.from(sign(nonce))
    const actual = Buffer.from(given)
    return actual.length === expected.length && crypto.timingSafeEqual(actual, expected)
  }

  return {
    protect: (req, res, next) => {
      const given = tokenFromRequest(req)
      if (!req.user && given?.startsWith(ANONYMOUS) && !['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
        if (anonymousTokenValid(req, given)) return next()
      }
      csrfSynchronisedProtection(req, res, next)
    },
    provideToken: (req, res, next) => {
      let token: string | undefined
      res.locals.csrfTokenFor = () => (token ??= req.user ? generateToken(req) : anonymousToken(req, res))
      next()
    },
  }
}
