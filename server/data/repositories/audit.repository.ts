// The audit log's data access: append and search, nothing else. The model refuses updates and deletes.
import type { Connection } from 'mongoose'
import type { AuditEventRecord } from '../../domain/account-records'
import { createModels, type Models } from '../models'

export interface AuditQuery {
  actorId?: string
  actorEmail?: string
  action?: string
  recordId?: string
  from?: Date
  to?: Date
  limit: number
  skip: number
}

export function createAuditRepository(connection: Connection, models: Models = createModels(connection)) {
  const { AuditEvent } = models
  return {
    /** Resolves only once the database has acknowledged the write. */
    async append(event: AuditEventRecord): Promise<void> {
      const { id, ...rest } = event
      await AuditEvent.create({ _id: id, ...rest })
    },

    async search(query: AuditQuery): Promise<{ events: AuditEventRecord[]; total: number }> {
      const filter: Record<string, unknown> = {}
      if (query.actorId && query.actorEmail) {
        filter.$or = [{ actorId: query.actorId }, { actorEmail: query.actorEmail }]
      } else if (query.actorId) filter.actorId = query.actorId
      else if (query.actorEmail) filter.actorEmail = query.actorEmail
      if (query.action) filter.action = query.action
      if (query.recordId) filter.recordId = query.recordId
      if (query.from || query.to) {
        const at: Record<string, Date> = {}
        if (query.from) at.$gte = query.from
        if (query.to) at.$lt = query.to
        filter.at = at
      }
      const [docs, total] = await Promise.all([
        AuditEvent.find(filter).sort({ at: -1, _id: 1 }).skip(query.skip).limit(query.limit).lean(),
        AuditEvent.countDocuments(filter),
      ])
      return {
        events: docs.map((d) => {
          const { _id, ...rest } = d as unknown as { _id: string } & Omit<AuditEventRecord, 'id'>
          return { id: String(_id), ...rest }
        }),
        total,
      }
    },
  }
}

export type AuditRepository = ReturnType<typeof createAuditRepository>
