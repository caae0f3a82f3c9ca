// The link worker's worklist and its "mark as dealt with" button.
import type { Request, RequestHandler } from 'express'
import type { Services } from '../../../container'
import { NotFoundError } from '../../../errors'
import { paths } from '../../../paths'
import { pageParam, pagination } from '../../pagination'
import { presentWorklist } from './worklist.presenter'
import { actorOf, ipOf } from '../../actor'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

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
    const id = String(req.params.referralId)
    if (!UUID.test(id) || !(await services.worklist.clear(actorOf(req), id, ipOf(req)))) throw new NotFoundError()
    res.redirect(303, `${paths.worklist}?done=1`)
  }

  return { show, clear }
}
