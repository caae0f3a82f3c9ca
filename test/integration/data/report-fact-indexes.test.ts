// Emptying the report facts for a rebuild drops their collection, and a drop takes the engine's indexes with it:
// the repository has them made again at once, or every fact upsert after a rebuild would scan every fact.
import { expect } from 'chai'
import { wrapConnection } from '../../../server/data/db'
import { createModels } from '../../../server/data/models'
import { createReportFactRepository } from '../../../server/data/repositories/report-fact.repository'
import { useTestDatabase } from '../../helpers/database'
import { useEnginePostgres } from '../../helpers/engine-postgres'

describe('Report facts after a rebuild empties them', function () {
  this.timeout(120_000)
  const database = useTestDatabase('report_fact_indexes')
  const engine = useEnginePostgres(database)
  const ginIndexes = async () => (await engine.ginIndexes('report_facts')).map((i) => i.definition)

  it('has the GIN indexes on _id and updatedHour again once the collection is emptied', async () => {
    const models = createModels(database.connection)
    const db = wrapConnection(database.connection, { postgresUrl: engine.url() })
    const facts = createReportFactRepository(database.connection, models, { recreated: () => db.ensureIndexes() })
    await database.connection.collection('report_facts').insertOne({ _id: 'f1', updatedAt: new Date() } as never)
    await db.ensureIndexes()
    expect(await ginIndexes()).to.have.length.greaterThan(1)

    await facts.clear()
    const after = await ginIndexes()
    expect(after.some((d) => d.includes("'_id'"))).to.equal(true)
    expect(after.some((d) => d.includes("'updatedHour'"))).to.equal(true)
    expect(await facts.count()).to.equal(0)
  })
})
