// Organisation managers: see colleagues and invite new ones. The service answers 404 for an organisation the user
// does not manage, the same as for one that does not exist.
import { Router } from 'express'
import type { Services } from '../../../container'
import { ValidationError } from '../../../errors'
import { paths, pathFor } from '../../../paths'
import { parseFormPage, renderInvalid, toFormErrors } from '../../form-page'
import { inviteColleagueSchema } from './colleagues.schemas'
import { actorOf, ipOf } from '../../actor'
import { ACCOUNT_STATUS_LABELS, accountStatusController, STATUS_CHANGED } from '../admin/account-status.controller'
import { formBody } from '../../request-params'

export function organisationsRouter(services: Services): Router {
  const router = Router()
  const view = 'pages/organisations/colleagues'

  async function locals(actor: Express.User, organisationId: string) {
    const { organisation, members } = await services.accounts.colleagues(actor, organisationId)
    return {
      title: `Colleagues at ${organisation.name}`,
      organisation,
      members: members.map((m) => ({ ...m, statusLabel: ACCOUNT_STATUS_LABELS[m.status] })),
    }
  }

  router.get(paths.organisationColleagues, async (req, res) => {
    const organisationId = String(req.params.organisationId)
    res.render(view, {
      ...(await locals(actorOf(req), organisationId)),
      values: {},
      invited: req.query.invited === '1',
      statusChanged: STATUS_CHANGED[String(req.query.status)],
    })
  })

  router.post(paths.organisationColleagues, async (req, res) => {
    const organisationId = String(req.params.organisationId)
    const page = await locals(actorOf(req), organisationId)
    const body = formBody(req)
    const values = { name: body.name, email: body.email }
    const form = parseFormPage(inviteColleagueSchema, body)
    if (!form.ok) return renderInvalid(res, view, { ...page, values }, form)
    try {
      await services.accounts.inviteColleague(actorOf(req), organisationId, form.data, ipOf(req))
    } catch (error) {
      if (error instanceof ValidationError)
        return renderInvalid(res, view, { ...page, values }, toFormErrors(error.fields))
      throw error
    }
    res.redirect(303, `${pathFor(paths.organisationColleagues, { organisationId })}?invited=1`)
  })
  const status = accountStatusController(services, 'organisation')
  router.get(paths.colleagueStatus, status.show)
  router.post(paths.colleagueStatus, status.submit)
  return router
}
