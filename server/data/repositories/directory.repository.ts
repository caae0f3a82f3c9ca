// The directory's data access: plain objects in and out, so services never see mongoose. Hot paths are _id lookups
// (the only fast lookups on FerretDB's SQLite backend); whole-directory reads stream through one cursor.
import { hourOf } from '../hour-buckets'
import crypto from 'node:crypto'
import type { Connection } from 'mongoose'
import type {
  LocationRecord,
  OrganizationRecord,
  SearchMissRecord,
  ServiceRecord,
  ServiceView,
} from '../../domain/directory-records'
import type { AnyModel } from '../atomic'
import { createModels, type Models } from '../models'
import { documentOf } from './records'
import type { ServiceStatus } from '../../domain/directory-vocabulary'
import type { TaxonomyTerm } from '../taxonomy'
import type { EngineReader } from '../embedded-db/engine-reads'
import { createSearchDocumentRepository } from './search-document.repository'

/** Delete statements sent in one command by deleteByOrigin off the engine (about a second's work on FerretDB). */
export const DELETE_BATCH = 1000

/** What the public directory shows: approved listings from approved organisations that are not closed for good. */
export const PUBLIC_STATUSES: readonly ServiceStatus[] = ['active', 'temporarily closed']

export interface DirectoryBatch {
  organizations?: OrganizationRecord[]
  locations?: LocationRecord[]
  services?: ServiceRecord[]
}

export type ServicePatch = Partial<Omit<ServiceRecord, 'id' | 'created_at' | 'updated_at'>>

type WithId = { _id: unknown }

function fromDoc<T extends { id: string }>(doc: WithId & Record<string, unknown>): T {
  // The freshness job's and the health report's selection fields are not part of the record.
  const {
    _id,
    freshness_pending: _p,
    freshness_write: _w,
    freshness_due: _d,
    freshness_due_day: _dd,
    updatedHour: _h,
    ...rest
  } = doc
  return { id: String(_id), ...rest } as unknown as T
}

/** A taxonomy term as the taxonomy_terms collection stores it. */
export function termDocument(t: TaxonomyTerm) {
  return {
    _id: t.id,
    code: t.code,
    name: t.name,
    parent_code: t.parentCode,
    description: t.description,
    crisis: t.crisis,
    taxonomy: t.taxonomy,
  }
}

/** A written service waits for the freshness job to work out when it is next due (listing.repository.ts). */
export function freshnessPending(): { freshness_pending: true; freshness_write: string } {
  return { freshness_pending: true, freshness_write: crypto.randomUUID() }
}

export function isPublic(service: ServiceRecord, organization: OrganizationRecord | null | undefined): boolean {
  return (
    service.review_status === 'approved' &&
    PUBLIC_STATUSES.includes(service.status) &&
    organization?.review_status === 'approved'
  )
}

