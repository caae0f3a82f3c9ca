import { expect } from 'chai'
import { isValidPostcode, normalisePostcode, parsePostcode } from '../../../../server/data/geo/postcode'

describe('postcode', () => {
  it('normalises what people type to the standard form', () => {
    expect(normalisePostcode('nw44bg')).to.equal('NW4 4BG')
    expect(normalisePostcode('  en5   4qt ')).to.equal('EN5 4QT')
    expect(normalisePostcode('N20 0EJ')).to.equal('N20 0EJ')
    expect(normalisePostcode('ec1a1bb')).to.equal('EC1A 1BB')
  })

  it('accepts an outward code on its own', () => {
    expect(parsePostcode('nw4')).to.deep.equal({ kind: 'outcode', postcode: 'NW4', outcode: 'NW4', incode: null })
  })

  it('splits a full postcode into outward and inward codes', () => {
    expect(parsePostcode('HA8 0UB')).to.deep.include({ kind: 'postcode', outcode: 'HA8', incode: '0UB' })
  })

  it('rejects text that is not a UK postcode', () => {
    for (const bad of ['', 'hello', '12345', 'NW4 4B', 'NWW4 4BG', 'N20 0EJX']) {
      expect(isValidPostcode(bad), bad).to.equal(false)
    }
  })
})
