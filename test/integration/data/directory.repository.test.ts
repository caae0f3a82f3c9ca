import { expect } from 'chai'
import { buildDemoDirectory, generateSyntheticDirectory } from '../../../server/data/demo/generate'
import {
  createDirectoryRepository,
  type DirectoryRepository,
} from '../../../server/data/repositories/directory.repository'
import { NEED_TAXONOMY } from '../../../server/data/taxonomy'
import { useTestDatabase } from '../../helpers/database'

const NOW = new Date('2025-06-01T12:00:00Z')

describe('DirectoryRepository', () => {
  const db = useTestDatabase('directory.repository')
  let repository: DirectoryRepository

  before(async () => {
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
      await repository.deleteByOrigin('synthetic')
      expect(await repository.countServices({ origin: 'synthetic' })).to.equal(0)
    })
  })
})
