// Dates typed as people write them on the referral page: the NHS.UK date input (day, month, year), checked (no
// first contact or session in the future, no 31 February) and shown back as "8 December 2026".
import * as cheerio from 'cheerio'
import { expect } from 'chai'
import { formatDate, londonDay } from '../../../../server/services/dates'
import { DEMO_REFERRALS } from '../../../../server/services/demo-referrals'
import { useTestApp } from '../../../helpers/app'
import { useSignedIn, signIn, type Agent } from '../../../helpers/accounts'
import { demoActor } from '../../../helpers/referrals'

const VCO_MEMBER = 'vco.member@demo.loopwell.test'
const DAY = 86_400_000

function partsOfDay(at: Date, name: string) {
  const [year, month, day] = londonDay(at).split('-')
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year! }
}

describe('Dates on the referral page over HTTP', () => {
  const t = useTestApp('journeys_dates', () => ({ DEMO: 'true', PUBLIC_URL: 'http://loopwell.test' }))
  const vco = useSignedIn(t, VCO_MEMBER)

  async function post(id: string, fields: Record<string, string>) {
    const $ = cheerio.load((await vco.get(`/referrals/${id}`).expect(200)).text)
    return vco
      .post(`/referrals/${id}`)
      .type('form')
      .send({
        _csrf: String($('input[name="_csrf"]').first().val()),
        version: String($('input[name="version"]').first().val()),
        ...fields,
      })
  }
  const referral = async (id: string) => (await t.services.referrals.get(demoActor('vco-member'), id, null)).referral

  it('asks for the first contact date as day, month and year fields', async () => {
    const $ = cheerio.load((await vco.get(`/referrals/${DEMO_REFERRALS.acknowledged}`).expect(200)).text)
    for (const part of ['day', 'month', 'year']) expect($(`input[name="date-${part}"]`).length, part).to.equal(1)
    expect($('input[name="date"]').length).to.equal(0)
  })

  it('refuses a first contact in the future, a date that does not exist and a date with a part missing (400, nothing changes)', async () => {
    const id = DEMO_REFERRALS.acknowledged
    const cases: [Record<string, string>, string][] = [
      [partsOfDay(new Date(Date.now() + 2 * DAY), 'date'), 'Date of first contact must be today or in the past'],
      [{ 'date-day': '31', 'date-month': '2', 'date-year': '2026' }, 'Date of first contact must be a real date'],
      [{ 'date-day': '8', 'date-month': '12', 'date-year': '' }, 'Date of first contact must include a year'],
    ]
    for (const [fields, message] of cases) {
      const res = await post(id, { action: 'first-contact', ...fields })
      expect(res.status, message).to.equal(400)
      const $ = cheerio.load(res.text)
      expect($('.nhsuk-error-summary a').attr('href')).to.equal('#date')
      expect($('.nhsuk-error-summary').text()).to.contain(message)
      expect($('input[name="date-day"]').val()).to.equal(fields['date-day'])
    }
    expect((await referral(id)).firstContactAt).to.equal(null)
  })

  it('records a past first contact typed as day, month and year, and shows it as "8 December 2026"', async () => {
    const id = DEMO_REFERRALS.acknowledged
    const when = new Date(Date.now() - 3 * DAY)
    expect((await post(id, { action: 'first-contact', ...partsOfDay(when, 'date') })).status).to.equal(303)
    const saved = await referral(id)
    expect(londonDay(new Date(saved.firstContactAt!))).to.equal(londonDay(when))
    const $ = cheerio.load((await vco.get(`/referrals/${id}`).expect(200)).text)
    expect($('table').text()).to.contain(formatDate(when))
    expect(formatDate(when)).to.match(/^\d{1,2} [A-Z][a-z]+ \d{4}$/)
  })

  it('refuses a session dated in the future', async () => {
    const id = DEMO_REFERRALS.attending
    const before = (await referral(id)).sessions.length
    const res = await post(id, {
      action: 'session',
      attended: 'yes',
      ...partsOfDay(new Date(Date.now() + 2 * DAY), 'sessionDate'),
    })
    expect(res.status).to.equal(400)
    expect(cheerio.load(res.text)('.nhsuk-error-summary a').attr('href')).to.equal('#sessionDate')
    expect((await referral(id)).sessions).to.have.length(before)
  })
  describe('the audit log', () => {
    let admin: Agent
    before(async () => {
      admin = await signIn(t.app, 'admin@demo.loopwell.test')
    })

    it('filters by dates typed as day, month and year, and keeps them on the next page link', async () => {
      const today = partsOfDay(new Date(), 'from')
      const res = await admin
        .get('/admin/audit')
        .query({ ...today, ...partsOfDay(new Date(), 'to') })
        .expect(200)
      const $ = cheerio.load(res.text)
      expect($('#from').attr('name')).to.equal('from-day')
      expect($('#from-year').val()).to.equal(today['from-year'])
      const shown = $('tbody tr td:first-child')
        .map((_, td) => $(td).text())
        .get()
      expect(shown.length).to.be.greaterThan(0)
      for (const when of shown) expect(when).to.contain(formatDate(new Date()))
      const next = $('a.nhsuk-pagination__link--next').attr('href')
      if (next) expect(next).to.contain(`from-day=${today['from-day']}`)
      const tomorrow = await admin.get('/admin/audit').query(partsOfDay(new Date(Date.now() + DAY), 'from'))
      expect(cheerio.load(tomorrow.text)('tbody tr').length).to.equal(0)
    })

    it('answers an impossible date, a part missing or an end before the start with 400 and the error summary', async () => {
      const res = await admin
        .get('/admin/audit')
        .query({ 'from-day': '31', 'from-month': '2', 'from-year': '2026', 'to-day': '1', 'to-month': '3' })
        .expect(400)
      const $ = cheerio.load(res.text)
      expect(
        $('.nhsuk-error-summary a')
          .map((_, a) => `${$(a).attr('href')} ${$(a).text()}`)
          .get(),
      ).to.deep.equal(['#from Start date must be a real date', '#to End date must include a year'])
      const backwards = await admin
        .get('/admin/audit')
        .query({ ...partsOfDay(new Date(), 'from'), ...partsOfDay(new Date(Date.now() - 3 * DAY), 'to') })
        .expect(400)
      expect(cheerio.load(backwards.text)('#to-error').text()).to.contain(
        'End date must be the same as or after the start date',
      )
    })
  })
})
