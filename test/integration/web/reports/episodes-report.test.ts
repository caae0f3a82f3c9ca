// The social prescribing episodes report over HTTP, as the demo commissioner, with the demo's synthetic referrals and
// the episodes made with them: listed on the index, every table drawn, small numbers hidden, a CSV per table with the
// page's figures, and no one named.
import * as cheerio from 'cheerio'
import { expect } from 'chai'
import { signIn, type Agent } from '../../../helpers/accounts'
import { useTestApp } from '../../../helpers/app'
import { newId } from '../../../../server/domain/ids'
import { DEMO_TEAM } from '../../../../server/services/demo-accounts'
import { csvTable, pageTables, period } from '../../../helpers/report-pages'

const COMMISSIONER = 'commissioner@demo.loopwell.test'
const WIDE = period('2024-01-01', '2030-12-31')

describe('The social prescribing episodes report', () => {
  const t = useTestApp('reports_episodes', { DEMO: 'true', DEMO_REPORT_REFERRALS: '400' })
  let commissioner: Agent

  before(async function () {
    this.timeout(120_000)
    commissioner = await signIn(t.app, COMMISSIONER)
  })

  it('is listed, shows each table with figures and a CSV that says the same', async () => {
    const index = cheerio.load((await commissioner.get('/reports').expect(200)).text)
    expect(index('a[href="/reports/episodes"]').length).to.equal(1)
    const res = await commissioner.get(`/reports/episodes?${WIDE}`).expect(200)
    const tables = pageTables(res.text)
    expect([...tables.keys()]).to.include.members(['by-source', 'by-practice', 'first-conversation', 'wellbeing'])
    const gp = tables.get('by-source')!.find((r) => r[0] === 'GP practice')!
    expect(Number(gp[1])).to.be.greaterThan(50)
    expect(res.text).to.contain('Time from referral to the first conversation')
    expect(res.text).to.contain('Wellbeing change per episode')
    expect(res.text).not.to.match(/Synthetic-|Demo<|07700/)
    const csv = await commissioner.get(`/reports/episodes/by-source.csv?${WIDE}`).expect(200)
    expect(csvTable(csv.text).find((r) => r[0] === 'GP practice')).to.deep.equal(gp)
  })

  it('counts an episode as soon as it is referred, and each referral and signposting made in an episode', async () => {
    const selfReferred = async () =>
      Number(
        pageTables((await commissioner.get(`/reports/episodes?${WIDE}`).expect(200)).text)
          .get('by-source')!
          .find((r) => r[0] === 'Self-referral')?.[1] ?? 0,
      )
    const before = await selfReferred()
    for (let i = 0; i < 5; i++)
      await t.services.episodes.refer(
        null,
        {
          idempotencyKey: newId(),
          teamId: DEMO_TEAM.id,
          givenName: 'Report',
          familyName: `Counted${i}`,
          dateOfBirth: '1950-01-01',
          nhsNumber: null,
          phone: null,
          email: null,
          address: null,
          postcode: null,
          practiceId: null,
          reason: 'Lonely since moving here',
          consentToRefer: true,
          gpFeedbackConsent: false,
        },
        null,
      )
    // Counts are rounded to the nearest 5: five more moves the figure by five.
    expect(await selfReferred()).to.equal(before + 5)
    const perEpisode = pageTables((await commissioner.get(`/reports/episodes?${WIDE}`).expect(200)).text).get(
      'per-episode',
    )!
    const connections = perEpisode.find((r) => r[0]!.startsWith('Connections'))!
    expect(Number(connections[2])).to.be.greaterThan(0)
  })
})
