// createApp: middleware order, routers, 404 and the one error handler. It never listens or connects.
import path from 'node:path'
import express, { type Express } from 'express'
import type { Store } from 'express-session'
import type { Config } from './config'
import type { Services } from './container'
import { authorise } from './web/access'
import { createPassport } from './web/auth/passport'
import { createViewEngine, VIEWS_DIR } from './web/handlebars'
import { csrf } from './web/middleware/csrf'
import { databaseAvailable } from './web/middleware/database-available'
import { currentUser } from './web/middleware/current-user'
import type { Drain } from './web/middleware/drain'
import { errorHandler, notFound } from './web/middleware/error-handler'
import { inputHygiene, parseQuery } from './web/middleware/input-hygiene'
import { publicRateLimit } from './web/middleware/rate-limit'
import { requestLogging } from './web/middleware/request-logging'
import { cspNonce, securityHeaders } from './web/middleware/security'
import { sessions } from './web/middleware/session'
import { accountRouter } from './web/routes/account'
import { adminRouter } from './web/routes/admin'
import { assetsRouter } from './web/routes/assets'
import { authRouter } from './web/routes/auth'
import { directoryRouter } from './web/routes/directory'
import { healthRouter } from './web/routes/health'
import { homeRouter } from './web/routes/home'
import { listingsRouter } from './web/routes/listings'
import { organisationsRouter } from './web/routes/organisations'
import { outcomesRouter } from './web/routes/outcomes'
import { referralsRouter } from './web/routes/referrals'
import { episodesRouter } from './web/routes/episodes'
import { orukRouter } from './web/routes/oruk'
import { reportsRouter } from './web/routes/reports'

const ROOT = path.resolve(import.meta.dirname, '..')

export interface AppDependencies {
  config: Config
  services: Services
  sessionStore: Store
  /** Graceful shutdown's gate (server/index.ts starts it); none in tests that do not shut down. */
  drain?: Drain
}

export function createApp({ config, services, sessionStore, drain }: AppDependencies): Express {
  const app = express()
  const engine = createViewEngine()
  app.engine('.hbs', engine.engine)
  app.set('view engine', '.hbs')
  app.set('views', VIEWS_DIR)
  // Compiled templates are cached everywhere but development, where edits should show on reload.
  app.set('view cache', config.env !== 'development')
  app.set('trust proxy', config.trustProxy ? 1 : false)
  app.set('query parser', parseQuery)
  app.disable('x-powered-by')
  // No ETag: every page carries its own CSP nonce, so a page's tag never matched, yet each response was hashed whole.
  app.set('etag', false)

  app.use(requestLogging())
  if (drain) app.use(drain.middleware)
  app.use(cspNonce())
  app.use(securityHeaders({ production: config.production }))

  app.use(assetsRouter({ root: ROOT, production: config.production }))

  app.use(healthRouter(services))
  app.use(databaseAvailable(services.health.databaseAvailable))
  // Before sessions and CSRF: the open API sets no cookies; it has its own rate limit and CORS.
  app.use(orukRouter(services, { perMinute: config.rateLimitPerMinute, publicUrl: config.publicUrl }))
  app.use(publicRateLimit({ perMinute: config.rateLimitPerMinute }))
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 }))
  app.use(express.json({ limit: '100kb' }))
  app.use(inputHygiene())
  app.use(
    sessions({
      store: sessionStore,
      secret: config.sessionSecret,
      production: config.production,
      idleMs: config.sessionIdleMs,
      absoluteMs: config.sessionAbsoluteMs,
    }),
  )

  const passport = createPassport(services.accounts)
  app.use(passport.session())

  const { protect, provideToken } = csrf({ secret: config.sessionSecret, production: config.production })
  app.use(provideToken)
  app.use(protect)
  app.use((req, res, next) => {
    res.locals.demo = config.demo
    res.locals.currentPath = req.path
    next()
  })
  app.use(currentUser({ demo: config.demo }))
  // Default deny: every request past this point must match a row of server/web/access.ts.
  app.use(authorise())

  // The busiest page first: a results page no longer walks every other router's routes to reach its own.
  app.use(directoryRouter(services))
  app.use(homeRouter(services, config.statutory))
  app.use(authRouter(services, { passport, demo: config.demo }))
  app.use(accountRouter(services))
  app.use(organisationsRouter(services))
  app.use(adminRouter(services, { demo: config.demo }))
  app.use(referralsRouter(services))
  app.use(episodesRouter(services, { selfReferralsPerHour: config.selfReferralsPerHour, publicUrl: config.publicUrl }))
  app.use(outcomesRouter(services))
  app.use(reportsRouter(services))
  app.use(listingsRouter(services))

  app.use(notFound)
  app.use(errorHandler)
  return app
}
