import { expect } from 'chai'
import { loadConfig } from '../../../server/config'
import { createServices, type Services } from '../../../server/container'
import { wrapConnection } from '../../../server/data/db'
import { generateSyntheticDirectory } from '../../../server/data/demo/generate'
import { createDirectoryRepository } from '../../../server/data/repositories/directory.repository'
import { createSearchIndex } from '../../../server/data/search/create-search-index'
import { NEED_TAXONOMY } from '../../../server/data/taxonomy'
import { addMonths } from '../../../server/services/listing-freshness.service'
import { useTestDatabase } from '../../helpers/database'
import { useSmtpServer } from '../../helpers/smtp'

// After a bulk import every listing written is waiting for the freshness job to work out when it is next due: one run
// works through them all.
describe('Listing freshness after a bulk import', () => {
  const smtp = useSmtpServer()
  const database = useTestDatabase('listing_freshness_import')
  let services: Services
  const now = new Date()

  before(async function () {
    this.timeout(120_000)
    const config = loadConfig({
      NODE_ENV: 'test',
      DEMO: 'false',
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'http://loopwell.test',
    })
    // As an embedded deployment runs: with the engine's indexes, so each listing is found by its id.
    const db = wrapConnection(database.connection, { postgresUrl: process.env.TEST_POSTGRES_URL })
    await db.ensureIndexes()
    services = createServices({ config, db, search: createSearchIndex({}) })
    const directory = createDirectoryRepository(database.connection)
    await directory.ensureTaxonomy(NEED_TAXONOMY)
    for (const batch of generateSyntheticDirectory({ count: 450, seed: 3, now, batchSize: 450 })) {
      await directory.insertAll(batch)
    }
    // Every listing checked today, so the run has nothing to remind: only the written listings to work out.
    await database.connection.collection('services').updateMany({}, { $set: { assured_date: now } })
  })

  it('works out when every written listing is next due in one run, and leaves none waiting', async function () {
    this.timeout(120_000)
    const collection = database.connection.collection<{
      _id: string
      freshness_pending: boolean
      freshness_due: string | null
      freshness_due_day: string | null
    }>('services')
    expect(await collection.countDocuments({ freshness_pending: true })).to.equal(450)

    expect(await services.freshness.runReminders(now)).to.deep.equal({ reminded: 0, escalated: 0 })

    expect(await collection.countDocuments({ freshness_pending: true })).to.equal(0)
    const due = addMonths(now, 6).toISOString().slice(0, 10)
    const dues = new Map<string, number>()
    for (const s of await collection.find({}).toArray()) {
      const key = s.freshness_due === 'none' ? 'none' : `${s.freshness_due} ${s.freshness_due_day}`
      dues.set(key, (dues.get(key) ?? 0) + 1)
    }
    // Public listings are next due when their review is, the others never (they are not shown).
    expect([...dues.keys()].sort()).to.deep.equal([`${due.slice(0, 7)} ${due}`, 'none'].sort())
    expect(dues.get(`${due.slice(0, 7)} ${due}`)).to.be.greaterThan(300)
    expect(smtp.messages).to.deep.equal([])
  })
})
