import { Router } from 'express'
import type { Services } from '../../../container'
import { NotFoundError } from '../../../errors'
import { paths } from '../../../paths'
import { accountStatusController } from './account-status.controller'
import { auditController } from './audit.controller'
import { usersController } from './users.controller'

export function adminRouter(services: Services, options: { demo: boolean }): Router {
  const router = Router()
  const users = usersController(services)
  const audit = auditController(services)
  router.get(paths.adminUsers, users.list)
  router.get(paths.adminInvite, users.showInvite)
  router.post(paths.adminInvite, users.submitInvite)
  router.get(paths.adminUser, users.showUser)
  router.post(paths.adminUser, users.submitUser)
  const status = accountStatusController(services, 'admin')
  router.get(paths.adminUserStatus, status.show)
  router.post(paths.adminUserStatus, status.submit)
  router.get(paths.adminAudit, audit.search)
  router.get(paths.adminOutbox, async (_req, res) => {
    // The outbox holds live sign-in links: readable only in demo mode.
    if (!options.demo) throw new NotFoundError()
    const outbox = services.outbox
    res.render('pages/admin/outbox', {
      title: 'Outbox',
      smtp: !outbox,
      messages: outbox ? await outbox.list(50) : [],
    })
  })
  return router
}
