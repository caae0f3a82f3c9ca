// The link worker's worklist and its "mark as dealt with" button.
import type { Request, RequestHandler } from 'express'
import type { Services } from '../../../container'
import { NotFoundError } from '../../../errors'
import { paths } from '../../../paths'
import { pageParam, pagination } from '../../pagination'
import { presentWorklist } from './worklist.presenter'
import { actorOf, ipOf } from '../../actor'
import { idParam } from '../../request-params'

export function worklistController(services: Services) {
  const show: RequestHandler = async (req, res) => {
    // 25 at a time, most pressing kind first and newest first within a kind.
    const shown = await services.worklist.forActor(actorOf(req), ipOf(req), pageParam(req))
    res.render('pages/home/worklist', {
      title: 'Your worklist',
      ...presentWorklist(shown),
      pagination: pagination(req, shown),
      cleared: req.query.done === '1',
    })
  }

  const clear: RequestHandler = async (req: Request, res) => {
    const cleared = await services.worklist.clear(actorOf(req), idParam(req, 'referralId'), ipOf(req))
    if (!cleared) throw new NotFoundError()
    res.redirect(303, `${paths.worklist}?done=1`)
  }

  return { show, clear }
}
