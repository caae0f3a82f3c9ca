import { Router } from 'express'
import type { Services } from '../../../container'
import { paths } from '../../../paths'

export function healthRouter(services: Services): Router {
  const router = Router()
  router.get(paths.health, async (_req, res) => {
    const report = await services.health.check()
    res.set('Cache-Control', 'no-store')
    res.status(report.status === 'ok' ? 200 : 503).json(report)
  })
  return router
}
