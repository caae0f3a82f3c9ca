import { expect } from 'chai'
import { EmbeddedSearchIndex } from '../../server/data/search/embedded-index'
import { FIXTURES, NOW } from './fixtures'
import { searchIndexContract } from './search-index.contract'

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
