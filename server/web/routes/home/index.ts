import { Router } from 'express'
import { paths } from '../../../paths'

export function homeRouter(): Router {
  const router = Router()
  router.get(paths.home, (_req, res) => res.render('pages/home/index', { title: 'Find support in your community' }))
  router.get(paths.accessibility, (_req, res) =>
    res.render('pages/home/accessibility', { title: 'Accessibility statement' }),
  )
  router.get(paths.privacy, (_req, res) => res.render('pages/home/privacy', { title: 'Privacy notice' }))
  return router
}
