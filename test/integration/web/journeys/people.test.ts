// A link worker's caseload over HTTP on the real database: finding someone by name, NHS number or date of birth,
// changing their details (a phone must be a UK phone, a text needs a mobile, a stale form changes nothing), and
// taking them off the caseload with a reason and putting them back. Every read and change is audited.
import * as cheerio from 'cheerio'
import { expect } from 'chai'
import { DEMO_PEOPLE, DEMO_REFERRALS } from '../../../../server/services/demo-referrals'
import { useTestApp } from '../../../helpers/app'
import { useSignedIn } from '../../../helpers/accounts'
import { newPerson } from '../../../helpers/factories'
import { errorLinks } from '../../../helpers/forms'
import { demoActor } from '../../../helpers/referrals'

const LINK_WORKER = 'link.worker@demo.loopwell.test'

describe('People on the caseload', () => {
  const t = useTestApp('journeys_people', { DEMO: 'true' })
  const lw = useSignedIn(t, LINK_WORKER)

  const page = async (path: string, status = 200) => cheerio.load((await lw.get(path).expect(status)).text)
  const names = ($: cheerio.CheerioAPI) =>
    $('table a')
      .map((_, a) => $(a).text())
      .get()
  const auditFor = async (recordId: string) =>
    (await t.services.audit.search({ recordId, page: 1 })).events.map((e) => ({ action: e.action, detail: e.detail }))

  async function editForm(personId: string) {
    const $ = await page(`/people/${personId}/edit`)
    const fields: Record<string, string | string[]> = {}
    $('form[action$="/edit"] input, form[action$="/edit"] textarea, form[action$="/edit"] select').each((_, el) => {
      const name = $(el).attr('name')
      if (!name) return
      const type = $(el).attr('type')
      if ((type === 'radio' || type === 'checkbox') && $(el).attr('checked') === undefined) return
      const value =
        el.tagName === 'select' ? String($(el).find('option[selected]').attr('value') ?? '') : String($(el).val() ?? '')
      if (type === 'checkbox') fields[name] = [...((fields[name] as string[] | undefined) ?? []), value]
      else fields[name] = value
    })
    return { $, fields }
  }

  describe('search', () => {
    it('finds people by a name word, by NHS number and by date of birth typed as day, month and year', async () => {
      expect(names(await page('/people?name=demo-hughes'))).to.deep.equal(['Margaret Demo-Hughes'])
      expect(names(await page('/people?nhsNumber=943+476+5919'))).to.deep.equal(['Margaret Demo-Hughes'])
      expect(names(await page('/people?dob-day=30&dob-month=9&dob-year=1951'))).to.deep.equal(['Tunde Demo-Adeyemi'])
      const none = await page('/people?name=nobody')
      expect(none('h2').text()).to.contain('0 people found')
      expect(none('main').text()).to.contain('No one on your team')
      const audit = await t.services.audit.search({ action: 'person.viewed', page: 1 })
      expect(audit.events.some((e) => e.recordType === 'caseload-search')).to.equal(true)
    })

    it('answers a bad NHS number or an impossible date with 400 and the NHS.UK error summary', async () => {
      const $ = await page('/people?nhsNumber=1234567890&dob-day=31&dob-month=2&dob-year=1950', 400)
      expect(errorLinks($)).to.deep.equal(['#nhsNumber', '#dob'])
      expect($('#dob-error').text()).to.contain('Date of birth must be a real date')
      expect($('#nhsNumber').val()).to.equal('1234567890')
    })
  })

  describe('changing details', () => {
    it('refuses "not a phone" and a landline for texts, with field messages, and saves nothing', async () => {
      const person = await newPerson(t.services, demoActor('link-worker'), { phone: '07700 900101' })
      const { fields } = await editForm(person.id)
      const notPhone = await lw
        .post(`/people/${person.id}/edit`)
        .type('form')
        .send({ ...fields, phone: 'not a phone', contactPreference: 'text' })
        .expect(400)
      const $ = cheerio.load(notPhone.text)
      expect($('.nhsuk-error-summary a[href="#phone"]').text()).to.equal(
        'Enter a UK phone number, like 07700 900123 or 020 7946 0018',
      )
      expect($('#phone').val()).to.equal('not a phone')
      const landline = await lw
        .post(`/people/${person.id}/edit`)
        .type('form')
        .send({ ...fields, phone: '020 7946 0018', contactPreference: 'text' })
        .expect(400)
      expect(cheerio.load(landline.text)('#phone-error').text()).to.contain('Enter a mobile number to send texts to')
      const stored = await t.services.people.load(demoActor('link-worker'), person.id)
      expect(stored.phone).to.equal('07700 900101')
    })

    it('saves a change (phone written as the number is said), finds the new name, and audits which fields changed', async () => {
      const person = await newPerson(t.services, demoActor('link-worker'), {
        givenName: 'Tunde',
        familyName: 'Okonjo',
        contactPreference: 'text',
      })
      const { fields } = await editForm(person.id)
      const res = await lw
        .post(`/people/${person.id}/edit`)
        .type('form')
        .send({ ...fields, familyName: 'Okafor', phone: '+44 (0)7700-900555', contactPreference: 'text' })
        .expect(303)
      expect(res.headers.location).to.equal(`/people/${person.id}?changed=details`)
      const $ = await page(res.headers.location!)
      expect($('h1').text()).to.contain('Tunde Okafor')
      expect($('.nhsuk-inset-text').text()).to.contain('Details saved.')
      // Only the page's own messages: a name the messages object has from its prototype shows nothing.
      expect((await page(`/people/${person.id}?changed=constructor`))('.nhsuk-inset-text')).to.have.length(0)
      expect($('main').text()).to.contain('07700 900555')
      expect(names(await page('/people?name=okafor'))).to.deep.equal(['Tunde Okafor'])
      expect(names(await page('/people?name=okonjo'))).to.deep.equal([])
      const changes = (await auditFor(person.id)).filter((e) => e.action === 'person.changed')
      expect(changes[0]?.detail).to.deep.equal({ edit: ['familyName', 'phone'] })
    })

    it('answers a form drawn before someone else saved with 409 and changes nothing', async () => {
      const person = await newPerson(t.services, demoActor('link-worker'))
      const stale = await editForm(person.id)
      const fresh = await editForm(person.id)
      await lw
        .post(`/people/${person.id}/edit`)
        .type('form')
        .send({ ...fresh.fields, whatMatters: 'First change' })
        .expect(303)
      const res = await lw
        .post(`/people/${person.id}/edit`)
        .type('form')
        .send({ ...stale.fields, whatMatters: 'Second change' })
        .expect(409)
      expect(cheerio.load(res.text)('.nhsuk-warning-callout').text()).to.contain('Someone else has just changed')
      const stored = await t.services.people.load(demoActor('link-worker'), person.id)
      expect(stored.whatMatters).to.equal('First change')
    })
  })

  describe('leaving the caseload', () => {
    it('asks for a reason, takes them off, refuses a referral for them, and puts them back', async () => {
      const personId = DEMO_PEOPLE.joan
      const person = await page(`/people/${personId}`)
      expect(person(`a[href="/people/${personId}/discharge"]`).length).to.equal(1)
      const confirm = await page(`/people/${personId}/discharge`)
      const _csrf = String(confirm('input[name="_csrf"]').val())
      const version = String(confirm('input[name="version"]').val())

      const noReason = await lw.post(`/people/${personId}/discharge`).type('form').send({ _csrf, version }).expect(400)
      expect(cheerio.load(noReason.text)('.nhsuk-error-summary a[href="#reason"]').text()).to.equal(
        'Choose why they are leaving the caseload',
      )
      const other = await lw
        .post(`/people/${personId}/discharge`)
        .type('form')
        .send({ _csrf, version, reason: 'other' })
        .expect(400)
      expect(cheerio.load(other.text)('#text-error').text()).to.contain('Say why they are leaving the caseload')
      expect((await t.services.people.load(demoActor('link-worker'), personId)).discharge ?? null).to.equal(null)

      await lw
        .post(`/people/${personId}/discharge`)
        .type('form')
        .send({ _csrf, version, reason: 'moved_away' })
        .expect(303)
      const discharged = await page(`/people/${personId}`)
      expect(discharged('h1').text()).to.contain('Discharged')
      expect(discharged('main').text()).to.contain('They moved away')
      expect(names(await page('/people?name=joan'))).to.deep.equal(['Joan Demo-Kelly'])

      // No longer offered, and refused if sent anyway.
      const { referral } = await t.services.referrals.get(demoActor('link-worker'), DEMO_REFERRALS.new, null)
      const refer = await page(`/services/${referral.serviceId}/refer`)
      expect(refer(`option[value="${personId}"]`).length).to.equal(0)
      const sent = await lw
        .post(`/services/${referral.serviceId}/refer`)
        .type('form')
        .send({
          _csrf: String(refer('input[name="_csrf"]').first().val()),
          idempotencyKey: String(refer('input[name="idempotencyKey"]').val()),
          personId,
          consent: 'yes',
          needs: String(refer('input[name="needs"]').first().val()),
          note: 'Still wants to come.',
          contactPreference: 'phone',
        })
        .expect(400)
      expect(cheerio.load(sent.text)('#personId-error').text()).to.contain('no longer on your caseload')

      const returned = await lw
        .post(`/people/${personId}/discharge`)
        .type('form')
        .send({ _csrf, version: String(discharged('input[name="version"]').val()), return: 'yes' })
        .expect(303)
      const back = await page(returned.headers.location!)
      expect(back('h1').text()).not.to.contain('Discharged')
      expect(back('.nhsuk-inset-text').text()).to.contain('Back on the caseload.')
      const audit = (await auditFor(personId)).filter((e) => e.action === 'person.changed').map((e) => e.detail)
      expect(audit).to.deep.include({ discharged: 'moved_away' })
      expect(audit).to.deep.include({ returnedToCaseload: true })
    })
  })
})
