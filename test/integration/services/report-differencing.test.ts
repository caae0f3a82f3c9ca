// Differencing: two reports whose periods end a day apart (to 22 and to 23 November) must not reveal the one referral
// made on 23 November. The report service counts whole calendar months whatever the dates asked, so both are one
// report; the facts below are made so that, counted by the day, the practice would read 47 then 48 (45 then 50 once
// rounded) and a need would go from "<5" to 5.
import { expect } from 'chai'
import { createModels } from '../../../server/data/models'
import { createReportFactRepository } from '../../../server/data/repositories/report-fact.repository'
import { NEED_TAXONOMY, termId } from '../../../server/data/taxonomy'
import { filterFacts } from '../../../server/services/reports/filter-facts'
import type { ReportFact } from '../../../server/services/reports/report-facts'
import { createReportService } from '../../../server/services/reports/report.service'
import type { ReportFilters, ReportTable } from '../../../server/services/reports/report-types'
import { useTestDatabase } from '../../helpers/database'
import { reportFact } from '../../helpers/factories'

const PRACTICE = { id: 'practice-differencing', name: 'Differencing Practice', pcn: 'Edge PCN' }
const BEFRIENDING = termId('befriending')
const NOW = new Date('2026-12-07T12:00:00Z')

/** A referral from the practice, submitted at `submittedAt`, for `needs`. */
const fact = (submittedAt: Date, needs: string[]) =>
  reportFact({ submittedAt, needs, practiceId: PRACTICE.id, pcn: PRACTICE.pcn, updatedAt: NOW })

describe('Reports against differencing', () => {
  const database = useTestDatabase('report_differencing')
  const facts: ReportFact[] = []

  before(async () => {
    const models = createModels(database.connection)
    await models.CareOrganisation.create({ _id: PRACTICE.id, kind: 'practice', name: PRACTICE.name, pcn: PRACTICE.pcn })
    // 47 referrals from 1 to 22 November, 4 of them for the need; on 23 November one more, for the need too.
    for (let i = 0; i < 47; i++) {
      const day = 1 + (i % 22)
      facts.push(fact(new Date(Date.UTC(2026, 10, day, 10)), i < 4 ? [BEFRIENDING] : []))
    }
    facts.push(fact(new Date(Date.UTC(2026, 10, 23, 10)), [BEFRIENDING]))
    await createReportFactRepository(database.connection, models).insertMany(facts)
  })

  const period = (to: string): ReportFilters => ({ from: new Date('2026-11-01'), to: new Date(to) })

  it('counted by the day, the two periods would differ by the one referral', () => {
    const count = (to: string) => filterFacts(facts, period(to), [], NEED_TAXONOMY).length
    expect([count('2026-11-22'), count('2026-11-23')]).to.deep.equal([47, 48])
  })

  it('gives the same figures for periods ending on 22 and on 23 November: both are the whole of November', async () => {
    const reports = createReportService({
      facts: createReportFactRepository(database.connection),
      taxonomy: NEED_TAXONOMY,
      clock: () => NOW,
    })
    const table = (tables: ReportTable[], id: string) => tables.find((t) => t.id === id)!
    const [to22, to23, mid] = await Promise.all([
      reports.build('activity', period('2026-11-22')),
      reports.build('activity', period('2026-11-23')),
      reports.build('activity', { from: new Date('2026-11-15'), to: new Date('2026-11-16') }),
    ])
    for (const id of ['by-practice', 'by-need', 'by-month']) {
      expect(table(to22.tables, id).rows, id).to.deep.equal(table(to23.tables, id).rows)
      expect(table(mid.tables, id).rows, id).to.deep.equal(table(to23.tables, id).rows)
    }
    const practice = table(to22.tables, 'by-practice').rows.find((r) => r.label === PRACTICE.name)!
    // 48, rounded to the nearest 5: the month's figure, whichever day the period was asked to end.
    expect(practice.referrals).to.equal(50)
    const need = table(to22.tables, 'by-need').rows.find((r) => r.label === 'Befriending')!
    expect(need.referrals).to.equal(5)
  })
})
