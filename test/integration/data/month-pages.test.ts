// Paging month by month on the real database: every page newest first, the same as sorting the whole list, with the
// right total, whichever months are cached; large months read a day at a time; a date range; people found by NHS
// number, date of birth or name words.
import { expect } from 'chai'
import type { AuditEventRecord } from '../../../server/domain/account-records'
import { createModels } from '../../../server/data/models'
import { createAuditRepository } from '../../../server/data/repositories/audit.repository'
import { monthOf, monthsBetween, setBucketCounter } from '../../../server/data/repositories/month-pages'
import { createEnginePager, type EnginePager } from '../../../server/data/embedded-db/engine-pages'
import { createPersonRepository, nameKeys } from '../../../server/data/repositories/person.repository'
import { useTestDatabase } from '../../helpers/database'
import { personRecord } from '../../helpers/factories'

const DAY = 86_400_000

describe('Lists paged month by month', () => {
  const database = useTestDatabase('month_pages')
  const now = new Date()
  // 70 events over the last four months (some days have two), by two actors.
  const events: AuditEventRecord[] = Array.from({ length: 70 }, (_, i) => ({
    id: `event-${String(i).padStart(3, '0')}`,
    at: new Date(now.getTime() - Math.floor(i * 1.7) * DAY - i * 1000),
    actorId: i % 3 === 0 ? 'actor-b' : 'actor-a',
    actorEmail: i % 3 === 0 ? 'b@example.org' : 'a@example.org',
    action: 'person.viewed',
    recordType: 'person',
    recordId: `person-${i % 5}`,
    ip: null,
    detail: null,
  }))
  const newest = (list: AuditEventRecord[]) => [...list].sort((a, b) => b.at.getTime() - a.at.getTime())
  const engines: EnginePager[] = []
  after(() => Promise.all(engines.map((e) => e.close())))

  before(async () => {
    const audit = createAuditRepository(database.connection)
    for (const e of events) await audit.append(e)
  })

  it('lists the months between two months, newest first', () => {
    expect(monthsBetween('2026-02', '2025-11')).to.deep.equal(['2026-02', '2026-01', '2025-12', '2025-11'])
  })

  it('gives every page newest first with the total, the same on a second reading (counts cached)', async () => {
    const audit = createAuditRepository(database.connection)
    const expected = newest(events).map((e) => e.id)
    for (let round = 0; round < 2; round++) {
      const seen: string[] = []
      for (let page = 1; page <= 3; page++) {
        const { events: shown, total } = await audit.search({ limit: 25, skip: (page - 1) * 25 })
        expect(total).to.equal(70)
        seen.push(...shown.map((e) => e.id))
      }
      expect(seen).to.deep.equal(expected)
    }
  })

  it('pages one actor, and shows the last page for a page past the end', async () => {
    // Nothing is cached for this actor yet, so page 2 is found by reading the months before it.
    const audit = createAuditRepository(database.connection)
    const mine = newest(events.filter((e) => e.actorId === 'actor-b'))
    const page2 = await audit.search({ actorId: 'actor-b', limit: 10, skip: 10 })
    expect(page2.total).to.equal(mine.length)
    expect(page2.events.map((e) => e.id)).to.deep.equal(mine.slice(10, 20).map((e) => e.id))
    const past = await audit.search({ actorEmail: 'b@example.org', limit: 10, skip: 1000 })
    expect(past.events.map((e) => e.id)).to.deep.equal(mine.slice(20).map((e) => e.id))
  })

  it("counts a scope's months and days in one query from the engine's own tables, as the pages' totals", async () => {
    const engine = createEnginePager({
      postgresUrl: process.env.TEST_POSTGRES_URL!,
      database: database.connection.name,
    })
    after(() => engine.close())
    const mine = events.filter((x) => x.actorId === 'actor-b')
    const tally = (key: (e: AuditEventRecord) => string) => {
      const out = new Map<string, number>()
      for (const e of mine) out.set(key(e), (out.get(key(e)) ?? 0) + 1)
      return out
    }
    expect(await engine.countBy({ collection: 'audit_events', match: { actorId: 'actor-b' } }, 'month')).to.deep.equal(
      tally((e) => monthOf(e.at)),
    )
    expect(
      await engine.countBy(
        { collection: 'audit_events', match: { actorId: 'actor-b', action: 'person.viewed' } },
        'day',
      ),
    ).to.deep.equal(tally((e) => e.at.toISOString().slice(0, 10)))
    expect(await engine.countBy({ collection: 'audit_events', match: { actorId: 'nobody' } }, 'month')).to.deep.equal(
      new Map(),
    )
    // The connection's pager counts with it from now on (the tests below too): the same pages and totals.
    setBucketCounter(database.connection, (c, m, f) => engine.countBy({ collection: c, match: m }, f))
    const audit = createAuditRepository(database.connection)
    const { events: shown, total } = await audit.search({ actorId: 'actor-b', limit: 10, skip: 10 })
    expect(total).to.equal(mine.length)
    expect(shown.map((e) => e.id)).to.deep.equal(
      newest(mine)
        .slice(10, 20)
        .map((e) => e.id),
    )
  })

  it('keeps to a date range that starts and ends mid-month', async () => {
    const audit = createAuditRepository(database.connection)
    const from = new Date(now.getTime() - 80 * DAY)
    const to = new Date(now.getTime() - 20 * DAY)
    const inRange = newest(events.filter((e) => e.at >= from && e.at < to))
    const { events: shown, total } = await audit.search({ from, to, limit: 100, skip: 0 })
    expect(total).to.equal(inRange.length)
    expect(shown.map((e) => e.id)).to.deep.equal(inRange.map((e) => e.id))
  })

  it('puts an event written now at the top, and counts it', async () => {
    const audit = createAuditRepository(database.connection)
    await audit.append({ ...events[0]!, id: 'event-new', at: new Date() })
    const { events: shown, total } = await audit.search({ limit: 5, skip: 0 })
    expect(total).to.equal(71)
    expect(shown[0]!.id).to.equal('event-new')
  })

  describe('a large list, whose months are read a day at a time', () => {
    // 420 events by one actor, one every 2.5 hours back from now: about ten a day over six weeks, so at least one
    // month boundary and months far larger than a page.
    const bulk: AuditEventRecord[] = Array.from({ length: 420 }, (_, i) => ({
      ...events[0]!,
      id: `bulk-${String(i).padStart(3, '0')}`,
      at: new Date(now.getTime() - i * 2.5 * 3_600_000 - 60_000),
      actorId: 'actor-bulk',
      actorEmail: 'bulk@example.org',
      recordId: 'bulk-record',
    }))

    before(async () => {
      const audit = createAuditRepository(database.connection)
      for (const e of bulk) await audit.append(e)
    })

    it('gives every page complete and in order with the total, across month boundaries, twice', async () => {
      const audit = createAuditRepository(database.connection)
      const expected = newest(bulk).map((e) => e.id)
      const months = new Set(bulk.map((e) => e.at.toISOString().slice(0, 7)))
      expect(months.size).to.be.greaterThan(1)
      for (let round = 0; round < 2; round++) {
        const seen: string[] = []
        for (let page = 1; page <= 17; page++) {
          const { events: shown, total } = await audit.search({
            actorId: 'actor-bulk',
            limit: 25,
            skip: (page - 1) * 25,
          })
          expect(total, `round ${round} page ${page}`).to.equal(420)
          seen.push(...shown.map((e) => e.id))
        }
        expect(seen, `round ${round}`).to.deep.equal(expected)
      }
      const stored = await createModels(database.connection).AuditEvent.findById('bulk-000').lean()
      expect(stored).to.include({ day: bulk[0]!.at.toISOString().slice(0, 10) })
    })

    it('finds a deep page first, with nothing counted for its list yet', async () => {
      const audit = createAuditRepository(database.connection)
      const expected = newest(bulk).map((e) => e.id)
      const page12 = await audit.search({ recordId: 'bulk-record', limit: 25, skip: 11 * 25 })
      expect(page12.total).to.equal(420)
      expect(page12.events.map((e) => e.id)).to.deep.equal(expected.slice(275, 300))
    })

    it('counts an event written with an earlier date after the list was read, in its place', async () => {
      const audit = createAuditRepository(database.connection)
      const late = { ...bulk[0]!, id: 'bulk-late', at: new Date(now.getTime() - 100 * 3_600_000 - 30_000) }
      await audit.append(late)
      const expected = newest([...bulk, late]).map((e) => e.id)
      const seen: string[] = []
      for (let page = 1; page <= 17; page++) {
        const { events: shown, total } = await audit.search({ actorId: 'actor-bulk', limit: 25, skip: (page - 1) * 25 })
        expect(total).to.equal(421)
        seen.push(...shown.map((e) => e.id))
      }
      expect(seen).to.deep.equal(expected)
    })
  })

  describe('people', () => {
    before(async () => {
      const people = createPersonRepository(database.connection)
      await people.insert(
        personRecord('p1', { givenName: 'Anne-Marie', familyName: "O'Néil", nhsNumber: '9434765919' }),
      )
      await people.insert(personRecord('p2', { familyName: 'Smith-Jones', dateOfBirth: '1960-03-04' }))
      await people.insert(personRecord('p3'))
      await people.insert(personRecord('p4', { teamId: 'team-2' }))
    })

    it('makes lowercase name words without accents', () => {
      expect(nameKeys('Anne-Marie', "O'Néil")).to.deep.equal(['anne', 'marie', 'o', 'neil'])
    })

    it('finds people on the given teams by NHS number, date of birth or every name word', async () => {
      const people = createPersonRepository(database.connection)
      const ids = async (q: Parameters<typeof people.search>[1], teams = ['team-1']) =>
        (await people.search(teams, q)).map((p) => p.id).sort()
      expect(await ids({ nhsNumber: '9434765919' })).to.deep.equal(['p1'])
      expect(await ids({ dateOfBirth: '1960-03-04' })).to.deep.equal(['p2'])
      expect(await ids({ name: 'smith' })).to.deep.equal(['p2', 'p3'])
      expect(await ids({ name: 'Jane SMITH' })).to.deep.equal(['p2', 'p3'])
      expect(await ids({ name: 'neil' })).to.deep.equal(['p1'])
      expect(await ids({ name: 'smith' }, ['team-2'])).to.deep.equal(['p4'])
      expect(await ids({ name: 'smi' })).to.deep.equal([])
      expect(await ids({})).to.deep.equal([])
    })

    it('pages a caseload newest first with its total', async () => {
      const people = createPersonRepository(database.connection)
      const page = await people.pageByTeam(['team-1'], 1, 2)
      expect(page.total).to.equal(3)
      expect(page.items.map((p) => p.id)).to.deep.equal(['p3', 'p2'])
      const stored = await createModels(database.connection).Person.findById('p3').lean()
      expect(stored).to.include({ month: now.toISOString().slice(0, 7), day: now.toISOString().slice(0, 10) })
    })
  })
})
