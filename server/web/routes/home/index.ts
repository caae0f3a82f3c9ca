import { Router } from 'express'
import type { Config } from '../../../config'
import type { Services } from '../../../container'
import { paths } from '../../../paths'
import { statutoryPages } from './statutory.controller'
import { worklistController } from './worklist.controller'

export function homeRouter(services: Services, statutory: Config['statutory']): Router {
  const router = Router()
  router.get(paths.home, (_req, res) => res.render('pages/home/index', { title: 'Find support in your community' }))
  const pages = statutoryPages(statutory)
  router.get(paths.accessibility, pages.accessibility)
  router.get(paths.privacy, pages.privacy)
  const worklist = worklistController(services)
  router.get(paths.worklist, worklist.show)
  router.post(paths.worklistDone, worklist.clear)
  return router
}
