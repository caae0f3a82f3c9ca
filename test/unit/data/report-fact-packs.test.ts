// Month packs of report facts: what is packed comes back field for field (dates as dates, nulls as nulls, lists as
// lists), and the month a fact is packed under is its submittedAt's UTC month.
import { expect } from 'chai'
import { REPORT_FACT_FIELDS, type ReportFact } from '../../../server/domain/report-fact'
import { createInterner, packFacts, packMonthOf, unpackFacts } from '../../../server/data/report-fact-packs'
import { reportFact } from '../../helpers/factories'

function fact(id: string, submittedAt: string, over: Partial<ReportFact> = {}): ReportFact {
  const at = new Date(submittedAt)
  return reportFact({
    id,
    submittedAt: at,
    needs: ['need-a', 'need-b'],
    status: 'declined',
    open: false,
    declined: true,
    declineReason: 'no_capacity',
    acknowledgeBy: new Date(at.getTime() + 86_400_000),
    acknowledgedAt: at,
    contactBy: new Date(at.getTime() + 5 * 86_400_000),
    outcomeBy: new Date(at.getTime() + 30 * 86_400_000),
    closedAt: at,
    acknowledgeWorkingDays: 1,
    outcomeDays: 1,
    wellbeingBaseline: 19.98,
    deprivationDecile: 3,
    ethnicity: 'asian-bangladeshi',
    ageBand: '65-74',
    updatedAt: new Date('2026-12-07T09:00:00Z'),
    ...over,
  })
}

describe('report fact packs', () => {
  it('give back every field of every fact as it was packed', async () => {
    const facts = [
      fact('r1', '2026-11-30T23:59:59.999Z'),
      fact('r2', '2026-11-01T00:00:00Z', { kind: 'signposting', status: null, needs: [], unmetNeeds: ['need-c'] }),
    ]
    const unpacked = await unpackFacts(await packFacts(facts), createInterner())
    expect(unpacked).to.deep.equal(facts)
    expect(Object.keys(unpacked[0]!)).to.deep.equal([...REPORT_FACT_FIELDS])
    expect(unpacked[1]!.submittedAt).to.be.instanceOf(Date)
  })

  it('give an empty month back empty', async () => {
    expect(await unpackFacts(await packFacts([]), createInterner())).to.deep.equal([])
  })

  it('pack a fact under its submittedAt month in UTC', () => {
    expect(packMonthOf(fact('a', '2026-11-30T23:59:59.999Z'))).to.equal('2026-11')
    expect(packMonthOf(fact('b', '2026-12-01T00:00:00Z'))).to.equal('2026-12')
  })
})
