// What the unmet need and directory health reports read besides report facts: search misses (insert-only, read
// since a time) and one small row per service (status, freshness, capacity, needs). Both are read whole into the
// report sources' memory and refreshed in the background, never per request: FerretDB's SQLite backend scans the
// collection for any filter but _id.
import type { Connection } from 'mongoose'
import type { SearchMissRecord } from '../../domain/directory-records'
import { createModels, type Models } from '../models'
import type { Capacity, ServiceStatus } from '../../domain/directory-vocabulary'

/** One service as the directory health and unmet need reports need it. */
export interface ServiceHealthRow {
  id: string
  organisationId: string
  organisationName: string
  status: ServiceStatus
  /** Approved listings are the directory's; pending and rejected ones are not counted. */
  approved: boolean
  /** Public: approved, active or temporarily closed, from an approved organisation. */
  listed: boolean
  assuredDate: Date | null
  capacity: Capacity
  capacitySetAt: Date | null
  acceptsReferrals: boolean
  /** Reminders went unanswered: shown as "not recently checked" (listing-freshness.service.ts). */
  flagged: boolean
  needs: string[]
}

const SERVICE_PROJECTION = {
  organization_id: 1,
  status: 1,
  review_status: 1,
  assured_date: 1,
  'referral.capacity': 1,
  'referral.capacity_set_at': 1,
  'referral.accepts_referrals': 1,
  'freshness.escalated_at': 1,
  taxonomy_term_ids: 1,
} as const

const PUBLIC = new Set(['active', 'temporarily closed'])

export function createReportSourcesRepository(connection: Connection, models: Models = createModels(connection)) {
  const { SearchMiss, Service, Organization } = models
  return {
    /** Misses recorded after `since` (all when null), oldest first. */
    async searchMissesSince(since: Date | null): Promise<SearchMissRecord[]> {
      const docs = await SearchMiss.find(since ? { at: { $gt: since } } : {}).lean()
      return docs.map((d) => ({
        id: String(d._id),
        at: new Date(d.at),
        needs: (d.needs ?? []).map(String),
        outcode: d.outcode ?? null,
        words: d.words ?? null,
        resultCount: d.resultCount ?? 0,
      }))
    },

    /** Every service, as a small row each (one cursor; organisations read once). */
    async serviceHealthRows(): Promise<ServiceHealthRow[]> {
      const organisations = new Map(
        (await Organization.find({}, { name: 1, review_status: 1 }).lean()).map((o) => [
          String(o._id),
          { name: String(o.name), approved: o.review_status === 'approved' },
        ]),
      )
      const rows: ServiceHealthRow[] = []
      const cursor = Service.find({}, SERVICE_PROJECTION).lean().cursor({ batchSize: 2000 })
      try {
        for await (const doc of cursor) {
          const organisationId = String(doc.organization_id)
          const organisation = organisations.get(organisationId)
          const approved = doc.review_status === 'approved'
          const status = doc.status as ServiceStatus
          rows.push({
            id: String(doc._id),
            organisationId,
            organisationName: organisation?.name ?? 'Unknown organisation',
            status,
            approved,
            listed: approved && PUBLIC.has(status) && Boolean(organisation?.approved),
            assuredDate: doc.assured_date ? new Date(doc.assured_date) : null,
            capacity: (doc.referral?.capacity ?? 'open') as Capacity,
            capacitySetAt: doc.referral?.capacity_set_at ? new Date(doc.referral.capacity_set_at) : null,
            acceptsReferrals: Boolean(doc.referral?.accepts_referrals),
            flagged: Boolean(doc.freshness?.escalated_at),
            needs: (doc.taxonomy_term_ids ?? []).map(String),
          })
        }
      } finally {
        await cursor.close().catch(() => undefined)
      }
      return rows
    },
  }
}

export type ReportSourcesRepository = ReturnType<typeof createReportSourcesRepository>
