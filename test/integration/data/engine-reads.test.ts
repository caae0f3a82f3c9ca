// Whole-collection reads straight from the PostgreSQL under FerretDB: the same documents FerretDB itself returns.
import { expect } from 'chai'
import { Schema } from 'mongoose'
import { buildDemoDirectory, DEMO_ANCHORS, generateSyntheticDirectory } from '../../../server/data/demo/generate'
import { createEngineReader, type EngineReader, type ScannedModel } from '../../../server/data/embedded-db/engine-reads'
import { createModels, type Models } from '../../../server/data/models'
import { createDirectoryRepository } from '../../../server/data/repositories/directory.repository'
import { NEED_TAXONOMY } from '../../../server/data/taxonomy'
import type { ServiceView } from '../../../server/domain/directory-records'
import { useTestDatabase } from '../../helpers/database'
import { useEnginePostgres } from '../../helpers/engine-postgres'

const NOW = new Date('2026-06-01T12:00:00Z')

describe('Engine reads (FerretDB on PostgreSQL)', function () {
  this.timeout(120_000)
  const database = useTestDatabase('engine-reads')
  const engine = useEnginePostgres(database)
  let models: Models
  let reader: EngineReader

  const byId = <T extends { _id?: unknown; id?: unknown }>(list: T[]): T[] =>
    [...list].sort((a, b) => String(a._id ?? a.id).localeCompare(String(b._id ?? b.id)))

  async function scanned(model: ScannedModel, batchSize = 2000) {
    const out: Record<string, unknown>[] = []
    const sizes: number[] = []
    for await (const batch of reader.scan(model, batchSize)) {
      sizes.push(batch.length)
      out.push(...batch)
    }
    return { docs: out, sizes }
  }

  before(async () => {
    models = createModels(database.connection)
    reader = createEngineReader({ postgresUrl: engine.url()!, database: database.connection.name })
    const repository = createDirectoryRepository(database.connection, models)
    await repository.ensureTaxonomy(NEED_TAXONOMY)
    await repository.insertAll(buildDemoDirectory({ now: NOW }))
    for (const batch of generateSyntheticDirectory({ count: 300, seed: 3, now: NOW, batchSize: 300 })) {
      batch.services[0]!.review_status = 'pending'
      batch.services[1]!.status = 'inactive'
      await repository.insertAll(batch)
    }
    // Dates in nested documents and arrays of them, and fields written by an update rather than an insert.
    await repository.updateService(DEMO_ANCHORS.mensShed, {
      freshness: { review_interval_months: 6, reminders_sent: 2, last_reminder_at: NOW, escalated_at: NOW },
      schedules: [
        {
          id: '0b0c2f8e-5d36-4a57-9a44-0e0d0b7d2a11',
          location_id: null,
          freq: 'WEEKLY',
          interval: 1,
          byday: 'TU',
          bymonthday: null,
          opens_at: '10:00',
          closes_at: '12:00',
          valid_from: new Date('2026-01-05T00:00:00Z'),
          valid_to: new Date('2026-12-22T00:00:00Z'),
          description: null,
          attending_type: null,
          notes: null,
        },
      ],
    })
  })

  for (const name of ['Service', 'Organization', 'Location'] as const) {
    it(`reads every ${name.toLowerCase()} as find().lean() returns it, dates and all`, async () => {
      const model = models[name] as Models['Service']
      const { docs } = await scanned(model)
      const lean = (await model.find({}).lean()) as unknown as Record<string, unknown>[]
      expect(docs).to.have.length(lean.length)
      expect(byId(docs)).to.deep.equal(byId(lean))
    })
  }

  it('puts the dates back as dates, in nested documents and in arrays of them', async () => {
    const { docs } = await scanned(models.Service)
    const shed = docs.find((d) => d._id === DEMO_ANCHORS.mensShed)!
    expect(shed.created_at).to.be.instanceOf(Date)
    expect(shed.freshness).to.have.property('escalated_at').that.deep.equals(NOW)
    const [schedule] = shed.schedules as { valid_from: unknown }[]
    expect(schedule!.valid_from).to.deep.equal(new Date('2026-01-05T00:00:00Z'))
  })

  it('hands the documents on in batches of the size asked', async () => {
    const { docs, sizes } = await scanned(models.Service, 100)
    expect(Math.max(...sizes)).to.equal(100)
    expect(sizes.reduce((a, b) => a + b, 0)).to.equal(docs.length)
  })

  it('reads nothing from a collection not made yet', async () => {
    const schema = new Schema({ at: Date }, { autoCreate: false, autoIndex: false })
    const { docs } = await scanned(database.connection.model('NeverWritten', schema, 'never_written'))
    expect(docs).to.deep.equal([])
  })

  it('gives the directory repository the same public services as reading through FerretDB', async () => {
    const views = async (repository: ReturnType<typeof createDirectoryRepository>) => {
      const out: ServiceView[] = []
      for await (const batch of repository.iteratePublicServiceViews(250)) out.push(...batch)
      return out.sort((a, b) => a.service.id.localeCompare(b.service.id))
    }
    const through = await views(createDirectoryRepository(database.connection, models))
    const past = await views(createDirectoryRepository(database.connection, models, { engine: reader }))
    expect(past.map((v) => v.service.id)).to.include(DEMO_ANCHORS.mensShed)
    expect(past).to.have.length(through.length)
    expect(past).to.deep.equal(through)
  })
})
