// The PostgreSQL indexes under FerretDB: made from the models' declared indexes, and used by FerretDB's own queries.
import { expect } from 'chai'
import mongoose from 'mongoose'
import { wrapConnection } from '../../../server/data/db'
import { declaredIndexFields, fieldExpression } from '../../../server/data/embedded-db/engine-indexes'
import { createModels } from '../../../server/data/models'
import { useTestDatabase } from '../../helpers/database'
import { useEnginePostgres } from '../../helpers/engine-postgres'

describe('Engine indexes (FerretDB on PostgreSQL)', function () {
  this.timeout(120_000)
  const database = useTestDatabase('engine-indexes')
  const engine = useEnginePostgres(database)
  const { ginIndexes } = engine

  it('gives every field a model declares as indexed, every _id and the session store a GIN index, in one call, idempotently', async () => {
    createModels(database.connection)
    const db = wrapConnection(database.connection, { postgresUrl: engine.url() })
    await db.ensureIndexes()
    const declared = declaredIndexFields(database.connection)
    expect(declared.get('people')).to.include('teamId')
    for (const [collection, fields] of declared) {
      const indexes = await ginIndexes(collection)
      for (const field of fields) {
        const expression = fieldExpression(field).replace(/'/g, "''")
        expect(
          indexes.some((i) => i.definition.includes('USING gin') && i.definition.includes(field)),
          `${collection}.${field} (${expression})`,
        ).to.equal(true)
      }
    }
    await db.ensureIndexes()
  })

  it('is what PostgreSQL uses when FerretDB runs an equality query', async () => {
    const schema = new mongoose.Schema({ organisationId: String, status: String, n: Number })
    schema.index({ organisationId: 1, status: 1 })
    const Probe = database.connection.model('EngineProbe', schema, 'engine_probes')
    await Probe.init()
    const rows = Array.from({ length: 4_000 }, (_, n) => ({
      organisationId: `org-${n % 200}`,
      status: n % 3 ? 'open' : 'closed',
      n,
    }))
    await Probe.insertMany(rows, { lean: true })
    await wrapConnection(database.connection, { postgresUrl: engine.url() }).ensureIndexes()
    const [index] = (await ginIndexes('engine_probes')).filter((i) => i.definition.includes("'organisationId'"))
    expect(index, 'GIN index on organisationId').to.not.equal(undefined)
    await engine.client.query(`ANALYZE "${database.connection.name}"."${index!.table}"`)

    const plan = await engine.client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT _jsonb FROM "${database.connection.name}"."${index!.table}" WHERE _jsonb->'organisationId' @> '"org-7"'`,
    )
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).to.include(`Index Scan on ${index!.name}`)

    const scans = async () =>
      Number(
        (
          await engine.client.query<{ idx_scan: string }>(
            `SELECT idx_scan FROM pg_stat_user_indexes WHERE schemaname = $1 AND indexrelname = $2`,
            [database.connection.name, index!.name],
          )
        ).rows[0]?.idx_scan ?? 0,
      )
    const before = await scans()
    const found = await Probe.find({ organisationId: 'org-7' }).lean()
    expect(found).to.have.length(20)
    let after = before
    for (let i = 0; i < 100 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 100))
      after = await scans()
    }
    expect(after).to.be.greaterThan(before)
  })

  it("has PostgreSQL measure a list's compound index as soon as it is made, so the planner knows what it selects", async () => {
    const schema = new mongoose.Schema({ teamId: String, at: Date })
    schema.index({ teamId: 1, at: -1 })
    const Probe = database.connection.model('EngineListProbe', schema, 'engine_list_probes')
    await Probe.init()
    await Probe.insertMany(
      Array.from({ length: 3_000 }, (_, n) => ({
        teamId: `team-${n % 3}`,
        at: new Date(Date.UTC(2026, 0, 1) + n * 60_000),
      })),
      { lean: true },
    )
    const statistics = async () =>
      (
        await engine.client.query(
          `SELECT 1 FROM pg_stats s JOIN pg_indexes i ON i.schemaname = s.schemaname AND i.indexname = s.tablename
            WHERE s.schemaname = $1 AND i.indexdef LIKE '%teamId%' AND i.indexdef LIKE '%''at''%'`,
          [database.connection.name],
        )
      ).rowCount ?? 0
    expect(await statistics()).to.equal(0)
    // The table's live-row count is what says it has rows to measure: wait for the statistics collector to see them.
    for (let i = 0; i < 100; i++) {
      const live = await engine.client.query<{ n: string }>(
        `SELECT coalesce(sum(n_live_tup), 0) AS n FROM pg_stat_user_tables WHERE schemaname = $1 AND relname LIKE 'engine_list_probes%'`,
        [database.connection.name],
      )
      if (Number(live.rows[0]?.n) > 0) break
      await new Promise((r) => setTimeout(r, 100))
    }
    await wrapConnection(database.connection, { postgresUrl: engine.url() }).ensureIndexes()
    let measured = 0
    for (let i = 0; i < 100 && measured === 0; i++) {
      await new Promise((r) => setTimeout(r, 100))
      measured = await statistics()
    }
    expect(measured).to.be.greaterThan(0)
  })
})
