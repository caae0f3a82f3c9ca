// What the account modules share: the repository, audit, settings and clock, the notifier, single-use links, and
// the checks on roles and organisations that inviting and changing access both make.
import crypto from 'node:crypto'
import type { UserRecord } from '../domain/account-records'
import { newId } from '../domain/ids'
import type { Membership, MembershipKind, Role, SessionUser } from '../domain/roles'
import { ServiceUnavailableError, ValidationError } from '../errors'
import { paths, pathFor } from '../paths'
import type { AccountDeps, Actor, InviteInput, MembershipInput } from './account.service'
import { createNotifier } from './notifier'

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex')
}

export const signInKey = (email: string) => `sign-in:${sha256(email)}`

export function toSessionUser(user: UserRecord): SessionUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: [...user.roles],
    memberships: user.memberships.map((m) => ({ ...m })),
    sessionVersion: user.sessionVersion,
  }
}

export function createAccountContext(deps: AccountDeps) {
  const { accounts, audit, settings } = deps
  const notifier = createNotifier({ mailer: deps.mailer, publicUrl: settings.publicUrl })
  const clock = deps.clock ?? (() => new Date())
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
    await audit.recordOn(actor && { id: actor.id, email: actor.email }, 'invitation.sent', 'user', user.id, ip)
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

  return {
    accounts,
    audit,
    settings,
    clock,
    notifier,
    link,
    issueToken,
    resolveMemberships,
    checkRolesMatchMemberships,
    sendInvitation,
    createInvitedUser,
  }
}

export type AccountContext = ReturnType<typeof createAccountContext>
