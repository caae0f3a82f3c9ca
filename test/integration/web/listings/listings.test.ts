import { expect } from 'chai'
import * as cheerio from 'cheerio'
import request from 'supertest'
import { DEMO_ANCHORS } from '../../../../server/data/demo/generate'
import { nameUuid } from '../../../../server/domain/ids'
import { pathFor } from '../../../../server/paths'
import { DEMO_VCO } from '../../../../server/services/demo-accounts'
import { useTestApp } from '../../../helpers/app'
import { csrfTokenFrom, signIn, type Agent } from '../../../helpers/accounts'
import { errorLinks } from '../../../helpers/forms'
import { useSmtpServer } from '../../../helpers/smtp'

const PUBLIC_URL = 'http://loopwell.test'
/** Age Well Barnet's listings in the demo directory (stable name-based ids). */
const LUNCH = '2097ea16-d796-54d2-8f38-718a3129255b' // Hendon Community Lunch
const MILL_HILL_LUNCH = 'b4e337f5-98c2-58b0-b978-258316f5aaf7'
const CAFE = '093242a1-5d80-52b0-8565-e2a7152d251b' // High Barnet Dementia-Friendly Memory Café
const PHONE = '6ab76764-c369-500f-93b4-9385c3a02ee0' // Telephone Befriending – Hendon
const OTHER_ORG_SERVICE = DEMO_ANCHORS.walkingGroup
const MEMBER = 'vco.member@demo.loopwell.test'
const ADMIN = 'admin@demo.loopwell.test'

function editBody(overrides: Record<string, string> = {}) {
  return {
    name: 'Hendon Community Lunch',
    description: 'A hot two-course lunch and a chat every week for older people in Hendon. Vegetarian option.',
    url: '',
    email: '',
    eligibility_description: 'People aged 60 and over',
    minimum_age: '60',
    maximum_age: '',
    accepts_referrals: 'yes',
    referral_instructions: '',
    day1: 'TH',
    opens1: '12:00',
    closes1: '14:00',
    ...overrides,
  }
}

