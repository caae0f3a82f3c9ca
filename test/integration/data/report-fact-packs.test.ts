// Report facts packed by month, on the real embedded database: the first read of a process with no packs reads every
// fact and packs each month; a new process reads the packs and then only the facts changed since they were written,
// so a change made after packing is counted and a fact older than the packs that is not in them is not read; a
// change packs its month again; a pack in another row layout is ignored.
import { expect } from 'chai'
import { createReportFactRepository } from '../../../server/data/repositories/report-fact.repository'
import { NEED_TAXONOMY } from '../../../server/data/taxonomy'
import { createReportService } from '../../../server/services/reports/report.service'
import { useTestDatabase } from '../../helpers/database'
import { reportFact } from '../../helpers/factories'

const HOUR = 3_600_000

/** A fact submitted and last changed at the times given. */
const fact = (submittedAt: Date, updatedAt: Date) => reportFact({ submittedAt, updatedAt })

describe('report fact packs (embedded database)', function () {
  this.timeout(60_000)
  const db = useTestDatabase('report_fact_packs')
  const repo = () => createReportFactRepository(db.connection)
  const service = () => createReportService({ facts: repo(), taxonomy: NEED_TAXONOMY })
  const period = { from: new Date('2026-01-01'), to: new Date('2026-12-31') }
  const declined = async (reports: ReturnType<typeof service>) => {
    const report = await reports.build('activity', period)
    const row = report.tables.find((t) => t.id === 'decline-reasons')!.rows.find((r) => r.label === 'No capacity')
    return row?.declined
  }
  const now = Date.now()
  /** 30 facts in each of three months, written two hours ago. */
  const facts = [0, 1, 2].flatMap((m) =>
    Array.from({ length: 30 }, (_, k) => fact(new Date(Date.UTC(2026, 8 + m, 1 + k, 10)), new Date(now - 2 * HOUR))),
  )

  it('are written for each month by the first process that reads every fact', async () => {
    await repo().insertMany(facts)
    const first = service()
    expect(await declined(first)).to.equal(0)
    expect(first.size()).to.equal(90)
    await first.packsWritten()
    const packs = await repo().readPacks()
    expect(packs.map((p) => p.month).sort()).to.deep.equal(['2026-09', '2026-10', '2026-11'])
    expect(packs.map((p) => p.count)).to.deep.equal([30, 30, 30])
  })

  it('are read by a new process, with only the facts changed since they were written', async () => {
    const r = repo()
    // Changed since the packs: ten declined, and one new fact in a month with no pack yet.
    for (const f of facts.slice(0, 10))
      await r.upsert({ ...f, status: 'declined', declined: true, declineReason: 'no_capacity', updatedAt: new Date() })
    await r.upsert(fact(new Date(Date.UTC(2026, 11, 2, 9)), new Date()))
    // Older than the packs and not in them: only a process reading every fact would see it.
    await r.insertMany([fact(new Date(Date.UTC(2026, 9, 15)), new Date(now - 3 * HOUR))])
    const second = service()
    expect(await declined(second)).to.equal(10)
    expect(second.size()).to.equal(91)
    await second.packsWritten()
  })

  it('pack again the months whose facts changed', async () => {
    const reader = service()
    await reader.build('activity', period)
    await reader.packsWritten()
    const packs = await repo().readPacks()
    expect(packs.map((p) => p.month).sort()).to.deep.equal(['2026-09', '2026-10', '2026-11', '2026-12'])
    const third = service()
    expect(await declined(third)).to.equal(10)
    expect(third.size()).to.equal(91)
    await third.packsWritten()
  })

  it('in another row layout are not read', async () => {
    await db.connection.collection('report_fact_packs').updateMany({}, { $set: { format: 'an-older-layout' } })
    expect(await repo().readPacks()).to.deep.equal([])
    const fourth = service()
    // Every fact read instead, the one older than the packs too.
    expect(fourth.size()).to.equal(0)
    expect(await declined(fourth)).to.equal(10)
    expect(fourth.size()).to.equal(92)
  })
})
