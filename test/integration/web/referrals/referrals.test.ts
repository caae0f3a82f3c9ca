// Referrals over HTTP on a real database and a real SMTP server: people and duplicates, consent, referring once
// however often the form is sent, the VCO inbox and its actions, stale actions, scope, signposting and emails.
import * as cheerio from 'cheerio'
import { expect } from 'chai'
import { nameUuid } from '../../../../server/domain/ids'
import { DEMO_PEOPLE, DEMO_REFERRALS } from '../../../../server/services/demo-referrals'
import { DEMO_PRACTICE, DEMO_TEAM } from '../../../../server/services/demo-accounts'
import { createPersonRepository } from '../../../../server/data/repositories/person.repository'
import { useDemoAppWithMail } from '../../../helpers/app'
import { useSignedIn, type Agent } from '../../../helpers/accounts'
import { personRecord } from '../../../helpers/factories'
import { errorLinks } from '../../../helpers/forms'
import { demoActor } from '../../../helpers/referrals'

const LINK_WORKER = 'link.worker@demo.loopwell.test'
const VCO_MEMBER = 'vco.member@demo.loopwell.test'
const VCO_MANAGER = 'vco.manager@demo.loopwell.test'

describe('Referrals over HTTP', () => {
  const t = useDemoAppWithMail('referrals_http')
  const { smtp } = t
  const lw = useSignedIn(t, LINK_WORKER)
  const vco = useSignedIn(t, VCO_MEMBER)
  let serviceId: string
  let signpostOnlyId: string

  before(async function () {
    this.timeout(60_000)
    const demo = await t.services.referrals.get(demoActor('link-worker'), DEMO_REFERRALS.new, null)
    serviceId = demo.referral.serviceId
    // A demo listing that does not take referrals.
    signpostOnlyId = 'b4e337f5-98c2-58b0-b978-258316f5aaf7'
  })

  const form = async (agent: Agent, path: string) => {
    const res = await agent.get(path)
    const $ = cheerio.load(res.text)
    return { res, $, _csrf: String($('input[name="_csrf"]').first().val()) }
  }

  describe('people', () => {
    /** Sends the "Add a person" form as the link worker, with the form's CSRF token. */
    const addPerson = async (fields: Record<string, string>) => {
      const { _csrf } = await form(lw, '/people/new')
      return lw
        .post('/people/new')
        .type('form')
        .send({ _csrf, ...fields })
    }

    it('re-renders an invalid person with 400, an error summary linking to each field, the typed values, and writes nothing', async () => {
      const before = (await t.services.people.caseloadPage(demoActor('link-worker'), null)).total
      const res = await addPerson({
        givenName: 'Ada',
        familyName: '',
        dobDay: '31',
        dobMonth: '2',
        dobYear: '1950',
        nhsNumber: '1234567890',
        contactPreference: 'email',
      })
      expect(res.status).to.equal(400)
      expect(errorLinks(res.text)).to.deep.equal(['#familyName', '#dateOfBirth', '#nhsNumber', '#email'])
      expect(cheerio.load(res.text)('#givenName').val()).to.equal('Ada')
      expect((await t.services.people.caseloadPage(demoActor('link-worker'), null)).total).to.equal(before)
    })

    it('flags a possible duplicate (same NHS number) before creating a second record, and creates it once confirmed', async () => {
      const person = {
        givenName: 'Maggie',
        familyName: 'Other',
        dobDay: '1',
        dobMonth: '1',
        dobYear: '1960',
        nhsNumber: '943 476 5919',
        contactPreference: 'phone',
        phone: '07700 900999',
      }
      const warned = await addPerson(person)
      expect(warned.status).to.equal(200)
      expect(warned.text).to.contain('may already be on your caseload')
      expect(warned.text).to.contain('Margaret Demo-Hughes')
      const created = await addPerson({ ...person, confirmDuplicate: 'yes' })
      expect(created.status).to.equal(303)
      expect(created.headers.location).to.match(/^\/people\/[0-9a-f-]{36}$/)
    })

    it('flags the same name and date of birth as a possible duplicate', async () => {
      const res = await addPerson({
        givenName: 'tunde',
        familyName: 'demo-adeyemi',
        dobDay: '30',
        dobMonth: '9',
        dobYear: '1951',
        contactPreference: 'letter',
        address: '1 High Road',
      })
      expect(res.status).to.equal(200)
      expect(res.text).to.contain('may already be on your caseload')
    })
  })

  describe('referring', () => {
    /**
     * The refer form for Priya (by email), read once as the link worker; each send posts `fields` with that page's CSRF
     * token and idempotency key, as the same form sent again would.
     */
    const referPriya = async () => {
      const { $, _csrf } = await form(lw, `/services/${serviceId}/refer`)
      const idempotencyKey = String($('input[name="idempotencyKey"]').val())
      return (fields: Record<string, string | string[]>) =>
        lw
          .post(`/services/${serviceId}/refer`)
          .type('form')
          .send({ _csrf, idempotencyKey, personId: DEMO_PEOPLE.priya, contactPreference: 'email', ...fields })
    }

    it('shows the Refer button to link workers only, and a signposting action on a signpost-only listing', async () => {
      const anon = await t.services.directory.getService(serviceId)
      expect(anon.service.referral.accepts_referrals).to.equal(true)
      expect((await lw.get(`/services/${serviceId}`)).text).to.contain(`/services/${serviceId}/refer`)
      expect((await vco.get(`/services/${serviceId}`)).text).to.not.contain(`/services/${serviceId}/refer`)
      const signpostPage = (await lw.get(`/services/${signpostOnlyId}`)).text
      expect(signpostPage).to.contain(`/services/${signpostOnlyId}/signpost`)
      expect(signpostPage).to.not.contain(`/services/${signpostOnlyId}/refer`)
    })

    it('refuses a referral without consent with 400 and writes nothing', async () => {
      const before = await t.services.referrals.teamReferrals(demoActor('link-worker'), null)
      const send = await referPriya()
      const res = await send({ needs: [], note: '' }).expect(400)
      expect(errorLinks(res.text)).to.deep.equal(['#needs', '#note'])
      const noConsent = await send({ needs: [nameUuid('taxonomy-term:carers')], note: 'Needs a break' }).expect(400)
      expect(noConsent.text).to.contain('agreed to share their details with Age Well Barnet')
      const after = await t.services.referrals.teamReferrals(demoActor('link-worker'), null)
      expect(after.referrals.length).to.equal(before.referrals.length)
    })

    it('creates one referral however many times the same form is sent, tells the VCO without personal details, and shows it in the inbox', async () => {
      smtp.clear()
      const refer = await referPriya()
      const send = () =>
        refer({
          consent: 'yes',
          gpFeedback: 'yes',
          needs: [nameUuid('taxonomy-term:carers')],
          note: 'Needs a break from caring',
          supportToAttend: 'walk_alongside',
        })
      const responses = await Promise.all([send(), send(), send()])
      const locations = new Set(responses.map((r) => r.headers.location))
      expect(responses.map((r) => r.status)).to.deep.equal([303, 303, 303])
      expect(locations.size).to.equal(1)
      const id = [...locations][0]!.replace(/^\/referrals\//, '').replace(/\?.*$/, '')
      const list = await t.services.referrals.teamReferrals(demoActor('link-worker'), null)
      expect(list.referrals.filter((r) => r.note === 'Needs a break from caring')).to.have.length(1)

      const mail = await smtp.waitFor(VCO_MEMBER)
      expect(mail.subject).to.equal('New referral')
      expect(mail.text).to.contain(`http://loopwell.test/referrals/${id}`)
      expect(mail.text).to.not.match(/Priya|Demo-Shah|break from caring|priya@example/)
      await smtp.waitFor(VCO_MANAGER)

      const inbox = await vco.get('/referrals/inbox?tab=new').expect(200)
      expect(inbox.text).to.contain('Priya Demo-Shah')
      const page = await vco.get(`/referrals/${id}`).expect(200)
      expect(page.text).to.contain('priya@example.org')
      expect(page.text).to.not.contain('07700') // only the chosen channel is shared
      expect(page.text).to.not.contain('1958') // no date of birth
    })
  })

  describe('the VCO side', () => {
    async function actOn(agent: Agent, id: string, fields: Record<string, string>) {
      const { $, _csrf } = await form(agent, `/referrals/${id}`)
      const version = String($('input[name="version"]').first().val())
      return agent
        .post(`/referrals/${id}`)
        .type('form')
        .send({ _csrf, version, ...fields })
    }

    it('acknowledges, accepts, records contact and attendance, and the referrer is emailed and sees each step', async () => {
      const id = DEMO_REFERRALS.new
      smtp.clear()
      for (const action of ['acknowledge', 'accept', 'first-contact', 'attending']) {
        const res = await actOn(vco, id, { action })
        expect(res.status, action).to.equal(303)
      }
      const page = await lw.get(`/referrals/${id}`).expect(200)
      const history = cheerio.load(page.text)('#history').text()
      expect(history)
        .to.contain('New → Acknowledged')
        .and.contain('Acknowledged → Accepted')
        .and.contain('Accepted → In contact')
        .and.contain('In contact → Attending')
      const mails = smtp.to(LINK_WORKER)
      expect(mails.map((m) => m.subject)).to.include.members([
        'Referral update: Acknowledged',
        'Referral update: Attending',
      ])
      expect(mails.every((m) => !m.text.includes('Margaret'))).to.equal(true)
    })

    it('turns a non-attendance into a re-engagement task, not a discharge', async () => {
      const id = DEMO_REFERRALS.new
      const res = await actOn(vco, id, { action: 'session', attended: 'no' })
      expect(res.status).to.equal(303)
      const { referral } = await t.services.referrals.get(demoActor('vco-member'), id, null)
      expect(referral.status).to.equal('attending')
      expect(referral.tasks.filter((x) => !x.doneAt)).to.have.length(1)
    })

    it('needs a reason to decline (400, nothing changes), and the reason reaches the referrer', async () => {
      const id = DEMO_REFERRALS.acknowledged
      const bad = await actOn(vco, id, { action: 'decline' })
      expect(bad.status).to.equal(400)
      expect(cheerio.load(bad.text)('.nhsuk-error-summary a').attr('href')).to.equal('#reason')
      const other = await actOn(vco, id, { action: 'decline', reason: 'other' })
      expect(other.status).to.equal(400)
      expect((await t.services.referrals.get(demoActor('vco-member'), id, null)).referral.status).to.equal(
        'acknowledged',
      )
      smtp.clear()
      expect((await actOn(vco, id, { action: 'decline', reason: 'not_eligible' })).status).to.equal(303)
      const mail = await smtp.waitFor(LINK_WORKER)
      expect(mail.subject).to.equal('Referral update: Declined')
      const page = await lw.get(`/referrals/${id}`)
      expect(cheerio.load(page.text)('#decline-reason').text()).to.equal('Not eligible')
    })

    it('refuses a stale action with 409 and says someone else has just updated it', async () => {
      const id = DEMO_REFERRALS.overdue
      const a = await form(vco, `/referrals/${id}`)
      const version = String(a.$('input[name="version"]').first().val())
      await vco
        .post(`/referrals/${id}`)
        .type('form')
        .send({ _csrf: a._csrf, version, action: 'acknowledge' })
        .expect(303)
      const stale = await vco
        .post(`/referrals/${id}`)
        .type('form')
        .send({ _csrf: a._csrf, version, action: 'accept' })
        .expect(409)
      expect(stale.text).to.contain('Someone else has just updated this referral. Reload to see the latest.')
      expect((await t.services.referrals.get(demoActor('vco-member'), id, null)).referral.status).to.equal(
        'acknowledged',
      )
    })

    it('answers 400, never a 500, for an impossible date or an unknown action, and changes nothing', async () => {
      const id = DEMO_REFERRALS.attending
      const before = (await t.services.referrals.get(demoActor('vco-member'), id, null)).referral.version
      const bad = await actOn(vco, id, {
        action: 'session',
        attended: 'yes',
        'sessionDate-day': '30',
        'sessionDate-month': '2',
        'sessionDate-year': '2026',
      })
      expect(bad.status).to.equal(400)
      expect(cheerio.load(bad.text)('.nhsuk-error-summary a').attr('href')).to.equal('#sessionDate')
      expect((await actOn(vco, id, { action: 'explode' })).status).to.equal(400)
      expect((await t.services.referrals.get(demoActor('vco-member'), id, null)).referral.version).to.equal(before)
    })

    it('carries messages both ways and emails the other side without the words', async () => {
      const id = DEMO_REFERRALS.attending
      smtp.clear()
      const { _csrf } = await form(lw, `/referrals/${id}`)
      await lw
        .post(`/referrals/${id}/messages`)
        .type('form')
        .send({ _csrf, message: 'She would like to bring her neighbour' })
        .expect(303)
      const empty = await lw.post(`/referrals/${id}/messages`).type('form').send({ _csrf, message: '  ' }).expect(400)
      expect(cheerio.load(empty.text)('.nhsuk-error-summary a').attr('href')).to.equal('#message')
      const page = await vco.get(`/referrals/${id}`)
      expect(page.text).to.contain('She would like to bring her neighbour')
      const mail = await smtp.waitFor(VCO_MEMBER)
      expect(mail.subject).to.equal('New message on a referral')
      expect(mail.text).to.not.contain('neighbour')
    })
  })

  describe('scope', () => {
    it("answers 404 for another organisation's referral, exactly as for one that does not exist", async () => {
      const other = await vco.get(`/referrals/${DEMO_REFERRALS.otherOrganisation}`)
      const missing = await vco.get(`/referrals/${nameUuid('no such referral')}`)
      expect(other.status).to.equal(404)
      expect(missing.status).to.equal(404)
      const strip = (s: string) => s.replace(/nonce="[^"]+"|value="[^"]+"/g, '')
      expect(strip(other.text)).to.equal(strip(missing.text))
      const { _csrf } = await form(vco, '/referrals/inbox')
      await vco
        .post(`/referrals/${DEMO_REFERRALS.otherOrganisation}`)
        .type('form')
        .send({ _csrf, version: '2', action: 'accept' })
        .expect(404)
      expect(
        (await t.services.referrals.get(demoActor('link-worker'), DEMO_REFERRALS.otherOrganisation, null)).referral
          .status,
      ).to.equal('acknowledged')
    })

    it('does not let a VCO member open a person record, or a link worker act for the VCO', async () => {
      await vco.get(`/people/${DEMO_PEOPLE.margaret}`).expect(403)
      const { $, _csrf } = await form(lw, `/referrals/${DEMO_REFERRALS.overdue}`)
      const version = String($('input[name="version"]').first().val() ?? '3')
      await lw
        .post(`/referrals/${DEMO_REFERRALS.overdue}`)
        .type('form')
        .send({ _csrf, version, action: 'accept' })
        .expect(404)
    })

    it('audits every read of a person and a referral', async () => {
      await lw.get(`/people/${DEMO_PEOPLE.joan}`).expect(200)
      await vco.get(`/referrals/${DEMO_REFERRALS.completed}`).expect(200)
      const admin = { id: 'x', email: 'x', roles: ['admin' as const], memberships: [] }
      const person = await t.services.audit.search({ recordId: DEMO_PEOPLE.joan, action: 'person.viewed' })
      const referral = await t.services.audit.search({ recordId: DEMO_REFERRALS.completed, action: 'referral.viewed' })
      expect(person.total).to.be.greaterThan(0)
      expect(referral.total).to.be.greaterThan(0)
      expect(admin.roles).to.include('admin')
    })
  })

  describe('carers', () => {
    it('links a carer to the person they care for on the same caseload', async () => {
      const page = await lw.get(`/people/${DEMO_PEOPLE.priya}`).expect(200)
      const $ = cheerio.load(page.text)
      expect($(`a[href="/people/${DEMO_PEOPLE.joan}"]`).text()).to.equal('Joan Demo-Kelly')
    })
  })

  describe('consent', () => {
    it('stops sharing the contact details with the VCO once consent is withdrawn', async () => {
      const id = DEMO_REFERRALS.completed
      expect((await vco.get(`/referrals/${id}`)).text).to.contain('Brent Street')
      const { referral } = await t.services.referrals.get(demoActor('link-worker'), id, null)
      const { _csrf } = await form(lw, `/people/${DEMO_PEOPLE.joan}`)
      await lw
        .post(`/people/${DEMO_PEOPLE.joan}/consent`)
        .type('form')
        .send({
          _csrf,
          type: 'withdrawn',
          scope: 'share_with_organisation',
          organisationId: referral.organisationId,
          how: 'verbal',
        })
        .expect(303)
      const after = await vco.get(`/referrals/${id}`)
      expect(after.text).to.contain('Consent withdrawn')
      expect(after.text).to.not.contain('Brent Street')
      const person = await t.services.people.get(demoActor('link-worker'), DEMO_PEOPLE.joan, null)
      expect(person.consents.at(-1)).to.include({ type: 'withdrawn', scope: 'share_with_organisation' })
      expect(person.practiceId).to.equal(DEMO_PRACTICE.id)
    })
  })

  describe('signposting', () => {
    it('records a signposting from a signpost-only listing, with no VCO inbox entry', async () => {
      const { $, _csrf } = await form(lw, `/services/${signpostOnlyId}/signpost`)
      const idempotencyKey = String($('input[name="idempotencyKey"]').val())
      const body = { _csrf, idempotencyKey, personId: DEMO_PEOPLE.tunde, note: 'Told him about the lunch club' }
      await lw.post(`/services/${signpostOnlyId}/signpost`).type('form').send(body).expect(303)
      await lw.post(`/services/${signpostOnlyId}/signpost`).type('form').send(body).expect(303)
      const { signpostings, referrals } = await t.services.referrals.teamReferrals(demoActor('link-worker'), null)
      expect(signpostings.filter((s) => s.serviceId === signpostOnlyId)).to.have.length(1)
      expect(referrals.some((r) => r.serviceId === signpostOnlyId)).to.equal(false)
      const bad = await lw
        .post(`/services/${signpostOnlyId}/signpost`)
        .type('form')
        .send({ _csrf, idempotencyKey, personId: '' })
        .expect(400)
      expect(cheerio.load(bad.text)('.nhsuk-error-summary a').attr('href')).to.equal('#personId')
    })

    it('adds nothing when the form is sent again after Back (a new form key), and the list names who was signposted', async () => {
      const send = async () => {
        const { $, _csrf } = await form(lw, `/services/${signpostOnlyId}/signpost`)
        const idempotencyKey = String($('input[name="idempotencyKey"]').val())
        return lw
          .post(`/services/${signpostOnlyId}/signpost`)
          .type('form')
          .send({ _csrf, idempotencyKey, personId: DEMO_PEOPLE.priya, note: '' })
          .expect(303)
      }
      expect((await send()).headers.location).to.equal('/referrals?signposted=1#signpostings')
      const again = await send()
      expect(again.headers.location).to.equal('/referrals?signposted=again#signpostings')
      const { signpostings } = await t.services.referrals.teamReferrals(demoActor('link-worker'), null)
      expect(signpostings.filter((s) => s.personId === DEMO_PEOPLE.priya)).to.have.length(1)
      const $ = cheerio.load((await lw.get('/referrals?signposted=again').expect(200)).text)
      expect($('.nhsuk-inset-text').text()).to.contain('already recorded today')
      const row = $('#signpostings + table tbody tr, #signpostings ~ table tbody tr')
        .filter((_, tr) => $(tr).text().includes('Priya'))
        .first()
      expect(row.find(`a[href="/people/${DEMO_PEOPLE.priya}"]`).text()).to.equal('Priya Demo-Shah')
    })
  })

  describe('the person picker', () => {
    it('offers the people added most recently and whoever is found by name or NHS number, never the whole caseload', async () => {
      const people = createPersonRepository(t.connection)
      const teamId = DEMO_TEAM.id
      // 30 people added after the demo's: the picker offers the 25 newest, so the demo's people need finding.
      for (let i = 0; i < 30; i++) {
        await people.insert(
          personRecord(nameUuid(`picker-person-${i}`), {
            teamId,
            givenName: 'Picker',
            familyName: `Person${i}`,
            dateOfBirth: '1960-01-01',
          }),
        )
      }
      const options = async (path: string) => {
        const $ = cheerio.load((await lw.get(path).expect(200)).text)
        return $('select#personId option')
          .map((_, o) => String($(o).attr('value') ?? ''))
          .get()
          .filter(Boolean)
      }
      const plain = await options(`/services/${serviceId}/refer`)
      expect(plain).to.have.length(25)
      expect(plain).to.not.include(DEMO_PEOPLE.priya)
      const priya = await t.services.people.get(demoActor('link-worker'), DEMO_PEOPLE.priya, null)
      const byName = await options(`/services/${serviceId}/refer?find=${encodeURIComponent(priya.familyName)}`)
      expect(byName[0]).to.equal(DEMO_PEOPLE.priya)
      expect(byName).to.have.length(26)
      if (priya.nhsNumber) {
        const byNumber = await options(`/services/${serviceId}/signpost?find=${priya.nhsNumber}`)
        expect(byNumber).to.have.length.at.least(1)
      }
      // A person chosen from their own page is offered, found or not.
      const chosen = await options(`/services/${serviceId}/refer?personId=${DEMO_PEOPLE.priya}`)
      expect(chosen[0]).to.equal(DEMO_PEOPLE.priya)
    })
  })
})
