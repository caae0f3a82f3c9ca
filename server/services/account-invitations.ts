// Invitations: admins invite anyone with any roles, organisation managers their colleagues, and an organisation's
// listed contact is invited when a referral waits there; the invitee sets a password through a single-use link.
import { ROLE_FOR_KIND, hasRole, type Membership } from '../domain/roles'
import { NotFoundError, ValidationError } from '../errors'
import { paths } from '../paths'
import { normaliseEmail, sha256, type AccountContext } from './account-context'
import type { AccountAccess } from './account-access'
import type { Actor, InviteInput } from './account.service'
import { hashPassword, passwordProblem } from './password'

export function createInvitations(context: AccountContext, access: Pick<AccountAccess, 'colleagues'>) {
  const { accounts, audit, settings, clock, link, issueToken } = context
  const { resolveMemberships, checkRolesMatchMemberships, createInvitedUser, sendInvitation } = context
  const invitations = {
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
      const { organisation } = await access.colleagues(actor, organisationId)
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
      await audit.recordOn(null, 'invitation.sent', 'user', user.id, ip, {
        reason: 'referral waiting',
        organisationId: organisation.id,
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
      const invitation = await invitations.invitation(secret)
      if (!invitation) return false
      const problem = passwordProblem(password, { email: invitation.email })
      if (problem) throw new ValidationError({ password: problem })
      const hash = await hashPassword(password)
      const token = await accounts.findUsableToken(sha256(secret), 'invitation', clock())
      if (!token || !(await accounts.useToken(token.id, 'invitation', clock()))) return false
      await accounts.setPassword(token.userId, hash)
      await audit.recordOn(
        { id: token.userId, email: invitation.email },
        'invitation.accepted',
        'user',
        token.userId,
        ip,
      )
      return true
    },
  }
  return invitations
}
