// Your account: who you are, what you can do here, and "sign out everywhere".
import { Router } from 'express'
import type { Services } from '../../../container'
import { paths } from '../../../paths'
import { ROLE_LABELS, hasRole, managedOrganisations } from '../../../domain/roles'
import { actorOf, ipOf } from '../../actor'

const CAN_DO = {
  admin: 'Manage users and their roles, invite people, and search the audit log.',
  link_worker: 'Find services for the people your team supports, refer them and follow up.',
  vco_member: "Keep your organisation's listings up to date and respond to referrals sent to it.",
  gp_user: "See referrals and outcomes for your practice's patients.",
  commissioner: 'See reports on referrals and outcomes in your area (no personal details).',
} as const

export function accountRouter(services: Services): Router {
  const router = Router()
  router.get(paths.account, (req, res) => {
    const user = actorOf(req)
    res.render('pages/account/index', {
      title: 'Your account',
      roles: user.roles.map((r) => ({ label: ROLE_LABELS[r], canDo: CAN_DO[r] })),
      memberships: user.memberships,
      managed: managedOrganisations(user),
      isAdmin: hasRole(user, 'admin'),
      canReport: hasRole(user, 'commissioner', 'admin'),
    })
  })
  router.post(paths.signOutEverywhere, async (req, res, next) => {
    await services.accounts.signOutEverywhere(actorOf(req), ipOf(req))
    req.logout((error) => {
      if (error) return next(error)
      res.redirect(303, `${paths.signIn}?done=signed-out-everywhere`)
    })
  })
  return router
}
