// Referrals: a link worker team's caseload and each person's page (people.controller.ts), referring and signposting
// from a listing (refer.controller.ts), the team's referrals and the VCO inbox (referral-lists.controller.ts), and
// each referral's page with its actions and messages (referral.controller.ts), closing actions confirmed on a page
// of their own (closing.controller.ts). What each page shows is built in referral.presenter.ts, the forms' schemas
// are in referral.schemas.ts. Scope is checked in the services (NotFoundError outside it).
import { Router } from 'express'
import type { Services } from '../../../container'
import { paths } from '../../../paths'
import { closingController } from './closing.controller'
import { peopleController } from './people.controller'
import { referController } from './refer.controller'
import { referralController } from './referral.controller'
import { referralListsController } from './referral-lists.controller'

export function referralsRouter(services: Services): Router {
  const router = Router()
  const people = peopleController(services)
  const refer = referController(services)
  const lists = referralListsController(services)
  const closing = closingController(services)
  const referral = referralController(services)

  // People
  router.get(paths.people, people.caseload)
  router.get(paths.personNew, people.showNew)
  router.post(paths.personNew, people.create)
  router.get(paths.person, people.show)
  router.get(paths.personEdit, people.showEdit)
  router.post(paths.personEdit, people.update)
  router.get(paths.personDischarge, people.showDischarge)
  router.post(paths.personDischarge, people.discharge)
  router.post(paths.personConsent, people.recordConsent)

  // Referring and signposting from a listing
  router.get(paths.referService, refer.showRefer)
  router.post(paths.referService, refer.refer)
  router.get(paths.signpostService, refer.showSignpost)
  router.post(paths.signpostService, refer.signpost)

  // Lists
  router.get(paths.referrals, lists.team)
  router.get(paths.referralInbox, lists.inbox)

  // One referral
  router.get(paths.referralClose, closing.show)
  router.get(paths.referral, referral.show)
  router.post(paths.referral, referral.act)
  router.post(paths.referralMessages, referral.message)

  return router
}
