import { Router } from 'express'
import type { Services } from '../../../container'
import { paths } from '../../../paths'
import { worklistController } from './worklist.controller'

export function homeRouter(services: Services): Router {
  const router = Router()
  router.get(paths.home, (_req, res) => res.render('pages/home/index', { title: 'Find support in your community' }))
  router.get(paths.accessibility, (_req, res) =>
    res.render('pages/home/accessibility', { title: 'Accessibility statement' }),
  )
  router.get(paths.privacy, (_req, res) => res.render('pages/home/privacy', { title: 'Privacy notice' }))
  const worklist = worklistController(services)
  router.get(paths.worklist, worklist.show)
  router.post(paths.worklistDone, worklist.clear)
  return router
}
