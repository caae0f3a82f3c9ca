import { expect } from 'chai'
import { pathFor } from '../../server/paths'

describe('pathFor', () => {
  it('fills and encodes parameters', () => {
    expect(pathFor('/services/:id', { id: 'a b/c' })).to.equal('/services/a%20b%2Fc')
  })

  it('refuses a template with a missing parameter', () => {
    expect(() => pathFor('/services/:id')).to.throw(/missing parameter id/)
  })
})
