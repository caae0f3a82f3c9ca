// The Meilisearch adapter's settings and document mapping, checked without a server (none can run on the build
// machines; the shared contract suite runs against a real one when MEILI_URL is set).
import { expect } from 'chai'
import { fromStored, SEARCH_DEFAULTS, SETTINGS, toStored } from '../../../../server/data/search/meilisearch-index'
import { FIXTURES } from '../../../contract/fixtures'

describe('Meilisearch adapter settings', () => {
  it('displays every field, so hits carry the document and Meilisearch adds _geoDistance', () => {
    expect(SETTINGS.displayedAttributes).to.deep.equal(['*'])
    expect(SEARCH_DEFAULTS.attributesToRetrieve).to.deep.equal(['*'])
  })

  it('searches the attribute words after the listing’s own name and keywords', () => {
    expect(SETTINGS.searchableAttributes).to.deep.equal([
      'name',
      'keywords',
      'attributeWords',
      'organizationName',
      'description',
    ])
  })

  it('keeps the listings with most words when not every word matches', () => {
    expect(SEARCH_DEFAULTS.matchingStrategy).to.equal('frequency')
  })

  it('sends lay phrases with and without their stop words, and the stop words', () => {
    const synonyms = SETTINGS.synonyms as Record<string, string[]>
    expect(synonyms['hits me']).to.include('domestic abuse')
    expect(synonyms.hits).to.include('domestic abuse')
    expect(synonyms['back work']).to.include('employment')
    expect(SETTINGS.stopWords).to.include.members(['im', 'my', 'since'])
  })

  it('gives back the document as it was indexed, whatever Meilisearch adds to a hit', () => {
    for (const doc of FIXTURES) {
      const stored = toStored(doc)
      expect(stored.attributeWords).to.be.an('array')
      const hit = { ...stored, _geoDistance: 1234, _rankingScoreDetails: {} }
      expect(fromStored(hit), doc.id).to.deep.equal(doc)
    }
  })

  it('stores a listing flagged by the freshness process as never checked for ranking, keeping its date', () => {
    const doc = { ...FIXTURES[0]!, freshnessFlagged: true }
    const stored = toStored(doc)
    expect(stored.assuredTs).to.equal(0)
    expect(fromStored(stored).assuredDate).to.equal(doc.assuredDate)
  })
})
