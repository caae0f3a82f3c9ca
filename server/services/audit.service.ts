// The audit log: who did what to which record, when, from where. Every write is awaited before the request answers,
// so a request that succeeded always left its audit event (never fire-and-forget).
import type { AuditEventRecord } from '../domain/account-records'
import type { AuditRepository } from '../data/repositories/audit.repository'
import { newId } from '../domain/ids'

export const AUDIT_ACTIONS = [
  'sign-in.success',
  'sign-in.failure',
  'sign-in.locked',
  'sign-out',
  'sign-out.everywhere',
  'invitation.sent',
  'invitation.accepted',
  'password-reset.requested',
  'password-reset.completed',
  'roles.changed',
  'account.deactivated',
  'account.reactivated',
  'audit.searched',
  'person.viewed',
  'person.changed',
  'referral.viewed',
  'referral.changed',
  'export.downloaded',
  'listing.changed',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export interface AuditInput {
  actor: { id: string; email: string } | null
  /** When there is no actor: the address typed at a failed sign-in or reset request. */
  actorEmail?: string | null
  action: AuditAction
  recordType?: string
  recordId?: string
  ip: string | null
  detail?: Record<string, unknown>
}

export interface AuditFilters {
  user?: string
  action?: string
  recordId?: string
  from?: Date
  to?: Date
  page?: number
}

export const AUDIT_PAGE_SIZE = 50

export function createAuditService(deps: {
  audit: AuditRepository
  findUserIdByEmail: (email: string) => Promise<string | null>
  clock?: () => Date
}) {
  const clock = deps.clock ?? (() => new Date())
  async function record(input: AuditInput): Promise<void> {
    const event: AuditEventRecord = {
      id: newId(),
      at: clock(),
      actorId: input.actor?.id ?? null,
      actorEmail: input.actor?.email ?? input.actorEmail?.slice(0, 254) ?? null,
      action: input.action,
      recordType: input.recordType ?? null,
      recordId: input.recordId ?? null,
      ip: input.ip,
      detail: input.detail ?? null,
    }
    await deps.audit.append(event)
  }

  return {
    record,

    /** The common record: `actor` did `action` to the record `recordType` `recordId`. */
    recordOn(
      actor: AuditInput['actor'],
      action: AuditAction,
      recordType: string,
      recordId: string,
      ip: string | null,
      detail?: Record<string, unknown>,
    ): Promise<void> {
      return record({ actor, action, recordType, recordId, ip, ...(detail ? { detail } : {}) })
    },

    /** `user` is an email address or a user id. */
    async search(filters: AuditFilters) {
      const page = Math.max(1, filters.page ?? 1)
      let actorId: string | undefined
      let actorEmail: string | undefined
      if (filters.user) {
        const user = filters.user.trim()
        if (user.includes('@')) {
          actorEmail = user.toLowerCase()
          actorId = (await deps.findUserIdByEmail(actorEmail)) ?? undefined
        } else actorId = user
      }
      const { events, total } = await deps.audit.search({
        actorId,
        actorEmail,
        action: filters.action,
        recordId: filters.recordId?.trim() || undefined,
        from: filters.from,
        to: filters.to,
        limit: AUDIT_PAGE_SIZE,
        skip: (page - 1) * AUDIT_PAGE_SIZE,
      })
      return { events, total, page, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) }
    },
  }
}

export type AuditService = ReturnType<typeof createAuditService>
