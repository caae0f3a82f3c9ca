// Emptying the report facts for a rebuild drops their collection, and a drop takes the engine's indexes with it:
// the repository has them made again at once, or every fact upsert after a rebuild would scan every fact.
import { expect } from 'chai'
import pg from 'pg'
import { wrapConnection } from '../../../server/data/db'
import { createModels } from '../../../server/data/models'
import { createReportFactRepository } from '../../../server/data/repositories/report-fact.repository'
import { useTestDatabase } from '../../helpers/database'

const postgresUrl = () => process.env.TEST_POSTGRES_URL

describe('Report facts after a rebuild empties them', function () {
  this.timeout(120_000)
  const database = useTestDatabase('report_fact_indexes')
  let client: pg.Client

  before(async function () {
    // A lane pointed at another server through TEST_MONGODB_URI has no PostgreSQL of ours to look into.
    if (!postgresUrl()) this.skip()
    client = new pg.Client({ connectionString: postgresUrl() })
    await client.connect()
  })
  after(async () => client?.end())

  async function ginIndexes(): Promise<string[]> {
    const schema = database.connection.name
    const { rows } = await client.query<{ indexdef: string }>(
      `SELECT i.indexdef FROM pg_indexes i
       JOIN (SELECT _jsonb->>'table' AS t FROM "${schema}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = $1) m
         ON m.t = i.tablename
       WHERE i.schemaname = $2 AND i.indexname LIKE 'lw_gin_%'`,
      ['report_facts', schema],
    )
    return rows.map((r) => r.indexdef)
  }

  it('has the GIN indexes on _id and updatedHour again once the collection is emptied', async () => {
    const models = createModels(database.connection)
    const db = wrapConnection(database.connection, { postgresUrl: postgresUrl() })
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
