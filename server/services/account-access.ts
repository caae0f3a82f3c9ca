// Who has which access: admins list users and change their roles and organisations; admins and organisation
// managers switch accounts off and on and see an organisation's members; demo seeding and scripts make accounts.
import type { CareOrganisationRecord, UserRecord } from '../domain/account-records'
import { ROLE_FOR_KIND, ROLES, hasRole, type MembershipKind, type Role } from '../domain/roles'
import { NotFoundError, ValidationError } from '../errors'
import { normaliseEmail, type AccountContext } from './account-context'
import type { Actor, InviteInput, MembershipInput } from './account.service'
import { hashPassword } from './password'

export function createAccountAccess(context: AccountContext) {
  const { accounts, audit, clock, resolveMemberships, checkRolesMatchMemberships, sendInvitation } = context
  const access = {
    async listUsers(actor: Actor): Promise<UserRecord[]> {
      if (!hasRole(actor, 'admin')) throw new NotFoundError()
      return (await accounts.listUsers()).map((u) => ({ ...u, passwordHash: null }))
    },

    async getUser(actor: Actor, id: string): Promise<UserRecord> {
      if (!hasRole(actor, 'admin')) throw new NotFoundError()
      const user = await accounts.findUserById(id)
      if (!user) throw new NotFoundError()
      return { ...user, passwordHash: null }
    },

    /** Admins change a user's roles and organisations. Audited with before and after. */
    async changeAccess(
      actor: Actor,
      userId: string,
      input: { roles: Role[]; memberships: MembershipInput[] },
      ip: string | null,
    ): Promise<void> {
      const user = await access.getUser(actor, userId)
      if (userId === actor.id && !input.roles.includes('admin')) {
        throw new ValidationError({ roles: 'You cannot remove your own admin role: ask another admin' })
      }
      checkRolesMatchMemberships(input.roles, input.memberships)
      const memberships = await resolveMemberships(input.memberships)
      const roles = ROLES.filter((r) => input.roles.includes(r))
      await accounts.updateUser(userId, { roles, memberships })
      await audit.record({
        actor,
        action: 'roles.changed',
        recordType: 'user',
        recordId: userId,
        ip,
        detail: {
          before: { roles: user.roles, organisations: user.memberships.map((m) => m.organisationId) },
          after: { roles, organisations: memberships.map((m) => m.organisationId) },
        },
      })
    },

    /**
     * Who may switch an account off or on: admins any account but their own; an organisation's managers (through
     * `organisationId`) its members who belong to no other organisation and are not admins. Anyone else, or any other
     * account, gets NotFoundError, as for an account that does not exist.
     */
    async accountForStatusChange(actor: Actor, userId: string, organisationId?: string): Promise<UserRecord> {
      const user = await accounts.findUserById(userId)
      if (!user) throw new NotFoundError()
      if (organisationId === undefined) {
        if (!hasRole(actor, 'admin')) throw new NotFoundError()
      } else {
        await access.colleagues(actor, organisationId)
        const onlyHere = user.memberships.every((m) => m.organisationId === organisationId)
        const member = user.memberships.some((m) => m.organisationId === organisationId)
        if (!member || (!hasRole(actor, 'admin') && (!onlyHere || hasRole(user, 'admin')))) throw new NotFoundError()
      }
      return { ...user, passwordHash: null }
    },

    /**
     * Deactivates an account (a leaver): every session ends at once, unused invitation and reset links stop working,
     * and sign-in is refused until it is reactivated. Or reactivates it: someone who had set a password can sign in
     * again; someone who never did is sent a new invitation. Audited either way.
     */
    async setAccountStatus(
      actor: Actor,
      userId: string,
      to: 'disabled' | 'active',
      options: { organisationId?: string; ip: string | null },
    ): Promise<UserRecord['status']> {
      const user = await access.accountForStatusChange(actor, userId, options.organisationId)
      if (user.id === actor.id) throw new ValidationError({ status: 'You cannot deactivate your own account' })
      const stored = await accounts.findUserById(userId)
      const now = clock()
      if (to === 'disabled') {
        if (user.status !== 'disabled') {
          await accounts.setStatusEndingSessions(userId, 'disabled')
          await accounts.retireTokens(userId, 'invitation', now)
          await accounts.retireTokens(userId, 'password-reset', now)
        }
      } else if (user.status === 'disabled') {
        const status = stored?.passwordHash ? 'active' : 'invited'
        await accounts.setStatusEndingSessions(userId, status)
        if (status === 'invited') await sendInvitation(user, actor, options.ip)
      }
      const after = (await accounts.findUserById(userId))?.status ?? user.status
      if (after !== user.status)
        await audit.recordOn(
          actor,
          to === 'disabled' ? 'account.deactivated' : 'account.reactivated',
          'user',
          userId,
          options.ip,
          {
            before: user.status,
            after,
            organisationId: options.organisationId ?? null,
          },
        )
      return after
    },

    /**
     * An organisation and its members, for its managers (and admins). Anyone else gets NotFoundError, exactly as for an
     * organisation that does not exist, so ids cannot be probed.
     */
    async colleagues(actor: Actor, organisationId: string) {
      const isAdmin = hasRole(actor, 'admin')
      const membership = actor.memberships.find(
        (m) => m.organisationId === organisationId && m.manager && actor.roles.includes(ROLE_FOR_KIND[m.kind]),
      )
      if (!isAdmin && !membership) throw new NotFoundError()
      let organisation: { id: string; name: string; kind: MembershipKind } | null = null
      const vco = await accounts.findDirectoryOrganisation(organisationId)
      if (vco) organisation = { ...vco, kind: 'vco' }
      else {
        const care = await accounts.findCareOrganisation(organisationId)
        if (care) organisation = { id: care.id, name: care.name, kind: care.kind }
      }
      if (!organisation && membership) {
        organisation = { id: membership.organisationId, name: membership.organisationName, kind: membership.kind }
      }
      if (!organisation) throw new NotFoundError()
      const members = (await accounts.listUsers())
        .filter((u) => u.memberships.some((m) => m.organisationId === organisationId))
        .map((u) => ({
          id: u.id,
          name: u.name,
          email: u.email,
          status: u.status,
          manager: u.memberships.some((m) => m.organisationId === organisationId && m.manager),
          // The same rule as accountForStatusChange: not yourself; a manager only for members of here alone.
          canChangeStatus:
            u.id !== actor.id &&
            (isAdmin ||
              (u.memberships.every((m) => m.organisationId === organisationId) && !u.roles.includes('admin'))),
        }))
      return { organisation, members }
    },

    async organisationChoices(): Promise<{
      vco: { id: string; name: string }[]
      team: CareOrganisationRecord[]
      practice: CareOrganisationRecord[]
    }> {
      const [vco, team, practice] = await Promise.all([
        accounts.listDirectoryOrganisations(),
        accounts.listCareOrganisations('team'),
        accounts.listCareOrganisations('practice'),
      ])
      return { vco, team, practice }
    },

    /** Creates an active account directly (demo seeding, scripts/create-admin). Skips an address already in use. */
    async ensureUser(
      input: Omit<InviteInput, 'memberships'> & {
        id: string
        password: string
        /** The password's hash, when the caller has one already (the demo accounts share theirs). */
        passwordHash?: () => Promise<string>
        memberships: (MembershipInput & { organisationName: string })[]
      },
    ): Promise<boolean> {
      const email = normaliseEmail(input.email)
      if ((await accounts.findUserById(input.id)) || (await accounts.findUserByEmail(email))) return false
      const memberships = await resolveMemberships(input.memberships).catch(() => null)
      await accounts.insertUser({
        id: input.id,
        email,
        name: input.name,
        passwordHash: await (input.passwordHash?.() ?? hashPassword(input.password)),
        roles: input.roles,
        memberships: memberships ?? input.memberships.map((m) => ({ ...m })),
        status: 'active',
        sessionVersion: 0,
        lastSignInAt: null,
      })
      return true
    },

    ensureCareOrganisation: (record: CareOrganisationRecord) => accounts.ensureCareOrganisation(record),
  }
  return access
}

export type AccountAccess = ReturnType<typeof createAccountAccess>