describe('Keeping listings true', () => {
  const smtp = useSmtpServer()
  const t = useTestApp('listings', () => ({ DEMO: 'true', SMTP_URL: smtp.url, PUBLIC_URL }))
  let member: Agent
  let admin: Agent

  before(async () => {
    member = await signIn(t.app, MEMBER)
    admin = await signIn(t.app, ADMIN)
  })

  async function post(agent: Agent, path: string, body: Record<string, string>, page = path) {
    const _csrf = await csrfTokenFrom(agent, page)
    return agent
      .post(path)
      .type('form')
      .send({ _csrf, ...body })
  }

  /** The member proposes an edit of the telephone befriending listing; the change request it queued. */
  async function proposePhoneEdit(fields: Record<string, string>) {
    const res = await post(member, `/listings/${PHONE}/edit`, editBody(fields))
    expect(res.status).to.equal(303)
    return (await t.services.listings.reviewQueue()).requests.find((r) => r.service_id === PHONE)!
  }

  /** A quick action on listing `id` as the member, from the listing's own page (its forms post to /listings/:id/…). */
  const quickAction = (id: string, action: string, fields: Record<string, string> = {}) =>
    post(member, `/listings/${id}/${action}`, fields, `/listings/${id}`)

  async function publicPage(id: string) {
    return request(t.app).get(pathFor('/services/:id', { id }))
  }

  describe('quick actions', () => {
    it('changes capacity at once: the public page and search show it', async () => {
      const res = await quickAction(LUNCH, 'capacity', {
        capacity: 'full',
        capacity_note: 'Full until the new kitchen opens',
        reopens: '2026-03-31',
      })
      expect(res.status).to.equal(303)
      const page = await publicPage(LUNCH)
      expect(page.text).to.contain('Full until the new kitchen opens')
      expect(page.text).to.contain('31 March 2026')
      const search = await request(t.app).get('/services?q=Hendon+Community+Lunch')
      const card = cheerio.load(search.text)(`a[href="/services/${LUNCH}"]`).closest('li, .nhsuk-card, article')
      expect(card.text()).to.match(/full/i)
    })

    it('refuses an unknown capacity or a bad date with the error summary, keeping what was typed and saving nothing', async () => {
      const before = await t.services.directory.getService(LUNCH)
      const res = await quickAction(LUNCH, 'capacity', {
        capacity: 'overflowing',
        capacity_note: 'typed note',
        reopens: '31/03/2026',
      })
      expect(res.status).to.equal(400)
      expect(errorLinks(res.text)).to.deep.equal(['#capacity', '#reopens'])
      expect(res.text).to.contain('value="typed note"')
      const after = await t.services.directory.getService(LUNCH)
      expect(after.service.referral.capacity).to.equal(before.service.referral.capacity)
    })

    it('marks a listing temporarily closed and open again', async () => {
      expect((await quickAction(MILL_HILL_LUNCH, 'temporarily-closed', { closed: 'yes' })).status).to.equal(303)
      expect((await publicPage(MILL_HILL_LUNCH)).text).to.contain('Temporarily closed')
      expect((await quickAction(MILL_HILL_LUNCH, 'temporarily-closed', { closed: 'no' })).status).to.equal(303)
      expect((await publicPage(MILL_HILL_LUNCH)).text).to.not.contain('Temporarily closed')
    })

    it('"still accurate" sets the checked date to today and says the organisation checked it', async () => {
      expect((await quickAction(CAFE, 'still-accurate')).status).to.equal(303)
      const { service } = await t.services.directory.getService(CAFE)
      expect(service.assured_date!.toISOString().slice(0, 10)).to.equal(new Date().toISOString().slice(0, 10))
      expect(service.assurer_method).to.equal('vco_confirmed')
      const page = await publicPage(CAFE)
      expect(page.text).to.contain('Checked by: the organisation')
      expect(page.text).to.not.contain(MEMBER)
    })
  })

  describe('edits, review and history', () => {
    it('keeps the live listing as it was until a curator approves; then it changes and the history has both versions', async () => {
      smtp.clear()
      const description =
        'A hot two-course lunch and a chat every Thursday for older people in Hendon. Vegetarian option.'
      const res = await post(member, `/listings/${LUNCH}/edit`, editBody({ description }))
      expect(res.status).to.equal(303)
      expect((await publicPage(LUNCH)).text).to.not.contain(description)

      const queue = await admin.get('/admin/listings/review')
      const link = cheerio
        .load(queue.text)('a')
        .filter((_, a) => cheerio.load(queue.text)(a).text() === 'Hendon Community Lunch')
        .attr('href')!
      expect(link).to.match(/^\/admin\/listings\/changes\//)
      const diff = await admin.get(link)
      const $ = cheerio.load(diff.text)
      const rows = $('tbody tr')
        .map((_, tr) => $(tr).find('th').text().replace('Detail ', '').trim())
        .get()
      expect(rows).to.include('Description')
      expect(rows).to.include('Weekly opening times')
      expect(diff.text).to.contain('Thursday 12:00 to 14:00')

      const approved = await post(admin, link, { decision: 'approve' })
      expect(approved.status).to.equal(303)
      expect((await publicPage(LUNCH)).text).to.contain(description)
      const mail = await smtp.waitFor(MEMBER)
      expect(mail.subject).to.equal('Your change to Hendon Community Lunch is live')

      const history = await admin.get(`/admin/listings/${LUNCH}/history`)
      const versions = cheerio.load(history.text)('tbody tr').length
      expect(versions).to.equal(2)
      expect(history.text).to.contain('approved change')
    })

    it('restores an earlier version as a new version, live at once', async () => {
      const restored = await post(
        admin,
        `/admin/listings/${LUNCH}/restore`,
        { version: '1' },
        `/admin/listings/${LUNCH}/history`,
      )
      expect(restored.status).to.equal(303)
      expect((await publicPage(LUNCH)).text).to.not.contain('every Thursday for older people')
      const history = await admin.get(`/admin/listings/${LUNCH}/history`)
      expect(cheerio.load(history.text)('tbody tr').length).to.equal(3)
      expect(history.text).to.contain('restored version 1')
    })

    it('re-renders an invalid edit with every problem linked, the values typed, and no change request', async () => {
      const pendingBefore = (await t.services.listings.reviewQueue()).requests.length
      const res = await post(
        member,
        `/listings/${PHONE}/edit`,
        editBody({
          name: '',
          description: 'short',
          url: 'not a website',
          minimum_age: '70',
          maximum_age: '65',
          day1: 'TH',
          opens1: '14:00',
          closes1: '13:00',
        }),
      )
      expect(res.status).to.equal(400)
      expect(errorLinks(res.text)).to.deep.equal(['#name', '#description', '#url', '#maximum_age', '#closes1'])
      expect(res.text).to.contain('value="not a website"')
      expect((await t.services.listings.reviewQueue()).requests.length).to.equal(pendingBefore)
    })

    it('rejects with a reason that is emailed to the person who asked; an empty reason is refused', async () => {
      const request = await proposePhoneEdit({
        name: 'Telephone Befriending – Hendon and Colindale',
        description: 'A volunteer rings you each week for a chat, in Hendon and Colindale.',
      })
      const page = `/admin/listings/changes/${request.id}`
      const empty = await post(admin, page, { decision: 'reject', reason: '' })
      expect(empty.status).to.equal(400)
      expect(errorLinks(empty.text)).to.deep.equal(['#reason'])
      smtp.clear()
      const res = await post(admin, page, { decision: 'reject', reason: 'Colindale is covered by another branch.' })
      expect(res.status).to.equal(303)
      const mail = await smtp.waitFor(MEMBER)
      expect(mail.text).to.contain('Colindale is covered by another branch.')
      expect((await publicPage(PHONE)).text).to.not.contain('Hendon and Colindale')
    })

    it('edit-and-approve puts the curator’s corrected values live', async () => {
      const request = await proposePhoneEdit({
        name: 'Telephone Befriending – Hendon',
        description: 'A volunteer ringz you each week for a chat.',
      })
      const res = await post(
        admin,
        `/admin/listings/changes/${request.id}/edit`,
        editBody({
          name: 'Telephone Befriending – Hendon',
          description: 'A volunteer rings you each week for a chat.',
        }),
      )
      expect(res.status).to.equal(303)
      const page = await publicPage(PHONE)
      expect(page.text).to.contain('A volunteer rings you each week for a chat.')
      expect((await admin.get(`/admin/listings/${PHONE}/history`)).text).to.contain('edited and approved')
    })

    it('keeps a new listing private until a curator approves it', async () => {
      const res = await post(
        member,
        `/organisations/${DEMO_VCO.id}/listings/new`,
        editBody({
          name: 'Hendon Knit and Natter',
          description: 'Knitting, crochet and a natter over tea for anyone who likes making things.',
        }),
      )
      expect(res.status).to.equal(303)
      const id = String(res.headers.location).split('/')[2]!.split('?')[0]!
      expect((await publicPage(id)).status).to.equal(404)
      const request = (await t.services.listings.reviewQueue()).requests.find((r) => r.service_id === id)!
      expect(request.kind).to.equal('new_service')
      await post(admin, `/admin/listings/changes/${request.id}`, { decision: 'approve' }).then((r) =>
        expect(r.status).to.equal(303),
      )
      const page = await publicPage(id)
      expect(page.status).to.equal(200)
      expect(page.text).to.contain('Hendon Knit and Natter')
    })
  })

  describe('another organisation’s listing', () => {
    for (const path of ['/listings/:id', '/listings/:id/edit']) {
      it(`answers ${path} as for a listing that does not exist`, async () => {
        const other = await member.get(path.replace(':id', OTHER_ORG_SERVICE))
        const missing = await member.get(path.replace(':id', nameUuid('no such listing')))
        expect(other.status).to.equal(404)
        expect(missing.status).to.equal(404)
        const strip = (s: string) => s.replace(/nonce="[^"]+"|value="[^"]+"/g, '')
        expect(strip(other.text)).to.equal(strip(missing.text))
      })
    }

    it('refuses quick actions on it with 404 and changes nothing', async () => {
      const before = await t.services.directory.getService(OTHER_ORG_SERVICE)
      const res = await post(
        member,
        `/listings/${OTHER_ORG_SERVICE}/capacity`,
        { capacity: 'full' },
        `/listings/${LUNCH}`,
      )
      expect(res.status).to.equal(404)
      const after = await t.services.directory.getService(OTHER_ORG_SERVICE)
      expect(after.service.referral.capacity).to.equal(before.service.referral.capacity)
    })
  })

  describe('report a problem', () => {
    it('queues a report for the organisation and curators, emailing them a link but not the details', async () => {
      smtp.clear()
      const anonymous = request.agent(t.app)
      const page = `/services/${MILL_HILL_LUNCH}/report`
      const invalid = await post(anonymous, page, { kind: 'nonsense', details: 'kept text' })
      expect(invalid.status).to.equal(400)
      expect(errorLinks(invalid.text)).to.deep.equal(['#kind'])
      expect(invalid.text).to.contain('kept text')
      const res = await post(anonymous, page, {
        kind: 'wrong_details',
        details: 'The lunch moved to the library on Tuesdays.',
      })
      expect(res.status).to.equal(200)
      const mail = await smtp.waitFor(MEMBER)
      expect(mail.subject).to.contain('A problem was reported')
      expect(mail.text).to.not.contain('library')
      await smtp.waitFor(ADMIN)
      const listings = await member.get(`/organisations/${DEMO_VCO.id}/listings`)
      expect(listings.text).to.contain('The lunch moved to the library on Tuesdays.')
      expect((await admin.get('/admin/listings/review')).text).to.contain('The lunch moved to the library on Tuesdays.')
    })

    it('links to the report form from the public page', async () => {
      const page = await publicPage(CAFE)
      expect(cheerio.load(page.text)(`a[href="/services/${CAFE}/report"]`).text()).to.contain('Report a problem')
    })
  })

  describe('a long review queue', () => {
    const copies: string[] = []
    after(async () => {
      await t.connection.collection('change_requests').deleteMany({ _id: { $in: copies } } as never)
    })

    it('shows waiting changes 25 at a time, oldest first, every one reachable by Next', async () => {
      await post(member, `/listings/${CAFE}/edit`, editBody({ name: 'High Barnet Memory Café' }))
      const [request] = (await t.services.listings.reviewQueue()).requests.filter((r) => r.service_id === CAFE)
      expect(request, 'a pending change to copy').to.not.equal(undefined)
      const { id: _id, ...rest } = request!
      for (let i = 0; i < 30; i++) {
        const id = nameUuid(`queued change ${i}`)
        copies.push(id)
        await t.connection.collection('change_requests').insertOne({
          ...rest,
          _id: id,
          service_name: `Queued listing ${String(i).padStart(2, '0')}`,
          submitted_at: new Date(Date.UTC(2026, 0, 1 + i)),
        } as never)
      }
      const waiting = (await t.services.listings.reviewQueue()).requests.length
      expect(waiting).to.be.greaterThan(30)
      const first = cheerio.load((await admin.get('/admin/listings/review')).text)
      const rows = (page: cheerio.CheerioAPI) =>
        page('table tbody tr td:first-child a')
          .map((_, a) => page(a).text())
          .get()
      expect(rows(first)).to.have.length(25)
      expect(rows(first)[0]).to.equal('Queued listing 00')
      expect(first.text()).to.contain(`Showing 1 to 25 of ${waiting}`)
      const next = first('nav[aria-label="Pages of changes waiting for review"] a').attr('href')!
      expect(next).to.equal('/admin/listings/review?requests=2')
      const second = cheerio.load((await admin.get(next)).text)
      expect(rows(second)).to.have.length(waiting - 25)
      expect(rows(second)).to.include('Queued listing 29')
      expect((await admin.get('/admin/listings/review?requests=two')).status).to.equal(400)
    })
  })
})
