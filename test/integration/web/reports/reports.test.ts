// Reports over HTTP on a real database with the demo data (a few hundred synthetic referrals): each report and CSV
// for a commissioner, the CSV the same as the page, small numbers shown as "<5", bad filters answered 400 with an
// error summary, other roles denied, facts kept in step with referral writes, and no identifying detail of any
// person anywhere a commissioner can reach.
import * as cheerio from 'cheerio'
import { expect } from 'chai'
import { newId } from '../../../../server/domain/ids'
import { createReportFactRepository } from '../../../../server/data/repositories/report-fact.repository'
import { termId } from '../../../../server/data/taxonomy'
import { DEMO_PRACTICE, DEMO_VCO } from '../../../../server/services/demo-accounts'
import { DEMO_CARERS_CENTRE_ID, DEMO_REFERRALS } from '../../../../server/services/demo-referrals'
import type { PersonRecord } from '../../../../server/domain/referral-records'
import type { SubmitInput } from '../../../../server/services/referral.service'
import { useTestApp } from '../../../helpers/app'
import { signIn, type Agent } from '../../../helpers/accounts'
import { csvTable, expectReportShown, pageTables, period } from '../../../helpers/report-pages'
import { newPerson, referralInput } from '../../../helpers/factories'
import { demoActor } from '../../../helpers/referrals'
import { NEED_TAXONOMY } from '../../../../server/data/taxonomy'
import { createReportService } from '../../../../server/services/reports/report.service'

const COMMISSIONER = 'commissioner@demo.loopwell.test'
const REPORT_IDS = ['activity', 'timeliness', 'outcomes', 'equity']

