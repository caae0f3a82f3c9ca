// The unmet need and directory health reports over HTTP, as the demo commissioner, on a real database with the demo
// data: figures on every table, CSVs with the page's figures, search words shown only when every word is in the
// search vocabulary and the phrase was searched 5 or more times (a phrase searched 4 times, or a name searched 5
// times, never reaches a page or a file), listings counted as the database holds them.
import * as cheerio from 'cheerio'
import { expect } from 'chai'
import { signIn, type Agent } from '../../../helpers/accounts'
import { useTestApp } from '../../../helpers/app'
import { csvTable, expectReportShown, pageTables, period } from '../../../helpers/report-pages'
import { OTHER_WORDS } from '../../../../server/services/reports/unmet-need'

const COMMISSIONER = 'commissioner@demo.loopwell.test'
const WIDE = period('2024-01-01', '2030-12-31')
const SEEN_4 = 'befriending yoga'
const SEEN_5 = 'grief swimming'
/** A person's name typed into the search box, as often as a phrase that is shown: never shown. */
const NAME_5 = 'Margaret Thornbury'

describe('Unmet need and directory health reports', () => {
  const t = useTestApp('reports_unmet_health', { DEMO: 'true', DEMO_REPORT_REFERRALS: '400' })
  let commissioner: Agent

  before(async function () {
    this.timeout(120_000)
    // Searches that find nothing, through the real directory service, before any report reads the misses.
    // Filtered to what no listing offers, so that words the directory knows still find nothing.
    const none = { statuses: ['defunct' as const], languages: ['yi'] }
    for (let i = 0; i < 4; i++) await t.services.directory.search({ text: `  ${SEEN_4.toUpperCase()} `, ...none })
    for (let i = 0; i < 5; i++) await t.services.directory.search({ text: SEEN_5, ...none })
    for (let i = 0; i < 5; i++) await t.services.directory.search({ text: NAME_5, ...none })
    await t.services.directory.searchMissesWritten()
    commissioner = await signIn(t.app, COMMISSIONER)
  })

  it('lists both reports for a commissioner and shows each with figures, charts and a CSV for every table', async () => {
    const index = cheerio.load((await commissioner.get('/reports').expect(200)).text)
    for (const id of ['unmet-need', 'directory-health']) {
      expect(index(`a[href="/reports/${id}"]`).length, id).to.equal(1)
      expectReportShown((await commissioner.get(`/reports/${id}`).expect(200)).text, id, 5)
    }
  })

  it('gives CSVs with the same figures as the page', async function () {
    this.timeout(60_000)
    for (const id of ['unmet-need', 'directory-health']) {
      const page = pageTables((await commissioner.get(`/reports/${id}?${WIDE}`).expect(200)).text)
      expect(page.size, id).to.be.at.least(5)
      for (const [table, rows] of page) {
        const res = await commissioner.get(`/reports/${id}/${table}.csv?${WIDE}`).expect(200)
        expect(res.headers['content-type']).to.match(/^text\/csv; charset=utf-8/)
        expect(csvTable(res.text), `${id}/${table}`).to.deep.equal(rows)
      }
    }
  })

  it('shows search words only in the vocabulary and once searched 5 times in the period; never a name', async () => {
    const bodies: string[] = []
    for (const query of ['', `?${WIDE}`, `?${period('2020-01-01', '2020-12-31')}`]) {
      const page = await commissioner.get(`/reports/unmet-need${query}`).expect(200)
      bodies.push(page.text, (await commissioner.get(`/reports/unmet-need/search-words.csv${query || '?'}`)).text)
    }
    const words = pageTables(bodies[2]!).get('search-words')!
    expect(words.find((r) => r[0] === SEEN_5)).to.deep.equal([SEEN_5, '5'])
    const other = words.find((r) => r[0] === OTHER_WORDS)!
    expect(Number(other[1]), 'the name and the rarer phrase are counted, not shown').to.be.at.least(9)
    for (const row of words.slice(1).filter((r) => r !== other)) expect(Number(row[1]), row[0]).to.be.at.least(5)
    const all = bodies.join('\n').toLowerCase()
    expect(all).to.contain(SEEN_5)
    expect(all).to.not.contain(SEEN_4)
    expect(all).to.not.contain('thornbury')
    // The demo's one-off phrases name a (fictional) person: never shown.
    expect(all).to.not.contain('synthetic-example')
    // Outside the period, the phrase is not counted at all.
    expect(bodies[4]! + bodies[5]!).to.not.contain(SEEN_5)
  })

  it('counts searches with no results by need and area, and referrals declined for no capacity', async () => {
    const tables = pageTables((await commissioner.get(`/reports/unmet-need?${WIDE}`).expect(200)).text)
    const byNeed = tables.get('searches-by-need')!
    expect(byNeed[0]).to.deep.equal(['Need', 'Searches with no results', 'Searches with 1 to 3 results'])
    const noNeed = byNeed.find((r) => r[0] === 'No need chosen')!
    expect(Number(noNeed[1])).to.be.at.least(9)
    expect(tables.get('searches-by-area')!.length).to.be.greaterThan(2)
    const declined = tables.get('no-capacity-by-need')!
    expect(declined[0]).to.deep.equal(['Need', 'Declined: no capacity', 'Referrals', 'Declined: no capacity (%)'])
    expect(declined.length).to.be.greaterThan(1)
    for (const row of declined.slice(1)) expect(row[1]).to.match(/^(<5|Hidden|\d+)$/)
    const coverage = tables.get('needs-without-services')!
    expect(coverage.length).to.be.greaterThan(10)
  })

  it('counts listings by status and freshness as the database holds them, and says which filters apply', async () => {
    const page = await commissioner.get(`/reports/directory-health?${WIDE}`).expect(200)
    const tables = pageTables(page.text)
    const services = t.connection.collection('services')
    const active = await services.countDocuments({ review_status: 'approved', status: 'active' })
    const status = tables.get('status')!
    expect(status.find((r) => r[0] === 'Active')).to.deep.equal(['Active', String(active)])
    const freshness = tables.get('freshness')!.slice(1)
    const listed = freshness.reduce((sum, r) => sum + Number(r[1]), 0)
    const capacity = tables.get('capacity')!.slice(1)
    expect(listed).to.be.greaterThan(100)
    expect(capacity.reduce((sum, r) => sum + Number(r[1]), 0)).to.be.at.most(listed)
    expect(page.text).to.contain('the period and the practice and PCN filters do not apply')
    const response = tables.get('vco-response')!
    expect(response[0]).to.include('Median working days to acknowledge')
    expect(response.length).to.be.greaterThan(1)
  })

  it('narrows listings to one organisation when asked', async () => {
    const org = (await t.connection.collection('organizations').findOne({ review_status: 'approved' }))!
    const approved = await t.connection
      .collection('services')
      .countDocuments({ organization_id: org._id, review_status: 'approved' })
    const page = await commissioner.get(`/reports/directory-health?organisationId=${String(org._id)}`).expect(200)
    const status = pageTables(page.text).get('status')!.slice(1)
    expect(status.reduce((sum, r) => sum + Number(r[1]), 0)).to.equal(approved)
  })

  it('is not for a link worker', async () => {
    const lw = await signIn(t.app, 'link.worker@demo.loopwell.test')
    const res = await lw.get('/reports/unmet-need')
    expect(res.status).to.be.oneOf([403, 404])
  })
})
