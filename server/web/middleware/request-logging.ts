// One log line per request with a request id. The query string is left out: it can carry search words and postcodes;
// the secret of a single-use link in the path is replaced by [redacted].
import crypto from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pinoHttp } from 'pino-http'
import { errorWithoutSecrets, logger, redactSecrets } from '../../logger'

const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/

export function requestLogging() {
  return pinoHttp({
    logger: logger(),
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const given = req.headers['x-request-id']
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID()
      res.setHeader('X-Request-Id', id)
      return id
    },
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/assets/') },
    customLogLevel(_req, res, error) {
      if (error || res.statusCode >= 500) return 'error'
      if (res.statusCode >= 400) return 'warn'
      return 'info'
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: redactSecrets(req.url.split('?')[0] ?? ''),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: errorWithoutSecrets,
    },
  })
}