describe('Reports', () => {
  const t = useTestApp('reports_web', { DEMO: 'true', DEMO_REPORT_REFERRALS: '400' })
  const lw = demoActor('link-worker')
  let commissioner: Agent
  let person: PersonRecord
  let serviceId: string

  /** A referral of the person made above to the Age Well Barnet service, through the real referral service. */
  const refer = (over: Partial<SubmitInput> = {}) =>
    t.services.referrals.submit(
      lw,
      referralInput(serviceId, person.id, { needs: [termId('befriending')], note: 'facts', ...over }),
      null,
    )

  before(async function () {
    this.timeout(120_000)
    commissioner = await signIn(t.app, COMMISSIONER)
    // A person with details no report may show, referred and signposted through the real services.
    person = await newPerson(t.services, lw, {
      givenName: 'Quillon',
      familyName: 'Xanthopoulos',
      dateOfBirth: '1948-07-19',
      nhsNumber: '9434765919',
      phone: '07700 900777',
      email: 'quillon.x@example.net',
      address: '77 Zephyr Mews',
      postcode: 'EN5 9ZZ',
      practiceId: DEMO_PRACTICE.id,
      whatMatters: 'Playing the zither again',
      ethnicity: 'White (other)',
      sex: 'Male',
    })
    serviceId = (await t.services.referrals.get(lw, DEMO_REFERRALS.new, null)).referral.serviceId
    await refer({
      gpFeedback: true,
      needs: [termId('loneliness-isolation')],
      note: 'Quillon hums the zither tune all day',
    })
    await t.services.referrals.signpost(
      lw,
      { serviceId, personId: person.id, idempotencyKey: newId(), needs: [], note: 'Zither club leaflet' },
      null,
    )
  })

  it('lists every report for a commissioner, and the menu links to it', async () => {
    const res = await commissioner.get('/reports').expect(200)
    const $ = cheerio.load(res.text)
    for (const id of REPORT_IDS) expect($(`a[href="/reports/${id}"]`).length, id).to.equal(1)
    expect($('.nhsuk-header__navigation-link[href="/reports"]').length).to.equal(1)
  })

  it('shows each report with figures from the demo data, a chart and a CSV link for every table', async function () {
    this.timeout(60_000)
    for (const id of REPORT_IDS) {
      const res = await commissioner.get(`/reports/${id}`).expect(200)
      expectReportShown(res.text, id, 2)
      expect(res.text).to.contain('Figures as of')
    }
  })

  it('gives CSVs with the same figures as the page, as a download a spreadsheet opens', async function () {
    this.timeout(120_000)
    for (const id of REPORT_IDS) {
      const page = pageTables((await commissioner.get(`/reports/${id}?${period('2025-01-01', '2030-12-31')}`)).text)
      expect(page.size, id).to.be.greaterThan(0)
      for (const [table, rows] of page) {
        const res = await commissioner
          .get(`/reports/${id}/${table}.csv?${period('2025-01-01', '2030-12-31')}`)
          .expect(200)
        expect(res.headers['content-type']).to.match(/^text\/csv; charset=utf-8/)
        expect(res.headers['content-disposition']).to.match(
          new RegExp(`^attachment; filename="loopwell-${id}-${table}-2025-01-01-to-2030-12-31\\.csv"$`),
        )
        // A page shows at most 100 rows (a header row besides); the CSV has every row, the same ones first.
        const csv = csvTable(res.text)
        expect(csv.slice(0, rows.length), `${id}/${table}`).to.deep.equal(rows)
        if (rows.length <= 100) expect(csv).to.have.length(rows.length)
      }
    }
  })

  it('shows fewer than 5 as "<5" on the page and in the CSV', async () => {
    // Barnet Carers Centre has one demo referral.
    const query = `organisationId=${DEMO_CARERS_CENTRE_ID}&${period('2025-01-01', '2030-12-31')}`
    const page = await commissioner.get(`/reports/activity?${query}`).expect(200)
    const tables = pageTables(page.text)
    const byOrganisation = tables.get('by-organisation')!
    expect(byOrganisation[1]).to.deep.equal(['Barnet Carers Centre', '<5', '0'])
    expect(page.text).to.contain('fewer than 5')
    const $ = cheerio.load(page.text)
    expect($('#table-by-organisation').parent().find('svg').text()).to.contain('Referrals: fewer than 5')
    const csv = await commissioner.get(`/reports/activity/by-organisation.csv?${query}`).expect(200)
    expect(csvTable(csv.text)[1]).to.deep.equal(['Barnet Carers Centre', '<5', '0'])
    expect(csv.text).to.contain('fewer than 5')
  })

  it('counts whole months and says so: periods ending on 22 and on 23 November give the same page and file', async () => {
    const pages = await Promise.all(
      ['2026-11-22', '2026-11-23'].map((to) => commissioner.get(`/reports/activity?${period('2026-01-15', to)}`)),
    )
    for (const page of pages) {
      expect(page.status).to.equal(200)
      const $ = cheerio.load(page.text)
      const scope = $('.nhsuk-inset-text').text().replace(/\s+/g, ' ')
      expect(scope).to.contain('from 1 January 2026 to 30 November 2026 (inclusive)')
      expect(scope).to.contain('whole calendar months')
      const shown = (name: string) => [name, `${name}-month`, `${name}-year`].map((id) => $(`#${id}`).val())
      expect(shown('from')).to.deep.equal(['1', '1', '2026'])
      expect(shown('to')).to.deep.equal(['30', '11', '2026'])
    }
    expect(pageTables(pages[0]!.text)).to.deep.equal(pageTables(pages[1]!.text))
    const csvs = await Promise.all(
      ['2026-11-22', '2026-11-23'].map((to) =>
        commissioner.get(`/reports/activity/by-practice.csv?${period('2026-01-15', to)}`).expect(200),
      ),
    )
    expect(csvs[0]!.text).to.equal(csvs[1]!.text)
    expect(csvs[0]!.headers['content-disposition']).to.contain('2026-01-01-to-2026-11-30')
  })

  it('never shows a person’s name, NHS number, contact details, postcode, words or date of birth', async function () {
    this.timeout(120_000)
    // Every person in the database: the one made above, the demo caseload and the few hundred synthetic people.
    const people = (await t.connection.collection('people').find({}).toArray()) as unknown as (PersonRecord & {
      _id: string
    })[]
    expect(people.length).to.be.greaterThan(100)
    const secrets = (p: PersonRecord & { _id: string }) =>
      [
        `${p.givenName} ${p.familyName}`,
        p.familyName.length > 4 ? p.familyName : null,
        p.nhsNumber,
        p.phone,
        p.email,
        p.address,
        p.postcode,
        p.dateOfBirth,
        p.whatMatters.length > 6 ? p.whatMatters : null,
        p._id,
      ].filter((s): s is string => Boolean(s))
    const bodies: string[] = [(await commissioner.get('/reports')).text]
    for (const id of REPORT_IDS) {
      for (const query of ['', `?practiceId=${DEMO_PRACTICE.id}&${period('2025-01-01', '2030-12-31')}`]) {
        const page = await commissioner.get(`/reports/${id}${query}`).expect(200)
        bodies.push(page.text)
        for (const table of pageTables(page.text).keys()) {
          const q = query || '?'
          bodies.push((await commissioner.get(`/reports/${id}/${table}.csv${q}`).expect(200)).text)
        }
      }
    }
    const all = bodies.join('\n')
    for (const p of people) for (const s of secrets(p)) expect(all, s).to.not.contain(s)
    for (const words of ['zither', 'Zither', person.givenName]) expect(all).to.not.contain(words)
  })

  it('answers a bad filter with status 400, an error summary linking to the field and what was typed', async () => {
    const cases: [string, string, string][] = [
      ['from-day=30&from-month=2&from-year=2026', 'from', 'Start date must be a real date'],
      ['from-day=1&from-month=13&from-year=2026', 'from', 'Start date must be a real date'],
      ['to-day=1&to-month=1&to-year=26', 'to', 'End date must be a real date'],
      ['to-day=x&to-month=1&to-year=2026', 'to', 'End date must be a real date'],
      ['from-day=1&from-year=2026', 'from', 'Start date must include a month'],
      ['to-day=1&to-month=6', 'to', 'End date must include a year'],
      [`${period('2026-06-01', '2026-05-01')}`, 'to', 'End date must be the same as or after the start date'],
      ['practiceId=not-a-practice', 'practiceId', 'Choose a GP practice from the list'],
      ['need=nonsense', 'need', 'Choose a need from the list'],
    ]
    for (const [query, field, message] of cases) {
      const res = await commissioner.get(`/reports/equity?${query}`).expect(400)
      const $ = cheerio.load(res.text)
      expect($('.nhsuk-error-summary a').attr('href'), query).to.equal(`#${field}`)
      expect($('.nhsuk-error-summary').text(), query).to.contain(message)
      expect($(`#${field}-error`).text(), query).to.contain(message)
      expect($('section.app-report-table').length).to.equal(0)
    }
    // What was typed comes back as typed.
    const typed = cheerio.load(
      (await commissioner.get('/reports/equity?from-day=31&from-month=2&from-year=2026').expect(400)).text,
    )
    expect(['#from', '#from-month', '#from-year'].map((id) => typed(id).val())).to.deep.equal(['31', '2', '2026'])
    const csv = await commissioner
      .get('/reports/equity/by-sex.csv?to-day=yesterday&to-month=1&to-year=2026')
      .expect(400)
    expect(csv.text).to.contain('End date must be a real date')
  })

  it('answers anything typed into the dates with a page, never a 500', async () => {
    const odd = ['0', '-1', '99999', '1e3', ' 7 ', '٣', '２', '__proto__', '<b>1</b>', '0x1F', '1.5', '']
    for (const value of odd) {
      for (const part of ['day', 'month', 'year']) {
        const res = await commissioner.get('/reports/activity').query({ [`from-${part}`]: value, 'to-year': value })
        expect(res.status, `${part}=${JSON.stringify(value)}`).to.be.oneOf([200, 400])
      }
    }
    // A list where one value belongs is not a date.
    const list = await commissioner.get('/reports/activity?from-day=1&from-day=2&from-month=1&from-year=2026')
    expect(list.status).to.equal(400)
    expect(cheerio.load(list.text)('.nhsuk-error-summary').text()).to.contain('Start date must include a day')
  })

  it('says clearly when a report or table does not exist', async () => {
    const res = await commissioner.get('/reports/no-such-report').expect(404)
    expect(res.text).to.contain('There is no report with that name')
    await commissioner.get('/reports/activity/no-such-table.csv').expect(404)
  })

  it('is for commissioners and admins only', async () => {
    const admin = await signIn(t.app, 'admin@demo.loopwell.test')
    await admin.get('/reports/outcomes').expect(200)
    for (const email of ['vco.member@demo.loopwell.test', 'link.worker@demo.loopwell.test', 'gp@demo.loopwell.test']) {
      const agent = await signIn(t.app, email)
      await agent.get('/reports').expect(403)
      await agent.get('/reports/activity').expect(403)
      await agent.get('/reports/activity/by-need.csv').expect(403)
    }
    const anonymous = await signIn(t.app, COMMISSIONER).then(() => null)
    expect(anonymous).to.equal(null)
    const { default: request } = await import('supertest')
    const res = await request(t.app).get('/reports/activity').expect(303)
    expect(res.headers.location).to.equal('/sign-in?next=%2Freports%2Factivity')
  })

  describe('facts', () => {
    const ageWell = { from: new Date('2025-01-01'), to: new Date('2030-12-31'), organisationId: DEMO_VCO.id }
    const cell = async (tableId: string, label: string, key: string) => {
      const report = await t.services.reports.build('activity', ageWell)
      const table = report.tables.find((tb) => tb.id === tableId)!
      return table.rows.find((r) => r.label === label)?.[key]
    }

    it('follow every referral write: a new referral is counted, and its decline with the reason', async () => {
      const vco = demoActor('vco-member')
      const before = await cell('by-organisation', DEMO_VCO.name, 'referrals')
      const made: string[] = []
      for (let i = 0; i < 5; i++) {
        const { referral } = await refer()
        made.push(referral.id)
      }
      const after = await cell('by-organisation', DEMO_VCO.name, 'referrals')
      expect(after).to.equal(Number(before) + 5)
      const declinedBefore = (await cell('decline-reasons', 'No capacity', 'declined')) as number | { suppressed: true }
      for (const id of made)
        await t.services.referrals.act(vco, id, { action: 'decline', version: 1, reason: 'no_capacity' }, null)
      const declinedAfter = await cell('decline-reasons', 'No capacity', 'declined')
      // Before, the count may have been hidden (1 to 4); after, it is at least the 5 just declined.
      if (typeof declinedBefore === 'number') expect(declinedAfter).to.equal(declinedBefore + 5)
      else expect(declinedAfter).to.be.a('number').and.to.be.within(5, 9)
    })

    it('are rebuilt from referrals and signpostings, reporting progress', async function () {
      this.timeout(120_000)
      const seen: number[] = []
      const built = await t.services.reports.rebuildFacts((p) => seen.push(p.done))
      expect(built).to.be.greaterThan(400)
      expect(seen.at(-1)).to.equal(built)
      expect(t.services.reports.size()).to.equal(built)
      // Packed by month for the next start, every fact once.
      await t.services.reports.packsWritten()
      const repo = createReportFactRepository(t.connection)
      const packs = await repo.readPacks()
      expect(packs.reduce((sum, p) => sum + p.count, 0)).to.equal(built)
      // Not written as changes by the hour (every reader would read every fact again), but under a new generation.
      expect(await repo.list(new Date(Date.now() - 3_600_000))).to.have.length(0)
      expect(await repo.generation()).to.be.a('string')
      const another = createReportService({ facts: repo, taxonomy: NEED_TAXONOMY })
      await another.warm()
      expect(another.size()).to.equal(built)
    })
  })
})
