// The unmet need report's refresh reads the search misses recorded since its last read by hour bucket: those after
// the time asked, none before it, also across an hour boundary; with no time, every miss.
import { expect } from 'chai'
import { createDirectoryRepository } from '../../../server/data/repositories/directory.repository'
import { createReportSourcesRepository } from '../../../server/data/repositories/report-sources.repository'
import { hoursBetween } from '../../../server/data/hour-buckets'
import { useTestDatabase } from '../../helpers/database'

const MINUTE = 60_000

describe('search misses since a time (embedded database)', () => {
  const db = useTestDatabase('search_misses_since')
  const now = Date.now()
  const ago = (minutes: number) => new Date(now - minutes * MINUTE)

  before(async () => {
    const directory = createDirectoryRepository(db.connection)
    for (const [id, minutes] of [
      ['three-days', 3 * 24 * 60],
      ['two-hours', 120],
      ['seventy-minutes', 70],
      ['ten-minutes', 10],
      ['just-now', 0],
    ] as const)
      await directory.recordSearchMiss({ id, at: ago(minutes), needs: [], outcode: null, words: id, resultCount: 0 })
  })

  it('reads those after the time asked, across hours, and none before', async () => {
    const sources = createReportSourcesRepository(db.connection)
    const ids = async (since: Date | null) => (await sources.searchMissesSince(since)).map((m) => m.id).sort()
    expect(await ids(ago(90))).to.deep.equal(['just-now', 'seventy-minutes', 'ten-minutes'])
    expect(await ids(ago(15))).to.deep.equal(['just-now', 'ten-minutes'])
    expect(await ids(null)).to.have.length(5)
  })

  it('reads by hour equality for up to two weeks back, and everything beyond', () => {
    expect(hoursBetween(ago(90), new Date(now))).to.have.length.within(2, 3)
    expect(hoursBetween(ago(13 * 24 * 60), new Date(now))).to.be.an('array')
    expect(hoursBetween(ago(15 * 24 * 60), new Date(now))).to.equal(null)
  })
})
