// What the unmet need and directory health reports read besides report facts: search misses (insert-only, read
// since a time) and one small row per service (status, freshness, capacity, needs). Both are read whole into the
// report sources' memory once, then refreshed in the background by the hour buckets written since, never per
// request: the engine evaluates a range only after fetching every document.
import { hoursBetween, readHours } from '../hour-buckets'
import type { Connection } from 'mongoose'
import type { SearchMissRecord } from '../../domain/directory-records'
import { createModels, type Models } from '../models'
import { createSearchDocumentRepository } from './search-document.repository'
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
const ORGANISATION_PROJECTION = { name: 1, review_status: 1 } as const

type ServiceDoc = {
  _id: unknown
  organization_id?: unknown
  status?: unknown
  review_status?: unknown
  assured_date?: Date | null
  referral?: { capacity?: string | null; capacity_set_at?: Date | null; accepts_referrals?: boolean | null } | null
  freshness?: { escalated_at?: Date | null } | null
  taxonomy_term_ids?: unknown[] | null
}

function organisationOf(o: { name?: unknown; review_status?: unknown }) {
  return { name: String(o.name), approved: o.review_status === 'approved' }
}

function toRow(doc: ServiceDoc, organisations: Map<string, { name: string; approved: boolean }>): ServiceHealthRow {
  const organisationId = String(doc.organization_id)
  const organisation = organisations.get(organisationId)
  const approved = doc.review_status === 'approved'
  const status = doc.status as ServiceStatus
  return {
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
  }
}

export function createReportSourcesRepository(connection: Connection, models: Models = createModels(connection)) {
  const { SearchMiss, Service, Organization } = models
  const searchDocuments = createSearchDocumentRepository(connection)
  return {
    /** Misses recorded after `since` (all when null), oldest first. */
    async searchMissesSince(since: Date | null): Promise<SearchMissRecord[]> {
      // Since a time: the hours from then, each an indexed equality (a range on `at` reads every miss).
      const hours = since ? hoursBetween(since, new Date()) : null
      const docs = hours
        ? (await readHours(hours, (hour) => SearchMiss.find({ hour }).lean())).filter(
            (d) => new Date(d.at).getTime() > since!.getTime(),
          )
        : (await SearchMiss.find({}).lean()).filter((d) => !since || new Date(d.at).getTime() > since.getTime())
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
        (await Organization.find({}, ORGANISATION_PROJECTION).lean()).map((o) => [String(o._id), organisationOf(o)]),
      )
      const rows: ServiceHealthRow[] = []
      const cursor = Service.find({}, SERVICE_PROJECTION).lean().cursor({ batchSize: 2000 })
      try {
        for await (const doc of cursor) rows.push(toRow(doc, organisations))
      } finally {
        await cursor.close().catch(() => undefined)
      }
      return rows
    },

    /**
     * The rows of services written in the hours from `since` to `now`, and of every service of an organisation
     * written then (its name and approval show in each row): each hour an indexed equality. Null when that is more
     * hours than a refresh reads (read every service instead).
     */
    async serviceHealthRowsChangedSince(since: Date, now: Date = new Date()): Promise<ServiceHealthRow[] | null> {
      const hours = hoursBetween(since, now)
      if (!hours) return null
      const [services, changedOrganisations] = await Promise.all([
        readHours(hours, (updatedHour) => Service.find({ updatedHour }, SERVICE_PROJECTION).lean()),
        readHours(hours, (updatedHour) => Organization.find({ updatedHour }, { _id: 1 }).lean()),
      ])
      const byId = new Map(services.map((d) => [String(d._id), d]))
      for (const found of await Promise.all(
        changedOrganisations.map((o) => Service.find({ organization_id: String(o._id) }, SERVICE_PROJECTION).lean()),
      ))
        for (const d of found) byId.set(String(d._id), d)
      const organisationIds = [...new Set([...byId.values()].map((d) => String(d.organization_id)))]
      const organisations = new Map<string, { name: string; approved: boolean }>()
      for (const o of await Promise.all(
        organisationIds.map((id) => Organization.findById(id, ORGANISATION_PROJECTION).lean()),
      ))
        if (o) organisations.set(String(o._id), organisationOf(o))
      return [...byId.values()].map((d) => toRow(d, organisations))
    },

    /** Changes whenever a bulk write (an import, seeding, a generator, a removal) makes every row worth reading again. */
    async bulkWriteStamp(): Promise<string | null> {
      return (await searchDocuments.stored())?.stamp ?? null
    },
  }
}

export type ReportSourcesRepository = ReturnType<typeof createReportSourcesRepository>
