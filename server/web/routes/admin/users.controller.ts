// Admin: the list of users, inviting a user, and changing a user's roles and organisations.
import type { RequestHandler } from 'express'
import type { Services } from '../../../container'
import { ValidationError } from '../../../errors'
import { paths, pathFor } from '../../../paths'
import type { MembershipInput } from '../../../services/account.service'
import { ROLES, ROLE_LABELS, type Role } from '../../../domain/roles'
import { parseFormPage, renderInvalid, toFormErrors } from '../../form-page'
import { changeAccessSchema, inviteUserSchema, type ChangeAccessForm } from './admin.schemas'
import { pageOf } from '../../../domain/paging'
import { ACCOUNT_STATUS_LABELS, STATUS_CHANGED } from './account-status.controller'
import { pageParam, pagination } from '../../pagination'
import { actorOf, ipOf } from '../../actor'
import { formBody } from '../../request-params'

function membershipsFrom(form: ChangeAccessForm): MembershipInput[] {
  const out: MembershipInput[] = []
  if (form.roles.includes('vco_member') && form.vcoOrganisationId)
    out.push({ organisationId: form.vcoOrganisationId, kind: 'vco', manager: form.manager })
  if (form.roles.includes('link_worker') && form.teamId)
    out.push({ organisationId: form.teamId, kind: 'team', manager: form.manager })
  if (form.roles.includes('gp_user') && form.practiceId)
    out.push({ organisationId: form.practiceId, kind: 'practice', manager: form.manager })
  return out
}

function roleOptions(selected: readonly string[]) {
  return ROLES.map((r, i) => ({
    value: r,
    label: ROLE_LABELS[r],
    id: i === 0 ? 'roles' : `roles-${r}`,
    checked: selected.includes(r),
  }))
}

function choiceOptions(list: { id: string; name: string }[], selected: string | undefined) {
  return list.map((o) => ({ value: o.id, text: o.name, selected: o.id === selected }))
}

export function usersController(services: Services) {
  async function accessLocals(values: {
    roles: readonly string[]
    vcoOrganisationId?: string
    teamId?: string
    practiceId?: string
  }) {
    const choices = await services.accounts.organisationChoices()
    return {
      roleOptions: roleOptions(values.roles),
      vcoOptions: choiceOptions(choices.vco, values.vcoOrganisationId),
      teamOptions: choiceOptions(choices.team, values.teamId),
      practiceOptions: choiceOptions(choices.practice, values.practiceId),
    }
  }

  const list: RequestHandler = async (req, res) => {
    // Staff accounts are a bounded list, read whole and paged here, by name.
    const shown = pageOf(await services.accounts.listUsers(actorOf(req)), pageParam(req))
    res.render('pages/admin/users', {
      title: 'Users',
      invited: req.query.invited === '1',
      pagination: pagination(req, shown),
      users: shown.items.map((u) => ({
        ...u,
        href: pathFor(paths.adminUser, { userId: u.id }),
        statusLabel: ACCOUNT_STATUS_LABELS[u.status],
        roleLabels: u.roles.map((r) => ROLE_LABELS[r as Role]).join(', '),
        organisations: u.memberships.map((m) => m.organisationName).join(', '),
      })),
    })
  }

  const showInvite: RequestHandler = async (_req, res) => {
    res.render('pages/admin/invite', { title: 'Invite a user', values: {}, ...(await accessLocals({ roles: [] })) })
  }

  const submitInvite: RequestHandler = async (req, res) => {
    const body = formBody(req)
    const form = parseFormPage(inviteUserSchema, body)
    const typed = {
      name: body.name,
      email: body.email,
      manager: body.manager === 'yes',
      roles: form.ok ? form.data.roles : [],
      vcoOrganisationId: typeof body.vcoOrganisationId === 'string' ? body.vcoOrganisationId : undefined,
      teamId: typeof body.teamId === 'string' ? body.teamId : undefined,
      practiceId: typeof body.practiceId === 'string' ? body.practiceId : undefined,
    }
    const locals = { title: 'Invite a user', values: typed, ...(await accessLocals(typed)) }
    if (!form.ok) return renderInvalid(res, 'pages/admin/invite', locals, form)
    try {
      await services.accounts.invite(
        actorOf(req),
        {
          name: form.data.name,
          email: form.data.email,
          roles: form.data.roles,
          memberships: membershipsFrom(form.data),
        },
        ipOf(req),
      )
    } catch (error) {
      if (error instanceof ValidationError) {
        return renderInvalid(res, 'pages/admin/invite', locals, toFormErrors(error.fields))
      }
      throw error
    }
    res.redirect(303, `${paths.adminUsers}?invited=1`)
  }

  async function userLocals(userId: string, actor: Express.User, values?: ChangeAccessForm) {
    const user = await services.accounts.getUser(actor, userId)
    const find = (kind: string) => user.memberships.find((m) => m.kind === kind)?.organisationId
    const current = values ?? {
      roles: user.roles,
      vcoOrganisationId: find('vco'),
      teamId: find('team'),
      practiceId: find('practice'),
      manager: user.memberships.some((m) => m.manager),
    }
    return {
      title: user.name,
      account: { ...user, statusLabel: ACCOUNT_STATUS_LABELS[user.status] },
      canChangeStatus: user.id !== actor.id,
      values: current,
      ...(await accessLocals(current)),
    }
  }

  const showUser: RequestHandler = async (req, res) => {
    const locals = await userLocals(String(req.params.userId), actorOf(req))
    res.render('pages/admin/user', {
      ...locals,
      saved: req.query.saved === '1',
      statusChanged: STATUS_CHANGED[String(req.query.status)],
    })
  }

  const submitUser: RequestHandler = async (req, res) => {
    const userId = String(req.params.userId)
    const form = parseFormPage(changeAccessSchema, req.body)
    if (!form.ok) {
      const body = formBody(req)
      const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined)
      const locals = await userLocals(userId, actorOf(req), {
        roles: [],
        vcoOrganisationId: text(body.vcoOrganisationId),
        teamId: text(body.teamId),
        practiceId: text(body.practiceId),
        manager: body.manager === 'yes',
      })
      return renderInvalid(res, 'pages/admin/user', locals, form)
    }
    try {
      await services.accounts.changeAccess(
        actorOf(req),
        userId,
        { roles: form.data.roles, memberships: membershipsFrom(form.data) },
        ipOf(req),
      )
    } catch (error) {
      if (error instanceof ValidationError) {
        const locals = await userLocals(userId, actorOf(req), form.data)
        return renderInvalid(res, 'pages/admin/user', locals, toFormErrors(error.fields))
      }
      throw error
    }
    res.redirect(303, `${pathFor(paths.adminUser, { userId })}?saved=1`)
  }

  return { list, showInvite, submitInvite, showUser, submitUser }
}
