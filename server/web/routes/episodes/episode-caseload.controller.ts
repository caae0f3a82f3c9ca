// The team's caseload and triage queue: one stage at a time, the whole team's or only the user's, a page at a time.
import type { RequestHandler } from 'express'
import type { Services } from '../../../container'
import { EPISODE_STAGES, type EpisodeStage } from '../../../domain/episode'
import { actorOf, ipOf } from '../../actor'
import { pageParam } from '../../pagination'
import { presentCaseload } from './episodes.presenter'

export function episodeCaseloadController({ episodes }: Pick<Services, 'episodes'>) {
  const caseload: RequestHandler = async (req, res) => {
    const stageParam = String(req.query.stage ?? 'triage')
    const stage: EpisodeStage = (EPISODE_STAGES as readonly string[]).includes(stageParam)
      ? (stageParam as EpisodeStage)
      : 'triage'
    const mine = req.query.mine === '1'
    // As every list: a page that is not a whole number from 1 is a 400, one past the end shows the last.
    const data = await episodes.caseload(actorOf(req), { stage, mine, page: pageParam(req) }, ipOf(req))
    res.render('pages/episodes/caseload', presentCaseload(data, stage, mine))
  }

  return { caseload }
}
