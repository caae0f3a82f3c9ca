// Accounts' data access: users, practices and teams, single-use links and sign-in attempts. Plain records in and
// out. Single-document atomic updates stand in for transactions (FerretDB v1 has none); duplicates are checked before
// insert, because a duplicate-key error is generic on FerretDB.
import type { Connection } from 'mongoose'
import type { AccountTokenRecord, CareOrganisationRecord, TokenPurpose, UserRecord } from '../../domain/account-records'
import { newId } from '../../domain/ids'
import { insertOnce } from '../atomic'
import { createModels, type Models } from '../models'
import { recordOf, findRecord, insertRecord } from './records'
import type { Membership, Role } from '../../domain/roles'

export interface UserChanges {
  name?: string
  roles?: Role[]
  memberships?: Membership[]
  status?: UserRecord['status']
}

export function createAccountRepository(connection: Connection, models: Models = createModels(connection)) {
  const { User, CareOrganisation, AccountToken, AuthAttempt, Organization, RecordClaim } = models

  return {
    async findUserById(id: string): Promise<UserRecord | null> {
      return findRecord<UserRecord>(User, id)
    },

    async findUserByEmail(email: string): Promise<UserRecord | null> {
      const doc = await User.findOne({ email }).lean()
      return doc ? recordOf<UserRecord>(doc) : null
    },

    async insertUser(user: Omit<UserRecord, 'created_at' | 'updated_at'>): Promise<void> {
      await insertRecord(User, user)
    },

    async listUsers(): Promise<UserRecord[]> {
      const docs = await User.find({}).sort({ name: 1 }).lean()
      return docs.map((d) => recordOf<UserRecord>(d))
    },

    /**
     * Email addresses of the active users with `role`, and with `membership` when given: who is told about a
     * referral, a listing or an outcome. Membership is matched here, not in the query, to stay within what every
     * engine supports.
     */
    async activeEmails(
      role: Role,
      membership?: { kind: Membership['kind']; organisationId: string },
    ): Promise<string[]> {
      const docs = await User.find({ status: 'active', roles: role }, { email: 1, memberships: 1 }).lean()
      return docs
        .filter(
          (u) =>
            !membership ||
            (u.memberships ?? []).some(
              (m) => m.kind === membership.kind && m.organisationId === membership.organisationId,
            ),
        )
        .map((u) => u.email)
    },

    async updateUser(id: string, changes: UserChanges): Promise<boolean> {
      const result = await User.updateOne({ _id: id }, { $set: changes })
      return result.matchedCount === 1
    },

    /** Sets a password, activates the account and ends every existing session, in one document update. */
    async setPassword(id: string, passwordHash: string): Promise<boolean> {
      const result = await User.updateOne(
        { _id: id, status: { $ne: 'disabled' } },
        { $set: { passwordHash, status: 'active' }, $inc: { sessionVersion: 1 } },
      )
      return result.matchedCount === 1
    },

    /** Sets an account's status and ends every session of it, in one document update. */
    async setStatusEndingSessions(id: string, status: UserRecord['status']): Promise<boolean> {
      const result = await User.updateOne({ _id: id }, { $set: { status }, $inc: { sessionVersion: 1 } })
      return result.matchedCount === 1
    },

    async bumpSessionVersion(id: string): Promise<void> {
      await User.updateOne({ _id: id }, { $inc: { sessionVersion: 1 } })
    },

    async recordSignIn(id: string, at: Date): Promise<void> {
      await User.updateOne({ _id: id }, { $set: { lastSignInAt: at } })
    },

    // Practices and teams

    async findCareOrganisation(id: string): Promise<CareOrganisationRecord | null> {
      return findRecord<CareOrganisationRecord>(CareOrganisation, id)
    },

    async listCareOrganisations(kind: CareOrganisationRecord['kind']): Promise<CareOrganisationRecord[]> {
      const docs = await CareOrganisation.find({ kind }).sort({ name: 1 }).lean()
      return docs.map((d) => recordOf<CareOrganisationRecord>(d))
    },

    /** Inserts when no record has this id; returns whether it did. */
    async ensureCareOrganisation(record: CareOrganisationRecord): Promise<boolean> {
      if (await CareOrganisation.exists({ _id: record.id })) return false
      await insertRecord(CareOrganisation, record)
      return true
    },

    // The directory's organisations (VCOs), read only: their model belongs to the directory.

    async findDirectoryOrganisation(id: string): Promise<{ id: string; name: string } | null> {
      const doc = await Organization.findById(id, { name: 1 }).lean()
      return doc ? { id: String(doc._id), name: doc.name } : null
    },

    async listDirectoryOrganisations(): Promise<{ id: string; name: string }[]> {
      const docs = await Organization.find({}, { name: 1 }).sort({ name: 1 }).lean()
      return docs.map((d) => ({ id: String(d._id), name: d.name }))
    },

    // Single-use links

    async insertToken(token: AccountTokenRecord): Promise<void> {
      await insertRecord(AccountToken, token)
    },

    /** A link that is unused and unexpired, or null. Does not use it. */
    async findUsableToken(id: string, purpose: TokenPurpose, now: Date): Promise<AccountTokenRecord | null> {
      const doc = await AccountToken.findById(id).lean()
      if (!doc || doc.purpose !== purpose || doc.usedAt || doc.expiresAt <= now) return null
      return recordOf<AccountTokenRecord>(doc)
    },

    /**
     * Marks a link used; true only for the one request that did so while it was unused and unexpired. The one use is
     * decided by inserting a claim with a unique _id (atomic.ts).
     */
    async useToken(id: string, purpose: TokenPurpose, now: Date): Promise<boolean> {
      const token = await AccountToken.findOne({ _id: id, purpose, usedAt: null, expiresAt: { $gt: now } }).lean()
      if (!token) return false
      if (!(await insertOnce(RecordClaim, { _id: `account-token:${id}`, at: now }))) return false
      await AccountToken.updateOne({ _id: id }, { $set: { usedAt: now } })
      return true
    },

    /** Ends every other unused link of this purpose for a user (a new reset link replaces the old). */
    async retireTokens(userId: string, purpose: TokenPurpose, now: Date): Promise<void> {
      await AccountToken.updateMany({ userId, purpose, usedAt: null }, { $set: { usedAt: now } })
    },

    // Attempts at guarded actions: inserted, counted over a window, never updated (see auth-attempt.model.ts).

    async recordAttempt(key: string, at: Date): Promise<void> {
      await AuthAttempt.create({ _id: newId(), key, at })
    },

    /** Attempts under this key after `since` (inclusive of ones being recorded concurrently that already landed). */
    async countAttempts(key: string, since: Date): Promise<number> {
      return AuthAttempt.countDocuments({ key, at: { $gt: since } })
    },

    async clearAttempts(key: string): Promise<void> {
      await AuthAttempt.deleteMany({ key })
    },

    async removeAttemptsBefore(before: Date): Promise<number> {
      return (await AuthAttempt.deleteMany({ at: { $lte: before } })).deletedCount
    },
  }
}

export type AccountRepository = ReturnType<typeof createAccountRepository>
