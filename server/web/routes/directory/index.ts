// The public directory: search with filters and facet counts, and a page for each service. No sign-in needed.
import { Router } from 'express'
import type { Services } from '../../../container'
import { paths } from '../../../paths'
import { searchPage, servicePage } from './directory.controller'

export function directoryRouter(services: Services): Router {
  const router = Router()
  router.get(paths.directorySearch, searchPage(services))
  router.get(paths.service, servicePage(services))
  return router
}
