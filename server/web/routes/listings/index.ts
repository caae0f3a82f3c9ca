// Keeping listings true: VCO members' quick actions and edits (listing-edit.controller.ts), the curators' review queue
// and history (listing-review.controller.ts), the public "report a problem" form and the freshness reminder links
// (listing-public.controller.ts); what each page shows is built in listings.presenter.ts. Services answer
// NotFoundError for listings outside the user's organisations, exactly as for listings that do not exist.
import { Router } from 'express'
import type { Services } from '../../../container'
import { paths } from '../../../paths'
import { limitPerAddress } from '../../middleware/rate-limit'
import { listingEditController } from './listing-edit.controller'
import { listingPublicController } from './listing-public.controller'
import { listingReviewController } from './listing-review.controller'

export function listingsRouter(services: Services): Router {
  const router = Router()
  const edit = listingEditController(services)
  const review = listingReviewController(services)
  const open = listingPublicController(services)

  // Public problem reports: 10 an hour from one address (per instance), on top of the site-wide limit.
  const reportLimit = limitPerAddress({
    windowMs: 60 * 60_000,
    limit: 10,
    message: 'You have sent a lot of reports. Wait an hour and try again.',
    skip: (req) => req.method !== 'POST',
  })

  // VCO members (and curators)
  router.get(paths.organisationListings, edit.organisation)
  router.get(paths.listingManage, edit.manage)
  router.post(paths.listingCapacity, edit.setCapacity)
  router.post(paths.listingTemporarilyClosed, edit.setTemporarilyClosed)
  router.post(paths.listingStillAccurate, edit.confirmAccurate)
  router.get(paths.listingEdit, edit.showEdit)
  router.post(paths.listingEdit, edit.submitEdit)
  router.get(paths.listingNew, edit.showNew)
  router.post(paths.listingNew, edit.create)
  router.post(paths.listingReportResolve, edit.resolveReport)

  // The public: report a problem with a listing; freshness reminder links (no sign-in; one use)
  router.get(paths.reportService, reportLimit, open.showReport)
  router.post(paths.reportService, reportLimit, open.report)
  router.get(paths.listingCheck, open.showCheck)
  router.post(paths.listingCheck, open.answerCheck)

  // Curators
  router.get(paths.adminListingReview, review.queue)
  router.get(paths.adminChangeRequest, review.showRequest)
  router.post(paths.adminChangeRequest, review.decide)
  router.get(paths.adminChangeRequestEdit, review.showEditRequest)
  router.post(paths.adminChangeRequestEdit, review.editAndApprove)
  router.get(paths.adminListingHistory, review.history)
  router.post(paths.adminListingRestore, review.restore)
  router.post(paths.adminListingCheck, review.recordCheck)

  return router
}
