import { expect } from 'chai'
import { buildDemoDirectory, DEMO_ANCHORS } from '../../../server/data/demo/generate'
import { loadLocalGeocoder } from '../../../server/data/geo/local-geocoder'
import { newId } from '../../../server/domain/ids'
import {
  createDirectoryRepository,
  type DirectoryRepository,
} from '../../../server/data/repositories/directory.repository'
import { EmbeddedSearchIndex } from '../../../server/data/search/embedded-index'
import { NEED_TAXONOMY } from '../../../server/data/taxonomy'
import { NotFoundError, ValidationError } from '../../../server/errors'
import { createDemoService } from '../../../server/services/demo.service'
import { FEW_RESULTS, type DirectoryService } from '../../../server/services/directory.service'
import { wireDirectoryService } from '../../../server/wiring/directory'
import { useTestDatabase } from '../../helpers/database'
import { createReportSourcesRepository } from '../../../server/data/repositories/report-sources.repository'

const NOW = new Date('2025-06-01T12:00:00Z')

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe('DirectoryService', () => {
  const db = useTestDatabase('directory.service')
  let repository: DirectoryRepository
  /** The misses as the unmet need report reads them. */
  const misses = () => createReportSourcesRepository(db.connection).searchMissesSince(null)
  let directory: DirectoryService
  let search: EmbeddedSearchIndex

  before(async function () {
    this.timeout(60_000)
    repository = createDirectoryRepository(db.connection)
    search = new EmbeddedSearchIndex()
    directory = wireDirectoryService({
      directory: repository,
      search,
      geocoder: loadLocalGeocoder('server/data/demo/postcodes.csv'),
      clock: () => NOW,
    })
    await createDemoService({ directory: repository, clock: () => NOW }).seedDemoDirectory()
    await directory.rebuildIndex()
  })

  describe('rebuildIndex', () => {
    it('indexes every public demo service and leaves out pending and inactive ones', async () => {
      const demo = buildDemoDirectory({ now: NOW })
      const expected = demo.services.filter(
        (s) => s.review_status === 'approved' && ['active', 'temporarily closed'].includes(s.status),
      ).length
      expect(await search.count()).to.equal(expected)
      expect(expected).to.be.below(demo.services.length)
    })
  })

  describe('search', () => {
    it('finds a free walking group on Saturday within 2 miles of a demo postcode', async () => {
      const result = await directory.search({
        text: 'walking group',
        postcode: DEMO_ANCHORS.walkingPostcode,
        radiusMiles: 2,
        days: ['sat'],
        freeOnly: true,
      })
      const ids = result.results.map((r) => r.document.id)
      expect(ids).to.include(DEMO_ANCHORS.walkingGroup)
      const walk = result.results.find((r) => r.document.id === DEMO_ANCHORS.walkingGroup)!
      expect(walk.distanceMiles).to.be.below(2)
      expect(walk.document.organizationName).to.equal('Barnet Health Walks')
      expect(walk.document.card.schedules[0]).to.include({ freq: 'WEEKLY', byday: 'SA' })
      expect(result.origin).to.deep.include({ postcode: 'NW4 4BG', precision: 'postcode' })
    })

    it('finds befriending for an older man who speaks Punjabi', async () => {
      const result = await directory.search({ text: 'befriending', languages: ['pa'], age: 78 })
      expect(result.results[0]?.document.id).to.equal(DEMO_ANCHORS.punjabiBefriending)
    })

    it('tells the user when it cannot place a postcode in UK format', async () => {
      const error = await rejection(directory.search({ postcode: 'M1 1AE' }))
      expect(error).to.be.instanceOf(ValidationError)
      expect((error as ValidationError).fields).to.deep.equal({
        postcode: 'We cannot place M1 1AE. Check it, try a nearby postcode, or search without one',
      })
    })

    it('tells the user when a postcode is not in UK format', async () => {
      const error = await rejection(directory.search({ postcode: 'hello' }))
      expect((error as ValidationError).fields.postcode).to.equal(
        'This is not a UK postcode. Enter a postcode like EN5 1AA',
      )
    })

    it('records searches that find nothing with the need, the outcode and the words only', async () => {
      const result = await directory.search({ text: 'underwater basket weaving', postcode: 'N20 0EJ', needs: ['food'] })
      expect(result.total).to.equal(0)
      await directory.searchMissesWritten()
      const miss = (await misses()).find((m) => m.words === 'underwater basket weaving')
      expect(miss).to.deep.include({ outcode: 'N20', needs: ['food'], resultCount: 0 })
      expect(JSON.stringify(miss)).to.not.include('0EJ')
    })

    it('records searches that find only a few results, with how many, and not those that find more', async () => {
      const few = await directory.search({ text: 'befriending', languages: ['pa'], deliveryModes: ['phone'] })
      expect(few.total).to.be.within(1, FEW_RESULTS)
      const many = await directory.search({ text: 'walking' })
      expect(many.total).to.be.greaterThan(FEW_RESULTS)
      await directory.searchMissesWritten()
      const recorded = await misses()
      expect(recorded.find((m) => m.words === 'befriending')).to.deep.include({ resultCount: few.total })
      expect(recorded.find((m) => m.words === 'walking')).to.equal(undefined)
    })
  })

  describe('getService', () => {
    it('returns a public service with its organisation and locations', async () => {
      const view = await directory.getService(DEMO_ANCHORS.mensShed)
      expect(view.service.name).to.equal('Hendon Men’s Shed')
      expect(view.locations).to.have.length(1)
    })

    it('says not found for an unknown id and for a listing awaiting approval', async () => {
      expect(await rejection(directory.getService(newId()))).to.be.instanceOf(NotFoundError)
      const pending = buildDemoDirectory({ now: NOW }).services.find((s) => s.review_status === 'pending')!
      expect(await rejection(directory.getService(pending.id))).to.be.instanceOf(NotFoundError)
    })
  })

  describe('reindexService', () => {
    it('takes a service out of search when it closes for good and back when it reopens', async () => {
      await repository.updateService(DEMO_ANCHORS.mensShed, { status: 'defunct' })
      await directory.reindexService(DEMO_ANCHORS.mensShed)
      let result = await directory.search({ text: 'Hendon Men’s Shed' })
      expect(result.results.map((r) => r.document.id)).to.not.include(DEMO_ANCHORS.mensShed)
      await repository.updateService(DEMO_ANCHORS.mensShed, { status: 'active' })
      await directory.reindexService(DEMO_ANCHORS.mensShed)
      result = await directory.search({ text: 'Hendon Men’s Shed' })
      expect(result.results.map((r) => r.document.id)).to.include(DEMO_ANCHORS.mensShed)
    })
  })

  describe('taxonomy', () => {
    it('lists every need term', async () => {
      expect((await directory.taxonomy()).map((t) => t.code)).to.have.members(NEED_TAXONOMY.map((t) => t.code))
    })
  })
})

describe('DemoService', () => {
  const db = useTestDatabase('demo.service')

  describe('seedDemoDirectory', () => {
    it('leaves one copy when run twice, as on a restart', async function () {
      this.timeout(60_000)
      const repository = createDirectoryRepository(db.connection)
      const demo = createDemoService({ directory: repository, taxonomy: NEED_TAXONOMY, buildDemoDirectory })
      const first = await demo.seedDemoDirectory()
      const second = await demo.seedDemoDirectory()
      expect(first.records).to.be.above(200)
      expect(second).to.deep.equal({ terms: 0, records: 0 })
      expect(await repository.countServices()).to.equal(buildDemoDirectory({ now: NOW }).services.length)
      expect(await repository.listTaxonomy()).to.have.length(NEED_TAXONOMY.length)
    })
  })
})
