import { expect } from 'chai'
import { wrapConnection } from '../../../server/data/db'
import { createEngineReader } from '../../../server/data/embedded-db/engine-reads'
import { buildDemoDirectory, generateSyntheticDirectory } from '../../../server/data/demo/generate'
import {
  createDirectoryRepository,
  type DirectoryRepository,
} from '../../../server/data/repositories/directory.repository'
import { createModels } from '../../../server/data/models'
import { NEED_TAXONOMY } from '../../../server/data/taxonomy'
import { useTestDatabase } from '../../helpers/database'

const NOW = new Date('2025-06-01T12:00:00Z')

describe('DirectoryRepository', () => {
  const db = useTestDatabase('directory.repository')
  let repository: DirectoryRepository
  /** The repository reading (and deleting by origin) past FerretDB, as the app does on the embedded engine. */
  const onEngine = () =>
    createDirectoryRepository(db.connection, undefined, {
      engine: createEngineReader({ postgresUrl: process.env.TEST_POSTGRES_URL!, database: db.connection.name }),
    })

  before(async () => {
    // The engine's indexes, as the app makes them at start (a delete by _id is an index lookup with them).
    await wrapConnection(db.connection, { postgresUrl: process.env.TEST_POSTGRES_URL }).ensureIndexes()
    repository = createDirectoryRepository(db.connection)
    await repository.ensureTaxonomy(NEED_TAXONOMY)
  })

  describe('insertAll and getServiceView', () => {
    it('stores a service with its embedded details and returns it with its organisation and locations', async () => {
      const demo = buildDemoDirectory({ now: NOW, services: 5 })
      await repository.insertAll(demo)
      const original = demo.services[0]!
      const view = await repository.getServiceView(original.id)
      expect(view?.service).to.deep.include({
        id: original.id,
        name: original.name,
        status: original.status,
        schedules: original.schedules,
        cost_options: original.cost_options,
        eligibility: original.eligibility,
        languages: original.languages,
      })
      expect(view?.service.assured_date?.toISOString()).to.equal(original.assured_date?.toISOString())
      expect(view?.organization.id).to.equal(original.organization_id)
      expect(view?.locations.map((l) => l.id)).to.deep.equal(original.service_at_locations.map((s) => s.location_id))
    })

    it('skips records already stored when asked, so seeding twice adds nothing', async () => {
      const demo = buildDemoDirectory({ now: NOW, services: 5 })
      expect(await repository.insertAll(demo, { skipExisting: true })).to.equal(0)
    })
  })

  describe('updateService', () => {
    it('sets the given fields and answers null for an unknown id', async () => {
      const [service] = buildDemoDirectory({ now: NOW, services: 5 }).services
      const at = new Date('2025-06-02T09:00:00Z')
      const updated = await repository.updateService(service!.id, {
        referral: { ...service!.referral, capacity: 'waitlist', capacity_set_at: at },
      })
      expect(updated?.referral).to.deep.include({ capacity: 'waitlist', capacity_set_at: at })
      expect(await repository.updateService('00000000-0000-4000-8000-000000000000', { name: 'x' })).to.equal(null)
    })
  })

  describe('iteratePublicServiceViews', () => {
    it('streams every public service in batches, leaving out pending ones', async function () {
      this.timeout(30_000)
      for (const batch of generateSyntheticDirectory({ count: 1200, seed: 5, now: NOW, batchSize: 600 })) {
        batch.services[0]!.review_status = 'pending'
        await repository.insertAll(batch)
      }
      const sizes: number[] = []
      const ids = new Set<string>()
      for await (const batch of repository.iteratePublicServiceViews(250)) {
        sizes.push(batch.length)
        for (const view of batch) {
          ids.add(view.service.id)
          expect(view.service.review_status).to.equal('approved')
          expect(['active', 'temporarily closed']).to.include(view.service.status)
          expect(view.organization.id).to.equal(view.service.organization_id)
        }
      }
      expect(Math.max(...sizes)).to.be.at.most(250)
      expect(ids.size).to.be.above(1000)
      await (process.env.TEST_POSTGRES_URL ? onEngine() : repository).deleteByOrigin('synthetic')
      expect(await repository.countServices({ origin: 'synthetic' })).to.equal(0)
    })
  })

  describe('deleteByOrigin', () => {
    const postgresUrl = () => process.env.TEST_POSTGRES_URL

    it('removes more documents of one origin than one PostgreSQL statement may name, and none of another', async function () {
      // PostgreSQL takes at most 65,535 parameters a statement; FerretDB names each document a deleteMany removes.
      if (!postgresUrl()) this.skip()
      this.timeout(120_000)
      const { Location } = createModels(db.connection)
      const synthetic = 65_536 + 10
      for (let from = 0; from < synthetic; from += 10_000) {
        const docs = []
        for (let i = from; i < Math.min(synthetic, from + 10_000); i++)
          docs.push({ _id: `synthetic-location-${i}`, origin: 'synthetic', name: `Hall ${i}` })
        await Location.collection.insertMany(docs as never[], { ordered: false })
      }
      await Location.collection.insertMany([
        { _id: 'kept-location-1', origin: 'demo', name: 'Kept hall' },
        { _id: 'kept-location-2', origin: 'manual', name: 'Kept room' },
      ] as never[])
      const before = await Location.countDocuments({})

      expect(await onEngine().deleteByOrigin('synthetic')).to.equal(synthetic)
      expect(await Location.countDocuments({ origin: 'synthetic' })).to.equal(0)
      expect(await Location.countDocuments({})).to.equal(before - synthetic)
      expect(await Location.countDocuments({ _id: { $in: ['kept-location-1', 'kept-location-2'] } })).to.equal(2)
      await Location.deleteMany({ _id: { $in: ['kept-location-1', 'kept-location-2'] } })
    })

    for (const [where, make] of [
      ['on the engine, a statement a collection', onEngine],
      ['elsewhere, a document a statement and a few statements a command', () => repository],
    ] as const)
      it(`removes a synthetic directory's services, locations and organisations, and nothing else: ${where}`, async function () {
        if (make === onEngine && !postgresUrl()) this.skip()
        this.timeout(60_000)
        const { Organization, Location, Service } = createModels(db.connection)
        const counts = () => Promise.all([Organization, Location, Service].map((m) => m.countDocuments({})))
        const before = await counts()
        let written = 0
        for (const batch of generateSyntheticDirectory({ count: 40, seed: 9, now: NOW, batchSize: 40 })) {
          await repository.insertAll(batch)
          written += batch.services.length + (batch.locations?.length ?? 0) + (batch.organizations?.length ?? 0)
        }
        expect(written).to.be.above(40)

        expect(await make().deleteByOrigin('synthetic', { batchSize: 7 })).to.equal(written)
        expect(await counts()).to.deep.equal(before)
        expect(before[2]).to.be.above(0)
      })
  })
})
