// Accounts: sign-in with lockout, sessions that can all be ended at once, invitations, password resets, roles and
// organisation membership. Plain TypeScript: no req/res; throws AppErrors; every audit write is awaited.
import crypto from 'node:crypto'
import type { CareOrganisationRecord, UserRecord } from '../domain/account-records'
import { newId } from '../domain/ids'
import type { Mailer } from '../data/mail/mailer'
import { createNotifier } from './notifier'
import type { AccountRepository } from '../data/repositories/account.repository'
import { NotFoundError, ServiceUnavailableError, ValidationError } from '../errors'
import { createLogger } from '../logger'
import { paths, pathFor } from '../paths'
import type { AuditService } from './audit.service'
import { createBackgroundWrites } from './background-writes'
import { hashPassword, passwordProblem, verifyAgainstNothing, verifyPassword } from './password'
import {
  ROLE_FOR_KIND,
  ROLES,
  hasRole,
  type Membership,
  type MembershipKind,
  type Role,
  type SessionUser,
} from '../domain/roles'

const log = createLogger('accounts')

export interface AccountSettings {
  publicUrl: string
  invitationMs: number
  passwordResetMs: number
  signIn: { maxFailures: number; lockMs: number; perNetworkPer15Minutes: number }
}

export interface AccountDeps {
  accounts: AccountRepository
  audit: AuditService
  mailer: Mailer
  settings: AccountSettings
  clock?: () => Date
}

export type SignInResult =
  { outcome: 'success'; user: SessionUser } | { outcome: 'invalid' } | { outcome: 'locked'; minutes: number }

export interface MembershipInput {
  organisationId: string
  kind: MembershipKind
  manager: boolean
}

export interface InviteInput {
  name: string
  email: string
  roles: Role[]
  memberships: MembershipInput[]
}

export type Actor = Pick<SessionUser, 'id' | 'email' | 'roles' | 'memberships'>

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex')
}

const NETWORK_WINDOW_MS = 15 * 60_000
/** Reset links sent to one address within one link lifetime; further requests are answered alike but send nothing. */
const RESETS_PER_WINDOW = 3

const signInKey = (email: string) => `sign-in:${sha256(email)}`

function toSessionUser(user: UserRecord): SessionUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: [...user.roles],
    memberships: user.memberships.map((m) => ({ ...m })),
    sessionVersion: user.sessionVersion,
  }
}

