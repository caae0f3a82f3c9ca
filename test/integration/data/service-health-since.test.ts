// The directory health report's refresh reads only the services written since its last read (by hour bucket): a
// service changed, and every service of an organisation changed, are read again; one written earlier is not. A bulk
// write changes the stamp that makes the report read every service again.
import { expect } from 'chai'
import { buildDemoDirectory } from '../../../server/data/demo/generate'
import { createDirectoryRepository } from '../../../server/data/repositories/directory.repository'
import { createReportSourcesRepository } from '../../../server/data/repositories/report-sources.repository'
import { useTestDatabase } from '../../helpers/database'

describe('service health rows since a time (embedded database)', function () {
  this.timeout(60_000)
  const db = useTestDatabase('service_health_since')
  const demo = buildDemoDirectory({ now: new Date() })
  const [first, second] = demo.services
  const organisation = demo.organizations.find((o) => o.id !== first!.organization_id)!

  before(async () => {
    await createDirectoryRepository(db.connection).insertAll(demo)
    // Everything was written long ago, as far as the hour buckets say.
    await db.connection.collection('services').updateMany({}, { $set: { updatedHour: '2020-01-01T00' } })
    await db.connection.collection('organizations').updateMany({}, { $set: { updatedHour: '2020-01-01T00' } })
  })

  it('reads the services written since, and every service of an organisation written since', async () => {
    const directory = createDirectoryRepository(db.connection)
    const sources = createReportSourcesRepository(db.connection)
    const since = new Date(Date.now() - 60_000)
    expect(await sources.serviceHealthRowsChangedSince(since)).to.deep.equal([])
    await directory.updateService(first!.id, { status: 'inactive' })
    await directory.updateOrganization(organisation.id, { name: 'Renamed for the health report' })
    const rows = (await sources.serviceHealthRowsChangedSince(since))!
    const theirs = demo.services.filter((s) => s.organization_id === organisation.id).map((s) => s.id)
    expect(theirs.length).to.be.greaterThan(0)
    expect(rows.map((r) => r.id).sort()).to.deep.equal([...new Set([first!.id, ...theirs])].sort())
    expect(rows.find((r) => r.id === first!.id)).to.include({ status: 'inactive', listed: false })
    for (const id of theirs)
      expect(rows.find((r) => r.id === id)!.organisationName).to.equal('Renamed for the health report')
    if (!theirs.includes(second!.id)) expect(rows.map((r) => r.id)).not.to.include(second!.id)
    // Too far back to read by hour: the caller reads every row.
    expect(await sources.serviceHealthRowsChangedSince(new Date(Date.now() - 30 * 86_400_000))).to.equal(null)
  })

  it('has a bulk-write stamp that changes when the directory is written in bulk', async () => {
    const sources = createReportSourcesRepository(db.connection)
    const directory = createDirectoryRepository(db.connection)
    await db.connection
      .collection('search_state')
      .updateOne(
        { _id: 'directory' as never },
        { $set: { complete: true, count: 1, stamp: 'before' } },
        { upsert: true },
      )
    expect(await sources.bulkWriteStamp()).to.equal('before')
    await directory.insertAll({ organizations: [], locations: [], services: [{ ...first!, id: 'bulk-written' }] })
    // A bulk write marks the stored search documents stale: the stamp is no longer the one read.
    expect(await sources.bulkWriteStamp()).not.to.equal('before')
  })
})
