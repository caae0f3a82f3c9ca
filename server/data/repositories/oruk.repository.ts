// Reads and writes for Open Referral UK: the public lists the API pages through, and the import's bulk writes.
// Imported records get ids derived from (source, their id), so a re-run finds a record by _id (the only fast lookup on
// FerretDB's SQLite backend). Which records exist and what they looked like is read once per import, as one stream of
// _id + provenance hash, rather than one lookup per record.
import type { Connection } from 'mongoose'
import type { LocationRecord, OrganizationRecord, ServiceRecord } from '../../domain/directory-records'
import { createModels, type Models } from '../models'
import { recordOf, documentOf } from './records'
import type { AnyModel } from '../atomic'
import type { TaxonomyTerm } from '../taxonomy'
import { PUBLIC_STATUSES, termDocument } from './directory.repository'
import { markSearchDocumentsStale } from './search-document.repository'

type WithId = { _id: unknown }

/** One stretch of a filtered list in _id order, with the filter's total. */
async function pageById<T extends { id: string }>(
  model: AnyModel,
  query: Record<string, unknown>,
  skip: number,
  limit: number,
): Promise<{ total: number; records: T[] }> {
  const [docs, total] = await Promise.all([
    model.find(query).sort({ _id: 1 }).skip(skip).limit(limit).lean(),
    model.countDocuments(query),
  ])
  return { total, records: docs.map((d) => recordOf<T>(d as unknown as WithId & Record<string, unknown>)) }
}

export interface KnownRecords {
  organizations: Map<string, string>
  locations: Map<string, string>
  services: Map<string, string>
  terms: Set<string>
}

/** What an import writes in one go: new records (inserted) and changed ones (replaced, keeping created_at). */
export interface ImportBatch {
  organizations: { insert: OrganizationRecord[]; update: OrganizationRecord[] }
  locations: { insert: LocationRecord[]; update: LocationRecord[] }
  services: { insert: ServiceRecord[]; update: ServiceRecord[] }
}

const PUBLIC_SERVICE = { review_status: 'approved', status: { $in: [...PUBLIC_STATUSES] } }

export function createOrukRepository(connection: Connection, models: Models = createModels(connection)) {
  const { Organization, Location, Service, TaxonomyTerm: Term } = models

  async function hashes(model: Models['Service'] | Models['Organization'] | Models['Location']) {
    const out = new Map<string, string>()
    const m = model as Models['Service']
    for await (const doc of m.collection.find({}, { projection: { _id: 1, 'provenance.hash': 1 }, batchSize: 5000 })) {
      const p = (doc as { provenance?: { hash?: string } | null }).provenance
      out.set(String(doc._id), p?.hash ?? '')
    }
    return out
  }

  /**
   * New records as one ordered insertMany (measured faster than unordered on FerretDB's SQLite backend), changed ones
   * as whole-document sets by _id (created_at kept).
   */
  async function write<T extends { id: string; created_at: Date }>(
    model: Models['Service'] | Models['Organization'] | Models['Location'],
    writes: { insert: readonly T[]; update: readonly T[] },
  ): Promise<void> {
    const collection = (model as Models['Service']).collection
    if (writes.insert.length > 0)
      await collection.insertMany(writes.insert.map(documentOf) as never[], { ordered: true })
    if (writes.update.length > 0) {
      await collection.bulkWrite(
        writes.update.map((record) => {
          const { _id, created_at, ...set } = documentOf(record)
          void created_at
          return { updateOne: { filter: { _id }, update: { $set: set } } }
        }) as never[],
        { ordered: true },
      )
    }
  }

  return {
    /** Every stored directory record's id with its import hash ('' for records not imported). */
    async knownRecords(): Promise<KnownRecords> {
      return {
        organizations: await hashes(Organization),
        locations: await hashes(Location),
        services: await hashes(Service),
        terms: new Set((await Term.find({}, { _id: 1 }).lean()).map((d) => String(d._id))),
      }
    },

    /** Writes one batch of an import (nothing at all when the batch is empty, as on a re-run that changes nothing). */
    async writeBatch(batch: ImportBatch): Promise<void> {
      const parts = [batch.organizations, batch.locations, batch.services]
      if (parts.every((p) => p.insert.length === 0 && p.update.length === 0)) return
      // Before writing: the stored search documents stop being trusted, so the next start rebuilds from the services.
      await markSearchDocumentsStale(connection)
      await write(Organization, batch.organizations)
      await write(Location, batch.locations)
      await write(Service, batch.services)
    },

    async insertTerms(terms: readonly TaxonomyTerm[]): Promise<void> {
      if (terms.length === 0) return
      await Term.collection.insertMany(
        terms.map((t) => ({ ...termDocument(t), created_at: new Date(), updated_at: new Date() })) as never[],
      )
    },

    /**
     * Public services filtered on fields the search index does not hold, in _id order. A skip over a filtered
     * scan: fine for one organisation's services or recent changes, not for paging the whole directory.
     */
    async listPublicServices(filter: { organizationId?: string; modifiedAfter?: Date }, skip: number, limit: number) {
      const query: Record<string, unknown> = { ...PUBLIC_SERVICE }
      if (filter.organizationId) query.organization_id = filter.organizationId
      if (filter.modifiedAfter) query.updated_at = { $gte: filter.modifiedAfter }
      const { total, records } = await pageById<ServiceRecord>(Service, query, skip, limit)
      return { total, services: records }
    },

    async listApprovedOrganizations(filter: { search?: string }, skip: number, limit: number) {
      const query: Record<string, unknown> = { review_status: 'approved' }
      if (filter.search) {
        query.name = { $regex: filter.search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' }
      }
      const { total, records } = await pageById<OrganizationRecord>(Organization, query, skip, limit)
      return { total, organizations: records }
    },
  }
}

export type OrukRepository = ReturnType<typeof createOrukRepository>
