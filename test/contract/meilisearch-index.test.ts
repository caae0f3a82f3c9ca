// Runs the SearchIndex contract against a real Meilisearch when MEILI_URL is set (MEILI_KEY optional); otherwise the
// suite is registered as pending, because no Meilisearch server can be installed on the build machines.
import { MeilisearchIndex } from '../../server/data/search/meilisearch-index'
import { searchIndexContract } from './search-index.contract'

const host = process.env.MEILI_URL
const apiKey = process.env.MEILI_KEY

if (host) {
  const run = `contract_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`
  const made: MeilisearchIndex[] = []
  searchIndexContract('meilisearch', async () => {
    const index = new MeilisearchIndex({ host, apiKey, indexName: `${run}_${made.length}` })
    made.push(index)
    return index
  })
  after(async function () {
    for (const index of made) await index.drop()
  })
} else {
  describe.skip('SearchIndex contract (meilisearch): set MEILI_URL to run', function () {
    it('passes the shared SearchIndex contract')
  })
}
