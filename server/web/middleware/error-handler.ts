// The one place errors become responses: an NHS.UK page for browsers, JSON for /api. No internals are ever shown.
import type { ErrorRequestHandler, RequestHandler } from 'express'
import { AppError, NotFoundError, ValidationError } from '../../errors'

export const notFound: RequestHandler = (_req, _res, next) => next(new NotFoundError())

interface HttpishError {
  status?: number
  statusCode?: number
  expose?: boolean
  code?: string
  type?: string
}

function classify(error: unknown): { status: number; message: string; expected: boolean } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      message: error.expose ? error.message : 'Sorry, there is a problem with the service',
      expected: error.status < 500,
    }
  }
  // The driver lost the database (it died, or is restarting): worth trying again shortly, not a fault of ours to hide.
  if (error instanceof Error && /^Mongo(ServerSelection|Network|NotConnected|PoolCleared)/.test(error.name))
    return { status: 503, message: DATABASE_UNAVAILABLE, expected: false }
  // FerretDB answers a query it could not run on its backend (PostgreSQL gone mid-query) with InternalError (code 1).
  if (error instanceof Error && error.name === 'MongoServerError' && (error as { code?: unknown }).code === 1)
    return { status: 503, message: DATABASE_UNAVAILABLE, expected: false }
  const e = (error ?? {}) as HttpishError
  const status = e.status ?? e.statusCode
  if (e.code === 'EBADCSRFTOKEN' || (status === 403 && /csrf/i.test(String((error as Error)?.message)))) {
    return {
      status: 403,
      message: 'Your form expired or was sent from elsewhere. Go back, reload the page and try again.',
      expected: true,
    }
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // body-parser and friends: malformed JSON, a body too large, an unsupported charset.
    const messages: Record<string, string> = {
      'entity.parse.failed': 'The request body is not valid JSON',
      'entity.too.large': 'The request is too large',
    }
    return { status, message: (e.type && messages[e.type]) ?? 'The request could not be understood', expected: true }
  }
  return { status: 500, message: 'Sorry, there is a problem with the service', expected: false }
}

export const DATABASE_UNAVAILABLE = 'The service is unavailable for a moment. Try again in a minute.'

const VIEWS: Record<number, string> = {
  403: 'pages/errors/forbidden',
  404: 'pages/errors/not-found',
  503: 'pages/errors/unavailable',
}

export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error)
  const { status, message, expected } = classify(error)
  if (expected) req.log?.info({ status, kind: (error as Error)?.name }, 'request refused')
  else req.log?.error({ err: error }, 'unexpected error')
  res.status(status)
  if (status === 503) res.setHeader('Retry-After', '30')
  const wantsJson = req.path.startsWith('/api/') || (req.accepts(['html', 'json']) === 'json' && !req.accepts('html'))
  if (wantsJson) {
    const body: Record<string, unknown> = { error: message }
    if (error instanceof ValidationError) body.errors = error.fields
    if (status === 429) res.setHeader('Retry-After', '60')
    res.json(body)
    return
  }
  const view = VIEWS[status] ?? (status >= 500 ? 'pages/errors/server-error' : 'pages/errors/problem')
  const title =
    status === 503
      ? 'Sorry, the service is unavailable'
      : status >= 500
        ? 'Sorry, there is a problem with the service'
        : message
  res.render(view, { title, message, status })
}
