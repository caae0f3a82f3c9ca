// The stored search documents at a full rebuild: emptied however many there are, and still indexed afterwards.
import { expect } from 'chai'
import { wrapConnection } from '../../../server/data/db'
import { createModels } from '../../../server/data/models'
import { createSearchDocumentRepository } from '../../../server/data/repositories/search-document.repository'
import { useTestDatabase } from '../../helpers/database'
import { useEnginePostgres } from '../../helpers/engine-postgres'

describe('SearchDocumentRepository: beginning a rebuild', function () {
  this.timeout(180_000)
  const database = useTestDatabase('search-document-rows')
  const engine = useEnginePostgres(database)

  it('empties more rows than one PostgreSQL statement takes parameters (65,535), and keeps the _id index', async () => {
    createModels(database.connection)
    const db = wrapConnection(database.connection, { postgresUrl: engine.url() })
    await db.ensureIndexes()
    const rows = createSearchDocumentRepository(database.connection, { recreated: () => db.ensureIndexes() })
    const collection = database.connection.collection('search_documents')
    for (let i = 0; i < 70_000; i += 10_000) {
      await collection.insertMany(
        Array.from({ length: 10_000 }, (_, n) => ({ _id: `s${i + n}`, o: 'org', d: null }) as never),
        { ordered: false },
      )
    }
    expect(await rows.count()).to.equal(70_000)

    await rows.beginRebuild()

    expect(await rows.count()).to.equal(0)
    const indexes = await engine.ginIndexes('search_documents')
    expect(indexes.some((i) => i.definition.includes("'_id'"))).to.equal(true)
  })
})
