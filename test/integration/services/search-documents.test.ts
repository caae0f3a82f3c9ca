import { expect } from 'chai'
import { buildDemoDirectory, DEMO_ANCHORS } from '../../../server/data/demo/generate'
import { loadLocalGeocoder } from '../../../server/data/geo/local-geocoder'
import { newId } from '../../../server/domain/ids'
import {
  createDirectoryRepository,
  type DirectoryRepository,
} from '../../../server/data/repositories/directory.repository'
import { createOrukRepository } from '../../../server/data/repositories/oruk.repository'
import { EmbeddedSearchIndex } from '../../../server/data/search/embedded-index'
import { createDemoService } from '../../../server/services/demo.service'
import { wireDirectoryService } from '../../../server/wiring/directory'
import { useTestDatabase } from '../../helpers/database'

const NOW = new Date('2025-06-01T12:00:00Z')

describe('DirectoryService: the stored search documents a start loads from', () => {
  const db = useTestDatabase('search-documents')
  let repository: DirectoryRepository

  /** A directory service with an empty index of its own, as a freshly started app instance has. */
  function instance() {
    const search = new EmbeddedSearchIndex()
    const directory = wireDirectoryService({
      directory: repository,
      search,
      geocoder: loadLocalGeocoder('server/data/demo/postcodes.csv'),
      clock: () => NOW,
    })
    return { search, directory }
  }

  const ids = async (directory: ReturnType<typeof instance>['directory'], text: string) =>
    (await directory.search({ text, perPage: 100 })).results.map((r) => r.document.id)

  const publicCount = () =>
    buildDemoDirectory({ now: NOW }).services.filter(
      (s) => s.review_status === 'approved' && ['active', 'temporarily closed'].includes(s.status),
    ).length

  before(async function () {
    this.timeout(60_000)
    repository = createDirectoryRepository(db.connection)
    await createDemoService({ directory: repository, clock: () => NOW }).seedDemoDirectory()
  })

  it('rebuilds from the services the first time, then starts from the stored documents with the same results', async () => {
    const first = instance()
    expect(await first.directory.loadIndex()).to.deep.equal({ count: publicCount(), from: 'services', rechecked: 0 })
    expect(await repository.searchDocuments.count()).to.equal(publicCount())

    const second = instance()
    expect(await second.directory.loadIndex()).to.deep.equal({ count: publicCount(), from: 'stored', rechecked: 0 })
    const query = { text: 'befriending', postcode: 'NW4 4BG', facets: ['needs' as const], now: NOW }
    expect(await second.directory.search(query)).to.deep.equal(await first.directory.search(query))
  })

  it('keeps a reindexed change for the next start', async () => {
    const running = instance()
    await running.directory.loadIndex()
    await repository.updateService(DEMO_ANCHORS.mensShed, { name: 'Hendon Pottery Shed' })
    await running.directory.reindexService(DEMO_ANCHORS.mensShed)

    const next = instance()
    expect(await next.directory.loadIndex()).to.include({ from: 'stored', rechecked: 0 })
    expect(await ids(next.directory, 'pottery')).to.include(DEMO_ANCHORS.mensShed)
  })

  it('rechecks a service written without a reindex (a crash between the two) at the next start', async () => {
    await instance().directory.loadIndex()
    await repository.updateService(DEMO_ANCHORS.mensShed, { status: 'defunct' })

    const next = instance()
    expect(await next.directory.loadIndex()).to.deep.include({ from: 'stored', rechecked: 1, count: publicCount() - 1 })
    expect(await ids(next.directory, 'shed')).to.not.include(DEMO_ANCHORS.mensShed)
    // The recheck stored the outcome: the start after that has nothing left to recheck.
    expect(await instance().directory.loadIndex()).to.include({ from: 'stored', rechecked: 0 })

    await repository.updateService(DEMO_ANCHORS.mensShed, { status: 'active' })
    const again = instance()
    expect(await again.directory.loadIndex()).to.deep.include({ from: 'stored', count: publicCount() })
    expect(await ids(again.directory, 'shed')).to.include(DEMO_ANCHORS.mensShed)
  })

  it("rechecks an organisation's services after the organisation changed", async () => {
    await instance().directory.loadIndex()
    const service = (await repository.getService(DEMO_ANCHORS.mensShed))!
    await repository.updateOrganization(service.organization_id, { name: 'Renamed Community Trust' })

    const next = instance()
    const loaded = await next.directory.loadIndex()
    expect(loaded.from).to.equal('stored')
    expect(loaded.rechecked).to.be.greaterThan(0)
    expect(await ids(next.directory, 'renamed community trust')).to.include(DEMO_ANCHORS.mensShed)
    expect(await instance().directory.loadIndex()).to.include({ rechecked: 0 })
  })

  it('rebuilds from the services after a bulk write (demo seeding, generators)', async () => {
    await instance().directory.loadIndex()
    const extra = buildDemoDirectory({ now: NOW })
    const copy = {
      ...extra.services.find((s) => s.id === DEMO_ANCHORS.mensShed)!,
      id: newId(),
      name: 'Bulk Knitting Circle',
    }
    await repository.insertAll({ services: [copy] })

    const next = instance()
    expect(await next.directory.loadIndex()).to.include({ from: 'services' })
    expect(await ids(next.directory, 'bulk knitting circle')).to.include(copy.id)
    expect(await instance().directory.loadIndex()).to.include({ from: 'stored' })
  })

  it('rebuilds from the services after an Open Referral UK import batch', async () => {
    await instance().directory.loadIndex()
    const service = (await repository.getService(DEMO_ANCHORS.mensShed))!
    await createOrukRepository(db.connection).writeBatch({
      organizations: { insert: [], update: [] },
      locations: { insert: [], update: [] },
      services: { insert: [], update: [{ ...service, name: 'Imported Knitting Circle' }] },
    })

    const next = instance()
    expect(await next.directory.loadIndex()).to.include({ from: 'services' })
    expect(await ids(next.directory, 'imported knitting circle')).to.include(DEMO_ANCHORS.mensShed)
  })
})
