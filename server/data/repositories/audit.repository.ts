// The audit log's data access: append and search, nothing else. The model refuses updates and deletes.
// Search pages month by month, newest first (month-pages.ts), selecting by equality on one of the actor, the action
// or the record and on the month; a date range narrows the months and is applied in memory in its first and last.
// In the embedded engine a page is one query through the index on the field and the time (engine-pages.ts).
import type { Connection } from 'mongoose'
import type { AuditEventRecord } from '../../domain/account-records'
import { createModels, type Models } from '../models'
import { listBuckets, monthOf, monthPagesFor } from './month-pages'

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
  const months = monthPagesFor(connection, models)
  return {
    /** Resolves only once the database has acknowledged the write. */
    async append(event: AuditEventRecord): Promise<void> {
      const { id, ...rest } = event
      await months.register('audit_events', event.at)
      await AuditEvent.create({ _id: id, ...rest, ...listBuckets(event.at) })
    },

    /**
     * Newest first. With both an actor id and an email (the user typed an email that belongs to an account), events
     * are selected by the email, which every event of a signed-in user and every failed sign-in carries.
     */
    async search(query: AuditQuery): Promise<{ events: AuditEventRecord[]; total: number }> {
      const scope: Record<string, string> = {}
      if (query.actorEmail) scope.actorEmail = query.actorEmail
      else if (query.actorId) scope.actorId = query.actorId
      if (query.action) scope.action = query.action
      if (query.recordId) scope.recordId = query.recordId
      const time = (d: { at: Date }) => new Date(d.at).getTime()
      const from = query.from?.getTime() ?? -Infinity
      const to = query.to?.getTime() ?? Infinity
      const edges = new Set<string>()
      if (query.from) edges.add(monthOf(query.from))
      if (query.to) edges.add(monthOf(new Date(query.to.getTime() - 1)))
      const perPage = query.limit
      const result = await months.page<{ _id: string; at: Date } & Record<string, unknown>>({
        model: AuditEvent,
        scope,
        page: Math.floor(query.skip / perPage) + 1,
        perPage,
        newest: query.to ? monthOf(new Date(query.to.getTime() - 1)) : undefined,
        oldest: query.from ? monthOf(query.from) : undefined,
        keep: (d) => time(d) >= from && time(d) < to,
        keepMonths: edges,
        order: 'at',
        between: { from: query.from, to: query.to },
      })
      return {
        events: result.items.map((d) => {
          const {
            _id,
            month: _m,
            ...rest
          } = d as unknown as { _id: string; month?: string } & Omit<AuditEventRecord, 'id'>
          return { id: String(_id), ...rest }
        }),
        total: result.total,
      }
    },
  }
}

export type AuditRepository = ReturnType<typeof createAuditRepository>
