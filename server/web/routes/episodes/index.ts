// Social prescribing episodes: referral into the link worker service (episode-referral.controller.ts: GP practice
// staff and other professionals signed in; the public through an open, rate-limited form), the team's caseload and
// triage queue (episode-caseload.controller.ts), one episode's page and a page per action
// (episode-action.controller.ts), the message back to the GP and referrer as a letter and FHIR document, and the
// practice's list of messages (episode-message.controller.ts); what each page shows is built in
// episodes.presenter.ts, and each form's schema is in episodes.schemas.ts. Scope is checked in the episode service
// (NotFoundError outside it).
import { Router } from 'express'
import type { Services } from '../../../container'
import { paths } from '../../../paths'
import { limitPerAddress } from '../../middleware/rate-limit'
import { episodeActionController } from './episode-action.controller'
import { episodeCaseloadController } from './episode-caseload.controller'
import { episodeMessageController } from './episode-message.controller'
import { episodeReferralController } from './episode-referral.controller'

export function episodesRouter(
  services: Services,
  settings: { selfReferralsPerHour: number; publicUrl: string },
): Router {
  const router = Router()
  const referral = episodeReferralController(services)
  const caseload = episodeCaseloadController(services)
  const episode = episodeActionController(services)
  const messages = episodeMessageController(services, settings)

  // Self-referrals: a few an hour from one address (per instance), on top of the site-wide limit.
  const selfReferralLimit = limitPerAddress({
    windowMs: 60 * 60_000,
    limit: settings.selfReferralsPerHour,
    message: 'We have had several referrals from here. Wait an hour and try again.',
    skip: (req) => req.method !== 'POST',
  })

  // Referral into the service
  router.get(paths.socialPrescribingRefer, referral.showRefer)
  router.post(paths.socialPrescribingRefer, referral.refer)
  router.get(paths.selfReferral, selfReferralLimit, referral.showSelfRefer)
  router.post(paths.selfReferral, selfReferralLimit, referral.selfRefer)
  router.get(paths.referralReceived, referral.received)

  // The caseload and triage queue
  router.get(paths.episodes, caseload.caseload)

  // One episode and its actions
  router.get(paths.episode, episode.show)
  router.get(paths.episodeAction, episode.showAction)
  router.post(paths.episodeAction, episode.act)

  // Messages back to the GP and referrer
  router.get(paths.episodeMessage, messages.teamMessage)
  router.get(paths.practiceEpisodes, messages.practiceMessages)
  router.get(paths.practiceEpisodeMessage, messages.practiceMessage)
  router.get(paths.practiceEpisodeFhir, messages.practiceFhir)

  return router
}
