// Lists paged by the embedded engine's PostgreSQL in one query (engine-pages.ts): every list gives the same pages and
// totals as the month walk that serves other servers, each page newest first, and PostgreSQL walks the models'
// compound indexes to find a page rather than sorting the whole scope.
import { expect } from 'chai'
import { wrapConnection } from '../../../server/data/db'
import { createEnginePager, pageStatements, type EnginePager } from '../../../server/data/embedded-db/engine-pages'
import { tablesOf } from '../../../server/data/embedded-db/engine-indexes'
import { createModels, type Models } from '../../../server/data/models'
import { createAuditRepository } from '../../../server/data/repositories/audit.repository'
import { setEnginePager, type Page } from '../../../server/data/repositories/month-pages'
import { createPersonRepository } from '../../../server/data/repositories/person.repository'
import { createReferralOutcomeRepository } from '../../../server/data/repositories/referral-outcome.repository'
import { createReferralRepository } from '../../../server/data/repositories/referral.repository'
import { createSyntheticReferralRepository } from '../../../server/data/repositories/synthetic-referrals.repository'
import type { AuditEventRecord } from '../../../server/domain/account-records'
import type { ReferralRecord } from '../../../server/domain/referral-records'
import {
  generateSyntheticReferrals,
  syntheticCareOrganisations,
} from '../../../server/services/demo/generate-referrals'
import { useTestDatabase } from '../../helpers/database'
import { demoSyntheticServices } from '../../helpers/factories'
import { useEnginePostgres } from '../../helpers/engine-postgres'

const NOW = new Date('2026-06-01T12:00:00Z')
const DAY = 86_400_000

/** The most frequent value of `key` among `list`. */
function busiest<T>(list: readonly T[], key: (item: T) => string): string {
  const counts = new Map<string, number>()
  for (const item of list) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0]
}

