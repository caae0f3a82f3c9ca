// Who can use Loopwell, and how a user belongs to organisations. A user may hold several roles.
// VCO members belong to directory organisations; link workers to a social prescribing team; GP users to a practice.

export const ROLES = ['admin', 'link_worker', 'vco_member', 'gp_user', 'commissioner'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin (directory curator)',
  link_worker: 'Link worker',
  vco_member: 'Voluntary or community organisation (VCO) staff',
  gp_user: 'GP practice staff',
  commissioner: 'Commissioner (reports only)',
}

/** The kind of organisation a membership points at. VCOs are the directory's organisations. */
export type MembershipKind = 'vco' | 'team' | 'practice'

/** The role that a membership of each kind of organisation needs, and gives to invited colleagues. */
export const ROLE_FOR_KIND: Record<MembershipKind, Role> = {
  vco: 'vco_member',
  team: 'link_worker',
  practice: 'gp_user',
}

export interface Membership {
  organisationId: string
  kind: MembershipKind
  /** A snapshot of the organisation's name, for pages and emails. */
  organisationName: string
  /** Managers may invite colleagues to this organisation. */
  manager: boolean
}

/** The signed-in user as the web layer and services see it: no password hash, no lockout state. */
export interface SessionUser {
  id: string
  email: string
  name: string
  roles: Role[]
  memberships: Membership[]
  sessionVersion: number
}

export function hasRole(user: Pick<SessionUser, 'roles'> | undefined | null, ...roles: Role[]): boolean {
  return Boolean(user && user.roles.some((r) => roles.includes(r)))
}

export function organisationIds(user: Pick<SessionUser, 'memberships'>, kind: MembershipKind): string[] {
  return user.memberships.filter((m) => m.kind === kind).map((m) => m.organisationId)
}

export function managedOrganisations(user: Pick<SessionUser, 'memberships' | 'roles'>): Membership[] {
  return user.memberships.filter((m) => m.manager && user.roles.includes(ROLE_FOR_KIND[m.kind]))
}
