// Accounts: sign-in with lockout, sessions that can all be ended at once, invitations, password resets, roles and
// organisation membership. Plain TypeScript: no req/res; throws AppErrors; every audit write is awaited. Split by
// feature, sharing one context (account-context.ts): account-sign-in.ts, account-invitations.ts,
// account-password-reset.ts and account-access.ts (users, roles, organisations, switching accounts off and on).
import type { Mailer } from '../data/mail/mailer'
import type { AccountRepository } from '../data/repositories/account.repository'
import type { MembershipKind, Role, SessionUser } from '../domain/roles'
import { createAccountAccess } from './account-access'
import { createAccountContext } from './account-context'
import { createInvitations } from './account-invitations'
import { createPasswordResets } from './account-password-reset'
import { createSignIn } from './account-sign-in'
import type { AuditService } from './audit.service'

/** The deployment's settings the accounts use: a slice of the config. */
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

export function createAccountService(deps: AccountDeps) {
  const context = createAccountContext(deps)
  const access = createAccountAccess(context)
  return {
    ...createSignIn(context),
    ...createInvitations(context, access),
    ...createPasswordResets(context),
    ...access,
  }
}

export type AccountService = ReturnType<typeof createAccountService>
