import { expect } from 'chai'
import { TtlCache } from '../../../server/services/ttl-cache'

describe('TtlCache', () => {
  it('forgets entries once they expire', () => {
    let now = 0
    const cache = new TtlCache<string, number>({ max: 10, ttlMs: 100, clock: () => now })
    cache.set('a', 1)
    now = 99
    expect(cache.get('a')).to.equal(1)
    now = 100
    expect(cache.get('a')).to.equal(undefined)
  })

  it('evicts the least recently used entry past its size', () => {
    const cache = new TtlCache<string, number>({ max: 2, ttlMs: 1000 })
    cache.set('a', 1)
    cache.set('b', 2)
    cache.get('a')
    cache.set('c', 3)
    expect(cache.get('b')).to.equal(undefined)
    expect(cache.get('a')).to.equal(1)
    expect(cache.get('c')).to.equal(3)
  })

  it('drops an entry on delete', () => {
    const cache = new TtlCache<string, number>({ max: 2, ttlMs: 1000 })
    cache.set('a', 1)
    cache.delete('a')
    expect(cache.get('a')).to.equal(undefined)
    expect(cache.size).to.equal(0)
  })
})
