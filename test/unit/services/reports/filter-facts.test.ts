// The facts of a stretch of time out of facts sorted by when they were submitted, found by binary search: the same
// facts, in the same order, as reading every fact, at the edges too (from is in, to is out).
import { expect } from 'chai'
import { submittedBetween } from '../../../../server/services/reports/filter-facts'
import type { ReportFact } from '../../../../server/domain/report-fact'
import { reportFact } from '../../../helpers/factories'

const at = (iso: string) => Date.parse(iso)
const bySubmitted = (a: ReportFact, b: ReportFact) => a.submittedAt.getTime() - b.submittedAt.getTime()
const slow = (facts: readonly ReportFact[], from: number, to: number) =>
  facts.filter((f) => f.submittedAt.getTime() >= from && f.submittedAt.getTime() < to)

describe('submittedBetween', () => {
  const edges = ['2026-10-31T23:59:59.999Z', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', '2026-11-15T12:00:00Z']
    .concat(['2026-11-30T23:59:59.999Z', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00.001Z'])
    .map((iso) => reportFact({ submittedAt: new Date(iso) }))

  it('takes from the start of the period and stops before its end, keeping ties', () => {
    const november = submittedBetween(edges, at('2026-11-01T00:00:00Z'), at('2026-12-01T00:00:00Z'))
    expect(november).to.deep.equal(edges.slice(1, 5))
  })

  it('gives nothing for an empty list, a period with no facts, or a period that ends where it starts', () => {
    expect(submittedBetween([], 0, Date.now())).to.deep.equal([])
    expect(submittedBetween(edges, at('2027-01-01T00:00:00Z'), at('2027-02-01T00:00:00Z'))).to.deep.equal([])
    expect(submittedBetween(edges, at('2020-01-01T00:00:00Z'), at('2020-02-01T00:00:00Z'))).to.deep.equal([])
    expect(submittedBetween(edges, at('2026-11-01T00:00:00Z'), at('2026-11-01T00:00:00Z'))).to.deep.equal([])
  })

  it('agrees with reading every fact, for a thousand random facts and periods', () => {
    let seed = 7
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647
    const start = at('2026-01-01T00:00:00Z')
    const span = 365 * 86_400_000
    const facts = Array.from({ length: 1000 }, () =>
      reportFact({ submittedAt: new Date(start + Math.floor(random() * 200) * (span / 200)) }),
    ).sort(bySubmitted)
    for (let i = 0; i < 200; i++) {
      const a = start - span / 10 + random() * span * 1.2
      const b = a + random() * span * 0.3
      expect(submittedBetween(facts, a, b)).to.deep.equal(slow(facts, a, b))
    }
  })
})
