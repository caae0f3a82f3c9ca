// The Open Referral UK API under /api/oruk: open (no key, no session, no CSRF), rate limited on its own, and every
// answer (errors too) sends Access-Control-Allow-Origin: *. Mounted before sessions, so API calls never set cookies.
// Handlers are in oruk.controller.ts.
import { Router, type RequestHandler } from 'express'
import type { Services } from '../../../container'
import { paths } from '../../../paths'
import { authorise } from '../../access'
import { limitPerAddress } from '../../middleware/rate-limit'
import { orukController } from './oruk.controller'

const cors: RequestHandler = (_req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*')
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin')
  res.setHeader('Cache-Control', 'public, max-age=60')
  next()
}

export function orukRouter(services: Services, options: { perMinute: number; publicUrl: string }): Router {
  const router = Router()
  const limiter = limitPerAddress({
    windowMs: 60_000,
    limit: options.perMinute,
    message: 'You have made too many requests. Wait a minute and try again.',
  })
  const access = authorise()
  // Applied here (not mounted at a path) so the access table sees the whole path.
  const isApi = (p: string) => p === paths.orukRoot || p.startsWith(`${paths.orukRoot}/`)
  for (const middleware of [cors, limiter, access]) {
    router.use((req, res, next) => (isApi(req.path) ? middleware(req, res, next) : next()))
  }

  const api = orukController(services, `${options.publicUrl}${paths.orukRoot}`)
  router.get(paths.orukRoot, api.root)
  router.get(paths.orukOpenApi, api.openApi)
  router.get(paths.orukServices, api.listServices)
  router.get(paths.orukService, api.getService)
  router.get(paths.orukTaxonomies, api.listTaxonomies)
  router.get(paths.orukTaxonomyTerms, api.listTaxonomyTerms)
  router.get(paths.orukOrganizations, api.listOrganizations)
  router.get(paths.orukOrganization, api.getOrganization)
  router.get(paths.orukServiceAtLocations, api.listServiceAtLocations)
  return router
}
