// Plain records of accounts, organisations of our own kinds, one-time links, sign-in attempts and the audit log,
// as services see them.
import type { Membership, MembershipKind, Role } from './roles'

export type UserStatus = 'invited' | 'active' | 'disabled'

export interface UserRecord {
  id: string
  email: string
  name: string
  passwordHash: string | null
  roles: Role[]
  memberships: Membership[]
  status: UserStatus
  /** Raised to end every session of this user at once ("sign out everywhere", a password reset). */
  sessionVersion: number
  lastSignInAt: Date | null
  created_at?: Date
  updated_at?: Date
}

/** Practices and social prescribing teams: organisations of our own kinds (VCOs are the directory's). */
export interface CareOrganisationRecord {
  id: string
  kind: Exclude<MembershipKind, 'vco'>
  name: string
  /** ODS code, for practices (e.g. E83001). */
  odsCode: string | null
  /** Primary care network, and the area reports group by. */
  pcn: string | null
  area: string | null
  origin: 'manual' | 'demo'
  /** A practice's registered population by group, where known (the equity report shows it beside referrals). */
  population?: PracticePopulation | null
}

/** Registered patients by group. Keys are the same words a person's equality fields use ('65 to 74', 'Female'…). */
export interface PracticePopulation {
  total: number
  sex: Record<string, number>
  ageBand: Record<string, number>
  ethnicity: Record<string, number>
  /** Keys '1' (most deprived) to '10'. */
  deprivationDecile: Record<string, number>
}

export type TokenPurpose = 'invitation' | 'password-reset'

/** A single-use link. Only the SHA-256 of the secret is stored: `id` is that hash. */
export interface AccountTokenRecord {
  id: string
  purpose: TokenPurpose
  userId: string
  expiresAt: Date
  usedAt: Date | null
  createdBy: string | null
}

export interface AuditEventRecord {
  id: string
  at: Date
  actorId: string | null
  /** The actor's email at the time, or the address typed at a failed sign-in. */
  actorEmail: string | null
  action: string
  recordType: string | null
  recordId: string | null
  ip: string | null
  /** Short, non-clinical details (e.g. the roles before and after). Never personal health information. */
  detail: Record<string, unknown> | null
}

export interface MailRecord {
  id: string
  to: string
  subject: string
  text: string
  at: Date
}
