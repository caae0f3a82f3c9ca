// Draining for a graceful shutdown. Once started: /healthz answers 503 at once (a load balancer stops sending work),
// every response carries `Connection: close` (no keep-alive connection takes another request), and a request that
// arrives after the start is refused with 503 and Retry-After, so nothing new begins; requests already running
// finish normally. server/index.ts then waits for them, for background writes, and closes the database.
import type { RequestHandler } from 'express'
import { paths } from '../../paths'

export interface Drain {
  readonly draining: boolean
  start(): void
  /** Resolves when no request that this middleware let through is still running. */
  idle(): Promise<void>
  middleware: RequestHandler
}

export function createDrain(): Drain {
  let draining = false
  let running = 0
  let waiters: (() => void)[] = []
  const settle = () => {
    if (running > 0) return
    for (const wake of waiters) wake()
    waiters = []
  }
  return {
    get draining() {
      return draining
    },
    start() {
      draining = true
    },
    idle() {
      return running === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))
    },
    middleware(req, res, next) {
      if (draining) {
        res.set('Connection', 'close').set('Cache-Control', 'no-store').set('Retry-After', '5')
        if (req.path === paths.health) return void res.status(503).json({ status: 'draining' })
        return void res.status(503).type('text').send('The service is restarting. Try again in a few seconds.')
      }
      running++
      let done = false
      const finished = () => {
        if (done) return
        done = true
        running--
        settle()
      }
      res.on('finish', finished)
      res.on('close', finished)
      // A request running when the drain starts still gets its answer, with Connection: close.
      const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res
      res.writeHead = ((...args: unknown[]) => {
        if (draining && !res.headersSent) res.setHeader('Connection', 'close')
        return writeHead(...args)
      }) as typeof res.writeHead
      next()
    },
  }
}
