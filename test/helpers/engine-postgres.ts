// The embedded engine's own PostgreSQL, for tests that look at the indexes under FerretDB's tables. A lane pointed at
// another server through TEST_MONGODB_URI has no PostgreSQL of ours to look into, so those tests are skipped there.
import type { Connection } from 'mongoose'
import pg from 'pg'

export function useEnginePostgres(database: { readonly connection: Connection }) {
  const url = () => process.env.TEST_POSTGRES_URL
  let client: pg.Client | undefined
  before(async function () {
    if (!url()) this.skip()
    client = new pg.Client({ connectionString: url() })
    await client.connect()
  })
  after(async () => client?.end())

  const connected = (): pg.Client => {
    if (!client) throw new Error('the engine PostgreSQL client is not connected')
    return client
  }
  return {
    url,
    get client(): pg.Client {
      return connected()
    },
    /** Our GIN indexes on a collection's table: name, definition and the table FerretDB keeps it in. */
    async ginIndexes(collection: string): Promise<{ name: string; definition: string; table: string }[]> {
      const schema = database.connection.name
      const { rows } = await connected().query<{ indexname: string; indexdef: string; tablename: string }>(
        `SELECT i.indexname, i.indexdef, i.tablename FROM pg_indexes i
         JOIN (SELECT _jsonb->>'table' AS t FROM "${schema}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = $1) m
           ON m.t = i.tablename
         WHERE i.schemaname = $2 AND i.indexname LIKE 'lw_gin_%'`,
        [collection, schema],
      )
      return rows.map((r) => ({ name: r.indexname, definition: r.indexdef, table: r.tablename }))
    },
  }
}
