// Closing the loop: the person's feedback page, public by single-use link (person-feedback.controller.ts); the outcome
// page of a referral for the referring team and the receiving organisation (referral-outcome.controller.ts); the GP
// practice's view and outcome summaries (practice.controller.ts). What each page shows is built in
// outcomes.presenter.ts, and the forms and query are checked by outcomes.schemas.ts.
import { Router } from 'express'
import type { Services } from '../../../container'
import { paths } from '../../../paths'
import { personFeedbackController } from './person-feedback.controller'
import { practiceController } from './practice.controller'
import { referralOutcomeController } from './referral-outcome.controller'

export function outcomesRouter(services: Services): Router {
  const router = Router()
  const feedback = personFeedbackController(services)
  const outcome = referralOutcomeController(services)
  const practice = practiceController(services)

  // The person (no sign-in; the link is single-use)
  router.get(paths.feedback, feedback.show)
  router.post(paths.feedback, feedback.answer)

  // The referring team and the receiving organisation
  router.get(paths.referralOutcome, outcome.show)
  router.post(paths.referralOutcome, outcome.recordOutcome)
  router.post(paths.referralMeasure, outcome.recordMeasure)
  router.post(paths.referralFeedbackLink, outcome.issueFeedbackLink)

  // The GP practice
  router.get(paths.practiceReferrals, practice.referrals)
  router.get(paths.practiceOutcomeSummary, practice.summaryPage)
  router.get(paths.practiceOutcomeSummaryFile, practice.summaryFile)

  return router
}
