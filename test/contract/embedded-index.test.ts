import { expect } from 'chai'
import { EmbeddedSearchIndex } from '../../server/data/search/embedded-index'
import { FACET_NAMES, type SearchQuery } from '../../server/data/search/search-index'
import { FIXTURES, NOW } from './fixtures'
import { searchIndexContract } from './search-index.contract'
import { syntheticDocuments } from './synthetic-documents'

searchIndexContract('embedded', async () => new EmbeddedSearchIndex())

describe('EmbeddedSearchIndex: recent results', () => {
  it('answers a repeated search from its recent results, and forgets them all on any write', async () => {
    const index = new EmbeddedSearchIndex()
    await index.replaceAll(FIXTURES)
    const query = { text: 'befriending', facets: ['needs' as const], now: NOW }
    const first = await index.search(query)
    expect(await index.search({ ...query })).to.deep.equal(first)
    expect(index.cacheStats()).to.deep.equal({ hits: 1, misses: 1 })

    const chatty = FIXTURES.find((doc) => doc.id === 'chatty-cafe')!
    await index.upsert([{ ...chatty, name: 'Befriending Cafe' }])
    const after = await index.search(query)
    expect(index.cacheStats()).to.deep.equal({ hits: 1, misses: 2 })
    expect(after.hits.find((hit) => hit.id === 'chatty-cafe')?.document.name).to.equal('Befriending Cafe')
  })

  it('hands back the same document object while a listing is unchanged, and a new one once it changes', async () => {
    const index = new EmbeddedSearchIndex({ resultCache: 0 })
    await index.replaceAll(FIXTURES)
    const query = { text: 'chatty', now: NOW }
    const first = (await index.search(query)).hits.find((hit) => hit.id === 'chatty-cafe')!.document
    expect((await index.search(query)).hits.find((hit) => hit.id === 'chatty-cafe')!.document).to.equal(first)

    await index.upsert([{ ...first, name: 'Chatty Cafe and Garden' }])
    const changed = (await index.search(query)).hits.find((hit) => hit.id === 'chatty-cafe')!.document
    expect(changed).not.to.equal(first)
    expect(changed.name).to.equal('Chatty Cafe and Garden')
  })

  it('keeps nothing when told to keep no results', async () => {
    const index = new EmbeddedSearchIndex({ resultCache: 0 })
    await index.replaceAll(FIXTURES)
    await index.search({ text: 'befriending', now: NOW })
    await index.search({ text: 'befriending', now: NOW })
    expect(index.cacheStats()).to.deep.equal({ hits: 0, misses: 2 })
  })
})

describe('EmbeddedSearchIndex: facet counts at size', () => {
  // Counts come from each match's own values when the matches are few, from bitsets when they are many: both ways
  // must give what counting the matching documents by hand gives.
  it('counts every facet value as the matching documents themselves do, for few matches and for many', async () => {
    const docs = syntheticDocuments(12_000, 7)
    const index = new EmbeddedSearchIndex({ resultCache: 0 })
    await index.replaceAll(docs)
    const byId = new Map(docs.map((doc) => [doc.id, doc]))
    for (const query of [
      { filters: { needs: ['N01.1'], languages: ['pl'] } },
      { filters: { needs: ['N02'] } },
      {},
    ] satisfies SearchQuery[]) {
      const result = await index.search({ ...query, perPage: 100, facets: [...FACET_NAMES], now: NOW })
      const matched: string[] = []
      for (let page = 1; matched.length < result.total; page++) {
        matched.push(...(await index.search({ ...query, page, perPage: 100, now: NOW })).hits.map((hit) => hit.id))
      }
      const expected: Record<string, Record<string, number>> = {}
      for (const name of FACET_NAMES) {
        const counts: Record<string, number> = {}
        for (const id of matched) {
          const value = byId.get(id)![name]
          for (const v of Array.isArray(value) ? value : [value]) counts[String(v)] = (counts[String(v)] ?? 0) + 1
        }
        expected[name] = counts
      }
      expect(result.facets, JSON.stringify(query)).to.deep.equal(expected)
    }
  })
})
