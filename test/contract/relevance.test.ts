// The relevance set (scripts/bench/search-relevance.json) against the demo directory: the targets of the search,
// pinned, on the embedded adapter and on Meilisearch when MEILI_URL is set (pending otherwise). The whole ranking is
// not pinned: npm run bench reports precision at 5 beside these.
import { expect } from 'chai'
import {
  demoDocuments,
  readRelevanceSet,
  scoreRelevance,
  type RelevanceQuery,
} from '../../scripts/bench/search-relevance'
import { EmbeddedSearchIndex } from '../../server/data/search/embedded-index'
import { MeilisearchIndex } from '../../server/data/search/meilisearch-index'
import type { SearchIndex } from '../../server/data/search/search-index'

const MEILI_URL = process.env.MEILI_URL

relevanceContract('embedded', () => new EmbeddedSearchIndex())
if (MEILI_URL) {
  relevanceContract(
    'meilisearch',
    () =>
      new MeilisearchIndex({ host: MEILI_URL, apiKey: process.env.MEILI_KEY, indexName: `relevance_${Date.now()}` }),
    (index) => (index as MeilisearchIndex).drop(),
  )
} else {
  describe.skip('Search relevance on the demo directory (meilisearch): set MEILI_URL to run', function () {
    it('meets the relevance targets')
  })
}

function relevanceContract(name: string, make: () => SearchIndex, drop?: (index: SearchIndex) => Promise<void>): void {
  describe(`Search relevance on the demo directory (${name})`, function () {
    const now = new Date('2026-06-01T12:00:00Z')
    const set = readRelevanceSet()
    const index = make()
    let figures: Awaited<ReturnType<typeof scoreRelevance>>

    before(async function () {
      await index.replaceAll(demoDocuments(now))
      figures = await scoreRelevance(index, set, now)
    })
    after(async function () {
      await drop?.(index)
    })

    it('has at least 60 queries: whole sentences, languages and crisis words among them', function () {
      expect(set.length).to.be.at.least(60)
      expect(set.filter((q: RelevanceQuery) => q.q.split(' ').length >= 5).length).to.be.at.least(20)
      expect(set.filter((q: RelevanceQuery) => q.language != null).length).to.be.at.least(5)
      expect(set.filter((q: RelevanceQuery) => q.crisis === 'risk').length).to.be.at.least(8)
      expect(set.filter((q: RelevanceQuery) => q.crisis === 'abuse').length).to.be.at.least(8)
    })

    it('finds something for every query in the set', function () {
      expect(figures.zeroResultRate, JSON.stringify(figures.misses)).to.equal(0)
    })

    it('has the right kind of service in the top 5 for at least 90% of the set', function () {
      expect(figures.rightKindInTop5, JSON.stringify(figures.misses.map((m) => [m.q, m.top5]))).to.be.at.least(0.9)
    })

    it('keeps precision at 5 above 0.85 (0.90 when last measured), so a change that crowds the first page shows', function () {
      expect(figures.precisionAt5).to.be.at.least(0.85)
    })

    it('shows the urgent-support callout for every crisis query, with the abuse helpline for abuse', function () {
      expect(figures.crisisRecall, JSON.stringify(figures.misses)).to.equal(1)
    })

    it('raises the callout for no search in the set that is not about a crisis', function () {
      expect(figures.falseAlarms).to.deep.equal([])
    })

    it('puts a crisis service first for every search with words of immediate risk', function () {
      expect(figures.crisisServiceFirst).to.equal(1)
    })
  })
}