export function createDirectoryRepository(
  connection: Connection,
  models: Models = createModels(connection),
  options: {
    engine?: EngineReader | null
    /** Makes the engine's indexes again after a collection was made anew (the stored search documents, at a rebuild). */
    recreated?: () => Promise<void>
  } = {},
) {
  const { Organization, Location, Service, TaxonomyTerm: Term, SearchMiss } = models
  const engine = options.engine ?? null
  // Every directory write here first tells the stored search documents (see search-document.repository.ts).
  const searchDocuments = createSearchDocumentRepository(connection, { recreated: options.recreated })
  /** Sets fields on one record (validated, its change hour stamped); null when it does not exist. */
  async function setFields<T extends { id: string }>(model: AnyModel, id: string, set: object): Promise<T | null> {
    const doc = await model
      .findByIdAndUpdate(id, { $set: { ...set, updatedHour: hourOf(new Date()) } }, { new: true, runValidators: true })
      .lean()
    return doc ? fromDoc<T>(doc as unknown as WithId & Record<string, unknown>) : null
  }

  /** Small sets go as parallel _id lookups (the only fast lookup on FerretDB's SQLite backend); large ones as $in. */
  async function findByIds<T extends { id: string }>(
    model: Models['Organization'] | Models['Location'] | Models['Service'],
    ids: readonly string[],
  ): Promise<T[]> {
    const unique = [...new Set(ids)]
    const m = model as Models['Service']
    const docs =
      unique.length <= 100
        ? (await Promise.all(unique.map((id) => m.findById(id).lean()))).filter((d) => d !== null)
        : await m.find({ _id: { $in: unique } }).lean()
    return docs.map((d) => fromDoc<T>(d as unknown as WithId & Record<string, unknown>))
  }

  /**
   * Every document of a collection (those matching `filter` at least), in batches: straight from the engine's
   * PostgreSQL when we can reach it (engine-reads.ts: several times faster than through FerretDB), else one cursor.
   */
  async function* scan(
    model: Models['Organization'] | Models['Location'] | Models['Service'],
    batchSize: number,
    filter: Record<string, unknown> = {},
  ): AsyncGenerator<(WithId & Record<string, unknown>)[]> {
    if (engine) {
      yield* engine.scan(model, batchSize) as AsyncGenerator<(WithId & Record<string, unknown>)[]>
      return
    }
    const cursor = (model as Models['Service']).find(filter).lean().batchSize(batchSize).cursor()
    let batch: (WithId & Record<string, unknown>)[] = []
    try {
      for await (const doc of cursor) {
        batch.push(doc as unknown as WithId & Record<string, unknown>)
        if (batch.length >= batchSize) {
          yield batch
          batch = []
        }
      }
      if (batch.length > 0) yield batch
    } finally {
      await cursor.close().catch(() => undefined)
    }
  }

  async function loadAll<T extends { id: string }>(model: Models['Organization'] | Models['Location']) {
    const out = new Map<string, T>()
    for await (const docs of scan(model, 2000)) {
      for (const doc of docs) {
        const record = fromDoc<T>(doc)
        out.set(record.id, record)
      }
    }
    return out
  }

  async function getService(id: string): Promise<ServiceRecord | null> {
    const doc = await Service.findById(id).lean()
    return doc ? fromDoc<ServiceRecord>(doc as unknown as WithId & Record<string, unknown>) : null
  }

  async function getOrganization(id: string): Promise<OrganizationRecord | null> {
    const doc = await Organization.findById(id).lean()
    return doc ? fromDoc<OrganizationRecord>(doc as unknown as WithId & Record<string, unknown>) : null
  }

  function locationIdsOf(services: readonly ServiceRecord[]): string[] {
    return services.flatMap((s) => s.service_at_locations.map((sal) => sal.location_id))
  }

  async function viewsFor(
    services: ServiceRecord[],
    organizations: Map<string, OrganizationRecord>,
    preloaded?: Map<string, LocationRecord>,
  ) {
    const missingOrgs = [...new Set(services.map((s) => s.organization_id))].filter((id) => !organizations.has(id))
    for (const org of await findByIds<OrganizationRecord>(Organization, missingOrgs)) organizations.set(org.id, org)
    const locations =
      preloaded ??
      new Map((await findByIds<LocationRecord>(Location, locationIdsOf(services))).map((l) => [l.id, l] as const))
    const views: ServiceView[] = []
    for (const service of services) {
      const organization = organizations.get(service.organization_id)
      if (!organization) continue
      views.push({
        service,
        organization,
        locations: service.service_at_locations
          .map((sal) => locations.get(sal.location_id))
          .filter((l): l is LocationRecord => Boolean(l)),
      })
    }
    return views
  }

  async function insertAll(batch: DirectoryBatch, options: { skipExisting?: boolean } = {}) {
    const pairs = [
      [Organization, batch.organizations ?? []],
      [Location, batch.locations ?? []],
      [Service, batch.services ?? []],
    ] as const
    let inserted = 0
    for (const [model, records] of pairs) {
      let toInsert: readonly { id: string }[] = records
      if (options.skipExisting && records.length > 0) {
        const existing = new Set(
          (await (model as Models['Service']).find({ _id: { $in: records.map((r) => r.id) } }, { _id: 1 }).lean()).map(
            (d) => String(d._id),
          ),
        )
        toInsert = records.filter((r) => !existing.has(r.id))
      }
      if (toInsert.length === 0) continue
      if (inserted === 0) await searchDocuments.markStale()
      // Records are complete and typed, so skip mongoose hydration: this is the bulk path for 100k benchmarks.
      const updatedHour = hourOf(new Date())
      const docs = toInsert.map((r) =>
        model === Service
          ? { ...documentOf(r), ...freshnessPending(), updatedHour }
          : model === Organization
            ? { ...documentOf(r), updatedHour }
            : documentOf(r),
      )
      await (model as Models['Service']).insertMany(docs, { lean: true, ordered: true })
      inserted += toInsert.length
    }
    return inserted
  }

  return {
    getService,
    getOrganization,
    /** The search documents kept beside the directory, for a fast start (search-document.repository.ts). */
    searchDocuments,

    async getLocations(ids: readonly string[]): Promise<LocationRecord[]> {
      return findByIds<LocationRecord>(Location, ids)
    },

    /** The service with its organisation and locations, or null when any is missing. Public or not. */
    async getServiceView(id: string): Promise<ServiceView | null> {
      const service = await getService(id)
      if (!service) return null
      const [view] = await viewsFor([service], new Map())
      return view ?? null
    },

    /** Several services in the order asked, leaving out ids that are missing. */
    async getServiceViews(ids: readonly string[]): Promise<ServiceView[]> {
      const services = await findByIds<ServiceRecord>(Service, ids)
      const views = new Map((await viewsFor(services, new Map())).map((v) => [v.service.id, v] as const))
      return ids.map((id) => views.get(id)).filter((v): v is ServiceView => Boolean(v))
    },

    /**
     * Every public service with its organisation and locations, in batches. Organisations and locations are read
     * once into memory and services stream through one cursor: per-batch $in lookups are full scans on SQLite.
     */
    async *iteratePublicServiceViews(batchSize = 500): AsyncGenerator<ServiceView[]> {
      const organizations = await loadAll<OrganizationRecord>(Organization)
      const locations = await loadAll<LocationRecord>(Location)
      const filter = { review_status: 'approved', status: { $in: [...PUBLIC_STATUSES] } }
      for await (const docs of scan(Service, batchSize, filter)) {
        const services = docs
          .filter((doc) => doc.review_status === 'approved' && PUBLIC_STATUSES.includes(doc.status as ServiceStatus))
          .map((doc) => fromDoc<ServiceRecord>(doc))
        const views = (await viewsFor(services, organizations, locations)).filter((v) =>
          isPublic(v.service, v.organization),
        )
        if (views.length > 0) yield views
      }
    },

    async countServices(filter: { origin?: ServiceRecord['origin'] } = {}): Promise<number> {
      return Service.countDocuments(filter.origin ? { origin: filter.origin } : {})
    },

    async createOrganization(record: OrganizationRecord): Promise<OrganizationRecord> {
      await Organization.create({ ...documentOf(record), updatedHour: hourOf(new Date()) })
      return (await getOrganization(record.id)) as OrganizationRecord
    },

    async createLocation(record: LocationRecord): Promise<LocationRecord> {
      await Location.create(documentOf(record))
      const [saved] = await findByIds<LocationRecord>(Location, [record.id])
      return saved as LocationRecord
    },

    async createService(record: ServiceRecord): Promise<ServiceRecord> {
      await searchDocuments.markServiceChanged(record.id)
      await Service.create({ ...documentOf(record), ...freshnessPending(), updatedHour: hourOf(new Date()) })
      return (await getService(record.id)) as ServiceRecord
    },

    /** Sets the given fields on one service; null when it does not exist. */
    async updateService(id: string, patch: ServicePatch): Promise<ServiceRecord | null> {
      await searchDocuments.markServiceChanged(id)
      // The freshness job's own writes say when it is next due; any other write has it worked out again.
      const set = 'freshness_due' in patch ? patch : { ...patch, ...freshnessPending() }
      return setFields<ServiceRecord>(Service, id, set)
    },

    /** Sets the given fields on one organisation; null when it does not exist. */
    async updateOrganization(
      id: string,
      patch: Partial<Omit<OrganizationRecord, 'id' | 'created_at' | 'updated_at'>>,
    ): Promise<OrganizationRecord | null> {
      await searchDocuments.markOrganizationChanged(id)
      return setFields<OrganizationRecord>(Organization, id, patch)
    },

    /** Bulk insert (insertMany, no hydration). With skipExisting, records whose id is already stored are left alone. */
    insertAll,

    /**
     * Removes everything that came from one origin ('synthetic' after a benchmark); returns how many documents went.
     * Not one deleteMany: FerretDB deletes a deleteMany's matches in one SQL statement with a parameter per document,
     * which PostgreSQL refuses past 65,535 (nor `_id: {$in: …}` batches: FerretDB tests each of the origin's
     * documents against every id of the list). On the engine, one SQL statement per collection; elsewhere, one
     * delete statement per document, `batchSize` statements a command (each an `_id` lookup; about 1 ms on FerretDB).
     */
    async deleteByOrigin(origin: ServiceRecord['origin'], options: { batchSize?: number } = {}): Promise<number> {
      const batchSize = options.batchSize ?? DELETE_BATCH
      await searchDocuments.markStale()
      let deleted = 0
      for (const model of [Service, Location, Organization] as Models['Service'][]) {
        if (engine) {
          deleted += await engine.deleteWhere(model.collection.collectionName, 'origin', origin)
          continue
        }
        const ids: unknown[] = []
        for await (const doc of model.find({ origin }, { _id: 1 }).lean().batchSize(5000).cursor()) ids.push(doc._id)
        for (let from = 0; from < ids.length; from += batchSize) {
          const deletes = ids.slice(from, from + batchSize).map((_id) => ({ deleteOne: { filter: { _id, origin } } }))
          deleted += (await model.bulkWrite(deletes as never, { ordered: false })).deletedCount
        }
      }
      return deleted
    },

    async listTaxonomy(): Promise<TaxonomyTerm[]> {
      const docs = await Term.find({}).lean()
      return docs
        .map((d) => ({
          id: String(d._id),
          code: d.code,
          name: d.name,
          parentCode: d.parent_code ?? null,
          description: d.description ?? '',
          crisis: Boolean(d.crisis),
          taxonomy: d.taxonomy,
        }))
        .sort((a, b) => a.name.localeCompare(b.name))
    },

    /** Inserts the terms that are not stored yet (by id); existing terms, perhaps edited by a curator, stay. */
    async ensureTaxonomy(terms: readonly TaxonomyTerm[]): Promise<number> {
      const existing = new Set((await Term.find({}, { _id: 1 }).lean()).map((d) => String(d._id)))
      const missing = terms.filter((t) => !existing.has(t.id))
      if (missing.length === 0) return 0
      await Term.insertMany(missing.map(termDocument))
      return missing.length
    },

    async recordSearchMiss(miss: SearchMissRecord): Promise<void> {
      await SearchMiss.create({ ...documentOf(miss), hour: hourOf(miss.at) })
    },
  }
}

export type DirectoryRepository = ReturnType<typeof createDirectoryRepository>