export function createAccountService(deps: AccountDeps) {
  const { accounts, audit, settings } = deps
  const notifier = createNotifier({ mailer: deps.mailer, publicUrl: settings.publicUrl })
  const clock = deps.clock ?? (() => new Date())
  const background = createBackgroundWrites()
  const link = (template: string, token: string) => `${settings.publicUrl}${pathFor(template, { token })}`

  async function issueToken(
    purpose: 'invitation' | 'password-reset',
    userId: string,
    createdBy: string | null,
  ): Promise<string> {
    const secret = crypto.randomBytes(32).toString('base64url')
    const now = clock()
    const lifetime = purpose === 'invitation' ? settings.invitationMs : settings.passwordResetMs
    await accounts.retireTokens(userId, purpose, now)
    await accounts.insertToken({
      id: sha256(secret),
      purpose,
      userId,
      expiresAt: new Date(now.getTime() + lifetime),
      usedAt: null,
      createdBy,
    })
    return secret
  }

  /** Checks that each membership names a real organisation of its kind, and snapshots its name. */
  async function resolveMemberships(input: MembershipInput[]): Promise<Membership[]> {
    const out: Membership[] = []
    for (const m of input) {
      const org =
        m.kind === 'vco'
          ? await accounts.findDirectoryOrganisation(m.organisationId)
          : await accounts.findCareOrganisation(m.organisationId)
      if (!org || ('kind' in org && org.kind !== m.kind)) {
        const field = m.kind === 'vco' ? 'vcoOrganisationId' : m.kind === 'team' ? 'teamId' : 'practiceId'
        throw new ValidationError({ [field]: 'Select an organisation from the list' })
      }
      out.push({ organisationId: org.id, kind: m.kind, organisationName: org.name, manager: m.manager })
    }
    return out
  }

  function checkRolesMatchMemberships(roles: Role[], memberships: MembershipInput[]): void {
    const fields: Record<string, string> = {}
    if (roles.length === 0) fields.roles = 'Select at least one role'
    const needs: [Role, MembershipKind, string, string][] = [
      ['vco_member', 'vco', 'vcoOrganisationId', 'Select the organisation this person works for'],
      ['link_worker', 'team', 'teamId', 'Select the social prescribing team'],
      ['gp_user', 'practice', 'practiceId', 'Select the GP practice'],
    ]
    for (const [role, kind, field, message] of needs) {
      if (roles.includes(role) && !memberships.some((m) => m.kind === kind)) fields[field] = message
    }
    if (Object.keys(fields).length > 0) throw new ValidationError(fields)
  }

  async function sendInvitation(user: { id: string; email: string }, actor: Actor | null, ip: string | null) {
    const secret = await issueToken('invitation', user.id, actor?.id ?? null)
    const sent = await notifier.send('invitation', user.email, {
      link: link(paths.acceptInvitation, secret),
      days: Math.round(settings.invitationMs / 86_400_000),
    })
    if (sent.failed) throw new ServiceUnavailableError('The invitation email could not be sent. Try again later.')
    await audit.record({
      actor: actor && { id: actor.id, email: actor.email },
      action: 'invitation.sent',
      recordType: 'user',
      recordId: user.id,
      ip,
    })
  }

  async function createInvitedUser(input: InviteInput, memberships: Membership[]): Promise<UserRecord> {
    const email = normaliseEmail(input.email)
    if (await accounts.findUserByEmail(email)) {
      throw new ValidationError({ email: 'There is already an account for this email address' })
    }
    const user: UserRecord = {
      id: newId(),
      email,
      name: input.name.trim(),
      passwordHash: null,
      roles: [...new Set(input.roles)],
      memberships,
      status: 'invited',
      sessionVersion: 0,
      lastSignInAt: null,
    }
    await accounts.insertUser(user)
    return user
  }

  async function sendPasswordReset(email: string, ip: string | null): Promise<void> {
    const now = clock()
    const key = `password-reset:${sha256(email)}`
    await accounts.recordAttempt(key, now)
    const recent = await accounts.countAttempts(key, new Date(now.getTime() - settings.passwordResetMs))
    const user = await accounts.findUserByEmail(email)
    const send = user && user.status === 'active' && recent <= RESETS_PER_WINDOW
    if (send) {
      const secret = await issueToken('password-reset', user.id, null)
      await notifier.send('password-reset', user.email, {
        link: link(paths.resetPassword, secret),
        minutes: Math.round(settings.passwordResetMs / 60_000),
      })
    }
    await audit.record({
      actor: user ? { id: user.id, email: user.email } : null,
      actorEmail: email,
      action: 'password-reset.requested',
      recordType: user ? 'user' : undefined,
      recordId: user?.id,
      ip,
      detail: user && !send && user.status === 'active' ? { sent: false, reason: 'too many requests' } : undefined,
    })
  }

  const service = {
    /**
     * Checks a password, at most `maxFailures` times per address in any `lockMs` window however many requests arrive at
     * once: each attempt is recorded before it is counted, so of N concurrent attempts the k-th recorded sees a count of
     * at least k, and attempts beyond the limit are refused without checking the password.
     */
    async signIn(input: { email: string; password: string; ip: string | null }): Promise<SignInResult> {
      const email = normaliseEmail(input.email)
      const key = signInKey(email)
      const now = clock()
      const minutes = Math.ceil(settings.signIn.lockMs / 60_000)
      await accounts.recordAttempt(key, now)
      const attempt = await accounts.countAttempts(key, new Date(now.getTime() - settings.signIn.lockMs))
      const user = await accounts.findUserByEmail(email)
      const who = user ? { id: user.id, email: user.email } : null

      if (attempt > settings.signIn.maxFailures) {
        await audit.record({ actor: who, actorEmail: email, action: 'sign-in.locked', ip: input.ip })
        return { outcome: 'locked', minutes }
      }

      const ok =
        user && user.status === 'active' && user.passwordHash
          ? await verifyPassword(user.passwordHash, input.password)
          : await verifyAgainstNothing(input.password)

      if (ok && user) {
        await accounts.clearAttempts(key)
        await accounts.recordSignIn(user.id, now)
        await audit.record({
          actor: who,
          action: 'sign-in.success',
          recordType: 'user',
          recordId: user.id,
          ip: input.ip,
        })
        return { outcome: 'success', user: toSessionUser(user) }
      }

      const lockNow = attempt >= settings.signIn.maxFailures
      await audit.record({
        actor: who,
        actorEmail: email,
        action: 'sign-in.failure',
        ip: input.ip,
        detail: { failures: attempt, locked: lockNow },
      })
      return lockNow ? { outcome: 'locked', minutes } : { outcome: 'invalid' }
    },

    /**
     * Counts one sign-in, reset or invitation form sent from a network; false once it has sent more than
     * `perNetworkPer15Minutes` in 15 minutes. Counted in the database like sign-ins, so exact under concurrency and
     * shared by every instance.
     */
    async networkAttemptAllowed(ip: string | null): Promise<boolean> {
      const now = clock()
      const key = `network:${sha256(ip ?? 'unknown')}`
      await accounts.recordAttempt(key, now)
      const count = await accounts.countAttempts(key, new Date(now.getTime() - NETWORK_WINDOW_MS))
      return count <= settings.signIn.perNetworkPer15Minutes
    },

    /** Forgets attempts older than every window that counts them (a scheduled job). */
    async removeOldAttempts(now: Date): Promise<number> {
      return accounts.removeAttemptsBefore(
        new Date(now.getTime() - Math.max(settings.signIn.lockMs, NETWORK_WINDOW_MS)),
      )
    },

    /** The user behind a session, or null when the account is gone, disabled or its sessions were ended. */
    async sessionUser(id: string, sessionVersion: number): Promise<SessionUser | null> {
      const user = await accounts.findUserById(id)
      if (!user || user.status !== 'active' || user.sessionVersion !== sessionVersion) return null
      return toSessionUser(user)
    },

    async signedOut(user: Actor, ip: string | null): Promise<void> {
      await audit.record({ actor: user, action: 'sign-out', recordType: 'user', recordId: user.id, ip })
    },

    async signOutEverywhere(user: Actor, ip: string | null): Promise<void> {
      await accounts.bumpSessionVersion(user.id)
      await audit.record({ actor: user, action: 'sign-out.everywhere', recordType: 'user', recordId: user.id, ip })
    },

    /** Admins invite anyone, with any roles. */
    async invite(actor: Actor, input: InviteInput, ip: string | null): Promise<string> {
      if (!hasRole(actor, 'admin')) throw new NotFoundError()
      checkRolesMatchMemberships(input.roles, input.memberships)
      const memberships = await resolveMemberships(input.memberships)
      const user = await createInvitedUser(input, memberships)
      await sendInvitation(user, actor, ip)
      return user.id
    },

    /** Organisation managers invite colleagues to an organisation they manage (admins to any). */
    async inviteColleague(
      actor: Actor,
      organisationId: string,
      input: { name: string; email: string },
      ip: string | null,
    ): Promise<string> {
      const { organisation } = await service.colleagues(actor, organisationId)
      const membership: Membership = {
        organisationId: organisation.id,
        kind: organisation.kind,
        organisationName: organisation.name,
        manager: false,
      }
      const user = await createInvitedUser({ ...input, roles: [ROLE_FOR_KIND[organisation.kind]], memberships: [] }, [
        membership,
      ])
      await sendInvitation(user, actor, ip)
      return user.id
    },

    /**
     * An invitation for an organisation's listed contact email when a referral waits there and nobody at the
     * organisation has an account: an account is made for that address as the organisation's manager (so they can
     * invite colleagues), and a fresh single-use link returned for the referral email to carry (the latest email's
     * link is the one that works). Null when the address already has an account that is not this invitation: then
     * the email says to sign in. Audited as sent by nobody signed in.
     */
    async invitationForOrganisationContact(
      organisation: { id: string; name: string },
      emailInput: string,
      ip: string | null,
    ): Promise<{ url: string; days: number } | null> {
      const email = normaliseEmail(emailInput)
      let user = await accounts.findUserByEmail(email)
      if (!user) {
        const memberships = await resolveMemberships([{ organisationId: organisation.id, kind: 'vco', manager: true }])
        user = await createInvitedUser(
          { name: `${organisation.name} (referrals contact)`, email, roles: ['vco_member'], memberships: [] },
          memberships,
        ).catch(() => accounts.findUserByEmail(email)) // made at the same moment for another referral
      }
      const invitedHere =
        user?.status === 'invited' && user.memberships.some((m) => m.organisationId === organisation.id)
      if (!user || !invitedHere) return null
      const secret = await issueToken('invitation', user.id, null)
      await audit.record({
        actor: null,
        action: 'invitation.sent',
        recordType: 'user',
        recordId: user.id,
        ip,
        detail: { reason: 'referral waiting', organisationId: organisation.id },
      })
      return { url: link(paths.acceptInvitation, secret), days: Math.round(settings.invitationMs / 86_400_000) }
    },

    /** Who may use a link: for the "set your password" page. Null when the link is unknown, used or expired. */
    async invitation(secret: string): Promise<{ email: string; name: string } | null> {
      const token = await accounts.findUsableToken(sha256(secret), 'invitation', clock())
      if (!token) return null
      const user = await accounts.findUserById(token.userId)
      if (!user || user.status !== 'invited') return null
      return { email: user.email, name: user.name }
    },

    /** Sets the invitee's password; false when the link is unknown, used or expired (nothing is changed then). */
    async acceptInvitation(secret: string, password: string, ip: string | null): Promise<boolean> {
      const invitation = await service.invitation(secret)
      if (!invitation) return false
      const problem = passwordProblem(password, { email: invitation.email })
      if (problem) throw new ValidationError({ password: problem })
      const hash = await hashPassword(password)
      const token = await accounts.findUsableToken(sha256(secret), 'invitation', clock())
      if (!token || !(await accounts.useToken(token.id, 'invitation', clock()))) return false
      await accounts.setPassword(token.userId, hash)
      await audit.record({
        actor: { id: token.userId, email: invitation.email },
        action: 'invitation.accepted',
        recordType: 'user',
        recordId: token.userId,
        ip,
      })
      return true
    },

    /**
     * Sends a reset link when the address has an active account. Returns at once, before the lookup: the answer, and
     * how long it takes, must not depend on whether the address has an account or on the email. The work runs in
     * the background (settled() waits for it); at most RESETS_PER_WINDOW links go to one address per link lifetime.
     */
    requestPasswordReset(emailInput: string, ip: string | null): void {
      background.start(async () => {
        try {
          await sendPasswordReset(normaliseEmail(emailInput), ip)
        } catch (error) {
          log.error({ err: error }, 'password reset request failed')
        }
      })
    },

    /** Resolves when background work (password reset emails) started so far has ended. */
    settled: () => background.settled(),

    async passwordResetUsable(secret: string): Promise<boolean> {
      return Boolean(await accounts.findUsableToken(sha256(secret), 'password-reset', clock()))
    },

    /** Sets a new password and ends every session; false when the link is unknown, used or expired. */
    async resetPassword(secret: string, password: string, ip: string | null): Promise<boolean> {
      const token = await accounts.findUsableToken(sha256(secret), 'password-reset', clock())
      if (!token) return false
      const user = await accounts.findUserById(token.userId)
      if (!user || user.status !== 'active') return false
      const problem = passwordProblem(password, { email: user.email })
      if (problem) throw new ValidationError({ password: problem })
      const hash = await hashPassword(password)
      if (!(await accounts.useToken(token.id, 'password-reset', clock()))) return false
      await accounts.setPassword(user.id, hash)
      await accounts.clearAttempts(signInKey(user.email))
      await audit.record({
        actor: { id: user.id, email: user.email },
        action: 'password-reset.completed',
        recordType: 'user',
        recordId: user.id,
        ip,
      })
      return true
    },

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
      const user = await service.getUser(actor, userId)
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
        await service.colleagues(actor, organisationId)
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
      const user = await service.accountForStatusChange(actor, userId, options.organisationId)
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
        await audit.record({
          actor,
          action: to === 'disabled' ? 'account.deactivated' : 'account.reactivated',
          recordType: 'user',
          recordId: userId,
          ip: options.ip,
          detail: { before: user.status, after, organisationId: options.organisationId ?? null },
        })
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
  return service
}

export type AccountService = ReturnType<typeof createAccountService>
