// Reads and writes for Open Referral UK: the public lists the API pages through, and the import's bulk writes.
// Imported records get ids derived from (source, their id), so a re-run finds a record by _id (the only fast lookup on
// FerretDB's SQLite backend). Which records exist and what they looked like is read once per import, as one stream of
// _id + provenance hash, rather than one lookup per record.
import type { Connection } from 'mongoose'
import type { LocationRecord, OrganizationRecord, ServiceRecord } from '../../domain/directory-records'
import { createModels, type Models } from '../models'
import type { TaxonomyTerm } from '../taxonomy'
import { PUBLIC_STATUSES } from './directory.repository'
import { markSearchDocumentsStale } from './search-document.repository'

type WithId = { _id: unknown }

function fromDoc<T extends { id: string }>(doc: WithId & Record<string, unknown>): T {
  const { _id, ...rest } = doc
  return { id: String(_id), ...rest } as unknown as T
}

function toDoc<T extends { id: string }>(record: T): Record<string, unknown> {
  const { id, ...rest } = record
  return { _id: id, ...rest }
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
    if (writes.insert.length > 0) await collection.insertMany(writes.insert.map(toDoc) as never[], { ordered: true })
    if (writes.update.length > 0) {
      await collection.bulkWrite(
        writes.update.map((record) => {
          const { _id, created_at, ...set } = toDoc(record)
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
        terms.map((t) => ({
          _id: t.id,
          code: t.code,
          name: t.name,
          parent_code: t.parentCode,
          description: t.description,
          crisis: t.crisis,
          taxonomy: t.taxonomy,
          created_at: new Date(),
          updated_at: new Date(),
        })) as never[],
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
      const [docs, total] = await Promise.all([
        Service.find(query).sort({ _id: 1 }).skip(skip).limit(limit).lean(),
        Service.countDocuments(query),
      ])
      return {
        total,
        services: docs.map((d) => fromDoc<ServiceRecord>(d as unknown as WithId & Record<string, unknown>)),
      }
    },

    async listApprovedOrganizations(filter: { search?: string }, skip: number, limit: number) {
      const query: Record<string, unknown> = { review_status: 'approved' }
      if (filter.search) {
        query.name = { $regex: filter.search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' }
      }
      const [docs, total] = await Promise.all([
        Organization.find(query).sort({ _id: 1 }).skip(skip).limit(limit).lean(),
        Organization.countDocuments(query),
      ])
      return {
        total,
        organizations: docs.map((d) => fromDoc<OrganizationRecord>(d as unknown as WithId & Record<string, unknown>)),
      }
    },
  }
}

export type OrukRepository = ReturnType<typeof createOrukRepository>