describe('Lists paged by the engine (FerretDB on PostgreSQL)', function () {
  this.timeout(120_000)
  const database = useTestDatabase('engine-pages')
  const engine = useEnginePostgres(database)
  let models: Models
  let pager: EnginePager
  const referrals: ReferralRecord[] = []
  const events: AuditEventRecord[] = Array.from({ length: 90 }, (_, i) => ({
    id: `event-${String(i).padStart(3, '0')}`,
    // Some share a time to the millisecond, as a burst of page views does.
    at: new Date(NOW.getTime() - Math.floor(i / 3) * 2.3 * DAY),
    actorId: i % 4 === 0 ? 'actor-b' : 'actor-a',
    actorEmail: i % 4 === 0 ? 'b@example.org' : 'a@example.org',
    action: i % 5 === 0 ? 'referral.viewed' : 'person.viewed',
    recordType: 'person',
    recordId: `person-${i % 7}`,
    ip: null,
    detail: { note: i },
  }))

  before(async () => {
    models = createModels(database.connection)
    await Promise.all(Object.values(models).map((m) => m.init()))
    const services = demoSyntheticServices(NOW)
    const { practices, teams } = syntheticCareOrganisations()
    const synthetic = createSyntheticReferralRepository(database.connection, models)
    for (const batch of generateSyntheticReferrals({ seed: 11, count: 700, services, practices, teams, now: NOW })) {
      await synthetic.insertBatch(batch)
      referrals.push(...batch.referrals)
    }
    const audit = createAuditRepository(database.connection, models)
    for (const event of events) await audit.append(event)
    await wrapConnection(database.connection, { postgresUrl: engine.url() }).ensureIndexes()
    // The wrapper lets the engine page this connection's lists; each test below chooses for itself.
    setEnginePager(database.connection, undefined)
    pager = createEnginePager({ postgresUrl: engine.url()!, database: database.connection.name })
  })
  after(() => pager?.close())

  /** Every page of a list, read first by the month walk and then by the engine: the same pages and totals. */
  async function bothWays<T extends { id: string }>(read: (page: number) => Promise<Page<T>>) {
    const all = async () => {
      const first = await read(1)
      const pages = [first]
      for (let p = 2; p <= Math.ceil(first.total / first.perPage); p++) pages.push(await read(p))
      return { total: first.total, pages: pages.map((p) => p.items.map((i) => i.id)), beyond: await read(10_000) }
    }
    const walked = await all()
    setEnginePager(database.connection, pager)
    try {
      const paged = await all()
      expect(paged.total).to.equal(walked.total)
      // The same documents on each page: both cut their pages from one order, dates and then ids (events of one
      // millisecond straddle the pages here).
      const sorted = (pages: string[][]) => pages.map((ids) => [...ids].sort())
      expect(sorted(paged.pages)).to.deep.equal(sorted(walked.pages))
      expect(new Set(paged.pages.flat()).size).to.equal(paged.total)
      expect(paged.pages.map((p) => p.length)).to.deep.equal(walked.pages.map((p) => p.length))
      expect(paged.beyond.page).to.equal(walked.beyond.page)
      expect(paged.beyond.items.map((i) => i.id)).to.have.members(walked.beyond.items.map((i) => i.id))
      return paged
    } finally {
      setEnginePager(database.connection, undefined)
    }
  }

  const newestFirst = (times: Date[]) => times.every((t, i) => i === 0 || t.getTime() <= times[i - 1]!.getTime())

  it("pages a team's referrals, an organisation's closed ones and a practice's filters as the month walk does", async () => {
    const repository = createReferralRepository(database.connection, models)
    const team = busiest(referrals, (r) => r.teamId)
    const byTeam = await bothWays((p) => repository.pageByTeam([team], p))
    expect(byTeam.total).to.equal(referrals.filter((r) => r.teamId === team).length)
    expect(byTeam.pages.length).to.be.greaterThan(2)
    setEnginePager(database.connection, pager)
    const shown = await repository.pageByTeam([team], 2)
    setEnginePager(database.connection, undefined)
    expect(newestFirst(shown.items.map((r) => r.submittedAt))).to.equal(true)
    expect(shown.items[0]).to.not.have.property('events')

    const organisation = busiest(referrals, (r) => r.organisationId)
    const open = await repository.listOpenByOrganisation(organisation)
    const closed = await bothWays((p) => repository.pageClosedByOrganisation([organisation], open, p))
    expect(closed.total).to.equal(referrals.filter((r) => r.organisationId === organisation && !r.open).length)

    const outcomes = createReferralOutcomeRepository(database.connection, models)
    const practice = busiest(referrals, (r) => r.practiceId ?? '')
    const all = await bothWays((p) => outcomes.pageByPractice(practice, p))
    const stored = await models.Referral.find({ practiceId: practice, gpFeedbackConsent: true }).lean()
    expect(all.total).to.equal(stored.length)
    const didNotEngage = await bothWays((p) => outcomes.pageByPractice(practice, p, 25, 'gpDidNotEngage'))
    expect(didNotEngage.total).to.equal(stored.filter((r) => r.gpDidNotEngage).length)
    expect(didNotEngage.total).to.be.greaterThan(0)
  })

  it("counts an organisation's inbox tabs and pages an open tab as reading its open referrals whole does", async () => {
    const repository = createReferralRepository(database.connection, models)
    const organisation = busiest(referrals, (r) => r.organisationId)
    expect(await repository.inboxCounts([organisation])).to.equal(null)
    const open = await repository.listOpenByOrganisation(organisation)
    const statuses = [busiest(open, (r) => r.status), 'no-such-status']
    const walked = await bothWays((p) => repository.pageOpenByOrganisation([organisation], statuses, p, 2))
    expect(walked.total).to.equal(open.filter((r) => statuses.includes(r.status)).length)
    expect(walked.total).to.be.greaterThan(2)

    setEnginePager(database.connection, pager)
    try {
      const counted = await repository.inboxCounts([organisation])
      const byStatus = new Map<string, number>()
      for (const r of open) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1)
      expect(counted!.open).to.deep.equal(byStatus)
      expect(counted!.closed).to.equal(referrals.filter((r) => r.organisationId === organisation && !r.open).length)
      const second = await repository.pageOpenByOrganisation([organisation], statuses, 2, 2)
      expect(second.items.map((r) => r.id)).to.deep.equal(
        open
          .filter((r) => statuses.includes(r.status))
          .slice(2, 4)
          .map((r) => r.id),
      )
      expect(second.items[0]).to.not.have.property('events')
    } finally {
      setEnginePager(database.connection, undefined)
    }
  })

  it('keeps a total while nothing is written, and counts again after a write through this process', async () => {
    const repository = createReferralRepository(database.connection, models)
    const team = busiest(referrals, (r) => r.teamId)
    setEnginePager(database.connection, pager)
    try {
      const before = (await repository.pageByTeam([team], 1)).total
      // A row written past this process (another instance) shows in the total only once it is counted again.
      const template = referrals.find((r) => r.teamId === team)!
      const { id: _id, ...rest } = template
      await models.Referral.collection.insertOne({
        ...rest,
        _id: 'written-elsewhere',
        idempotencyKey: 'elsewhere',
      } as never)
      expect((await repository.pageByTeam([team], 1)).total).to.equal(before)
      expect(
        await repository.insertOnce({ ...template, id: 'written-here', idempotencyKey: 'here', submittedAt: NOW }),
      ).to.equal(true)
      const after = await repository.pageByTeam([team], 1)
      expect(after.total).to.equal(before + 2)
      expect(after.items[0]!.id).to.equal('written-here')
    } finally {
      setEnginePager(database.connection, undefined)
      await models.Referral.deleteMany({ _id: { $in: ['written-elsewhere', 'written-here'] } })
    }
  })

  it("pages a team's caseload and signpostings as the month walk does", async () => {
    const people = createPersonRepository(database.connection, models)
    const team = busiest(referrals, (r) => r.teamId)
    const caseload = await bothWays((p) => people.pageByTeam([team], p))
    expect(caseload.total).to.be.greaterThan(25)
    const repository = createReferralRepository(database.connection, models)
    await bothWays((p) => repository.pageSignpostingsByTeam([team], p))
  })

  it('pages the audit log, by one field and within a date range, newest first', async () => {
    const audit = createAuditRepository(database.connection, models)
    const read = (query: Partial<Parameters<typeof audit.search>[0]>) => (page: number) =>
      audit
        .search({ limit: 20, skip: (page - 1) * 20, ...query })
        .then(({ events: items, total }) => ({ items, total, page, perPage: 20 }))
    const from = new Date(NOW.getTime() - 80 * DAY)
    const to = new Date(NOW.getTime() - 20 * DAY)
    const inRange = events.filter((e) => e.at >= from && e.at < to)
    const ranged = await bothWays(read({ from, to }))
    expect(ranged.total).to.equal(inRange.length)
    expect(ranged.pages.flat()).to.have.members(inRange.map((e) => e.id))
    const byActor = await bothWays(read({ actorId: 'actor-b' }))
    expect(byActor.total).to.equal(events.filter((e) => e.actorId === 'actor-b').length)
    await bothWays(read({ action: 'referral.viewed', recordId: 'person-0' }))

    setEnginePager(database.connection, pager)
    const page = await audit.search({ limit: 30, skip: 30 })
    setEnginePager(database.connection, undefined)
    // Events come in threes at one time, so a page of 30 from 30 on holds exactly the 11th to 20th threes.
    const expected = [...events].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(30, 60)
    expect(page.events.map((e) => e.id)).to.have.members(expected.map((e) => e.id))
    expect(page.events.map((e) => e.at.getTime())).to.deep.equal(expected.map((e) => e.at.getTime()))
    expect(page.events[0]!.detail).to.deep.equal(events.find((e) => e.id === page.events[0]!.id)!.detail)
    expect(page.events[0]!.at).to.be.instanceOf(Date)
  })

  it('reads a bounded set and records by id exactly as FerretDB returns them', async () => {
    const byId = (docs: Record<string, unknown>[]) =>
      [...docs].sort((a, b) => String(a._id).localeCompare(String(b._id)))
    const organisation = busiest(referrals, (r) => r.organisationId)
    const exclude = ['events', 'messages']
    const listed = await pager.list({
      model: models.Referral,
      match: { organisationId: organisation, open: true },
      order: 'submittedAt',
      exclude,
    })
    const found = await models.Referral.find({ organisationId: organisation, open: true }, { events: 0, messages: 0 })
      .lean()
      .then((docs) => docs as Record<string, unknown>[])
    expect(listed.length).to.be.greaterThan(0)
    expect(byId(listed)).to.deep.equal(byId(found))
    const times = listed.map((d) => (d.submittedAt as Date).getTime())
    expect(times).to.deep.equal([...times].sort((a, b) => b - a))

    const ids = referrals.slice(0, 30).map((r) => r.id)
    const whole = await pager.byIds(models.Referral, [...ids, 'no-such-referral'])
    const stored = (await models.Referral.find({ organisationId: { $exists: true } }).lean()).filter((d) =>
      ids.includes(String(d._id)),
    ) as Record<string, unknown>[]
    expect(byId(whole)).to.deep.equal(byId(stored))
    const people = await models.Person.find({ teamId: busiest(referrals, (r) => r.teamId) })
      .limit(5)
      .lean()
    const read = await pager.byIds(
      models.Person,
      people.map((p) => String(p._id)),
    )
    expect(byId(read)).to.deep.equal(byId(people as Record<string, unknown>[]))
  })

  it("reads a page's records by id as the server without the engine does, in the order asked, leaving out missing ones", async () => {
    const repository = createReferralRepository(database.connection, models)
    const ids = referrals
      .slice(40, 52)
      .map((r) => r.id)
      .reverse()
    const asked = [ids[0]!, 'no-such-referral', ...ids.slice(1)]
    const walked = await repository.summariesByIds(asked)
    setEnginePager(database.connection, pager)
    const direct = await repository.summariesByIds(asked).finally(() => setEnginePager(database.connection, undefined))
    expect(walked.map((r) => r.id)).to.deep.equal(ids)
    expect(direct).to.deep.equal(walked)
    expect(direct[0]).to.not.have.property('events')
  })

  // With a few hundred rows PostgreSQL rightly sorts them rather than walk an index; at a borough's volume it walks
  // the index (EXPLAIN on 100,000 referrals: a page 40 deep in a team of 20,000 in about 30 ms). So here sorting and
  // scanning the table are made dearest: a plan with neither shows an index gives the page in order.
  it('finds a page by walking a compound index in order, not by sorting the scope', async () => {
    const tables = await tablesOf(engine.client, database.connection.name)
    const explain = async (collection: string, match: Record<string, string | boolean>, order: string) => {
      const table = tables.get(collection)!
      await engine.client.query(`ANALYZE "${database.connection.name}"."${table}"`)
      const { items } = pageStatements(database.connection.name, table, { match, order, offset: 25, limit: 25 })
      await engine.client.query('BEGIN')
      try {
        await engine.client.query('SET LOCAL enable_sort = off')
        await engine.client.query('SET LOCAL enable_seqscan = off')
        const plan = await engine.client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${items.text}`, items.values)
        return plan.rows.map((r) => r['QUERY PLAN']).join('\n')
      } finally {
        await engine.client.query('ROLLBACK')
      }
    }
    const team = busiest(referrals, (r) => r.teamId)
    const practice = busiest(referrals, (r) => r.practiceId ?? '')
    const organisation = busiest(referrals, (r) => r.organisationId)
    const plans = [
      await explain('referrals', { teamId: team }, 'submittedAt'),
      await explain('referrals', { organisationId: organisation, open: false }, 'submittedAt'),
      await explain('referrals', { practiceId: practice, gpFeedbackConsent: true, gpNoBenefit: true }, 'submittedAt'),
      await explain('people', { teamId: team }, 'created_at'),
      await explain('audit_events', { actorId: 'actor-a' }, 'at'),
      await explain('audit_events', {}, 'at'),
    ]
    for (const plan of plans) {
      expect(plan, plan).to.match(/ Index Scan (Backward )?using /)
      // Only runs of equal dates are sorted (by _id): an incremental sort on the index's order, never a whole sort.
      expect(plan, plan).to.not.match(/^\s*(-> +)?Sort {2}\(|Seq Scan/m)
      if (/Sort Key/.test(plan)) expect(plan, plan).to.match(/Incremental Sort[\s\S]*Presorted Key: /)
    }
  })
})
