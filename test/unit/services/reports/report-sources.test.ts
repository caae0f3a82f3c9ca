import { expect } from 'chai'
import type { SearchMissRecord } from '../../../../server/domain/directory-records'
import type { ServiceHealthRow } from '../../../../server/data/repositories/report-sources.repository'
import { createDirectorySources, inPeriod, median } from '../../../../server/services/reports/report-sources'
import { NEED_TAXONOMY } from '../../../../server/data/taxonomy'
import { mayIdentify, searchVocabulary, shownPhrase } from '../../../../server/services/reports/unmet-need'

const miss = (id: string, at: Date): SearchMissRecord => ({
  id,
  at,
  needs: [],
  outcode: null,
  words: null,
  resultCount: 0,
})

describe('report sources', () => {
  describe('createDirectorySources', () => {
    it('reads misses once, then only those since the last read (with an overlap), and never counts one twice', async () => {
      let now = new Date('2026-06-01T12:00:00Z')
      const stored: SearchMissRecord[] = [miss('a', new Date('2026-05-01'))]
      const asked: (Date | null)[] = []
      const sources = createDirectorySources({
        repo: {
          async searchMissesSince(since) {
            asked.push(since)
            return stored.filter((m) => !since || m.at > since)
          },
          async serviceHealthRows() {
            return [] as ServiceHealthRow[]
          },
        },
        refreshMs: 60_000,
        clock: () => now,
      })
      expect((await sources.searchMisses()).map((m) => m.id)).to.deep.equal(['a'])
      stored.push(miss('b', new Date('2026-06-01T11:59:00Z')), miss('c', new Date('2026-06-01T12:01:00Z')))
      // Within the refresh interval: the same figures, no read.
      expect(await sources.searchMisses()).to.have.length(1)
      expect(asked).to.have.length(1)
      now = new Date('2026-06-01T12:02:00Z')
      await sources.searchMisses() // starts a refresh in the background
      await new Promise((resolve) => setImmediate(resolve))
      expect((await sources.searchMisses()).map((m) => m.id).sort()).to.deep.equal(['a', 'b', 'c'])
      expect(asked[1]).to.deep.equal(new Date('2026-06-01T11:55:00Z'))
    })

    it('refreshes service rows with those written since, and reads every row after a bulk write', async () => {
      let now = new Date('2026-06-01T12:00:00Z')
      let stamp = 'one'
      const full: string[] = []
      const since: Date[] = []
      const row = (id: string, status = 'active') => ({ id, status }) as ServiceHealthRow
      let stored = [row('s1'), row('s2')]
      const sources = createDirectorySources({
        repo: {
          searchMissesSince: async () => [],
          async serviceHealthRows() {
            full.push(stamp)
            return stored
          },
          async serviceHealthRowsChangedSince(from) {
            since.push(from)
            return [row('s2', 'inactive'), row('s3')]
          },
          bulkWriteStamp: async () => stamp,
        },
        refreshMs: 1000,
        clock: () => now,
      })
      expect((await sources.services()).map((r) => r.id)).to.deep.equal(['s1', 's2'])
      now = new Date('2026-06-01T12:00:05Z')
      await sources.services()
      await new Promise((resolve) => setImmediate(resolve))
      const merged = await sources.services()
      expect(merged.map((r) => `${r.id}:${r.status}`)).to.deep.equal(['s1:active', 's2:inactive', 's3:active'])
      expect(since).to.deep.equal([new Date('2026-06-01T11:55:00Z')])
      expect(full).to.deep.equal(['one'])
      stamp = 'two'
      stored = [row('s9')]
      now = new Date('2026-06-01T12:00:10Z')
      await sources.services()
      await new Promise((resolve) => setImmediate(resolve))
      expect((await sources.services()).map((r) => r.id)).to.deep.equal(['s9'])
      expect(full).to.deep.equal(['one', 'two'])
    })

    it('keeps the last service rows when a refresh fails', async () => {
      let now = new Date('2026-06-01T12:00:00Z')
      let fail = false
      const row = { id: 's1' } as ServiceHealthRow
      const sources = createDirectorySources({
        repo: {
          searchMissesSince: async () => [],
          async serviceHealthRows() {
            if (fail) throw new Error('database gone')
            return [row]
          },
        },
        refreshMs: 1000,
        servicesRefreshMs: 1000,
        clock: () => now,
      })
      expect(await sources.services()).to.deep.equal([row])
      fail = true
      now = new Date('2026-06-01T12:00:05Z')
      expect(await sources.services()).to.deep.equal([row])
      await new Promise((resolve) => setImmediate(resolve))
      expect(await sources.services()).to.deep.equal([row])
      expect(sources.servicesAsOf()).to.deep.equal(new Date('2026-06-01T12:00:00Z'))
    })
  })

  it('inPeriod counts whole days, both ends included', () => {
    const period = { from: new Date('2026-01-01'), to: new Date('2026-01-31') }
    expect(inPeriod(new Date('2026-01-01T00:00:00Z'), period)).to.equal(true)
    expect(inPeriod(new Date('2026-01-31T23:59:59Z'), period)).to.equal(true)
    expect(inPeriod(new Date('2026-02-01T00:00:00Z'), period)).to.equal(false)
    expect(inPeriod(new Date('2025-12-31T23:59:59Z'), period)).to.equal(false)
  })

  it('median takes the middle value, or the mean of the middle two', () => {
    expect(median([])).to.equal(null)
    expect(median([5, 1, 3])).to.equal(3)
    expect(median([4, 1, 3, 2])).to.equal(2.5)
  })

  it('shows a search phrase only in controlled words: lower case, single spaces, no name, number or address', () => {
    const words = searchVocabulary(NEED_TAXONOMY)
    expect(shownPhrase('  Bereavement   URDU \t', words)).to.equal('bereavement urdu')
    expect(shownPhrase('Money worries: debt!', words)).to.equal('money worries debt')
    // A need's name is in the vocabulary, though the lay-language file may not have it.
    expect(shownPhrase(NEED_TAXONOMY[0]!.name, words)).to.equal(NEED_TAXONOMY[0]!.name.toLowerCase())
    // A name, however often typed, is not a word of the vocabulary; nor is a street or a typo.
    for (const personal of ['Margaret Thornbury', 'help for mrs thornbury', 'carers acacia avenue', 'lonley'])
      expect(shownPhrase(personal, words), personal).to.equal(null)
    // Phrases with a number, an email or a web address never reach a report, however often they were typed.
    for (const personal of ['943 476 5919', 'jo.bloggs@example.org', 'nw4 4bt', 'born 1950', 'www.example.org']) {
      expect(mayIdentify(personal), personal).to.equal(true)
      expect(shownPhrase(personal, words), personal).to.equal(null)
    }
    expect(shownPhrase('', words)).to.equal(null)
  })
})
