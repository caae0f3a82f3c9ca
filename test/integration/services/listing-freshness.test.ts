import { expect } from 'chai'
import * as cheerio from 'cheerio'
import type { Express } from 'express'
import request from 'supertest'
import { createApp } from '../../../server/app'
import { loadConfig } from '../../../server/config'
import { createServices, type Services } from '../../../server/container'
import { wrapConnection } from '../../../server/data/db'
import { PUBLIC_STATUSES } from '../../../server/data/repositories/directory.repository'
import type { ServiceStatus } from '../../../server/domain/directory-vocabulary'
import { createListingRepository } from '../../../server/data/repositories/listing.repository'
import { createReferralRepository } from '../../../server/data/repositories/referral.repository'
import { createSearchIndex } from '../../../server/data/search/create-search-index'
import { createSessionStore } from '../../../server/data/session-store'
import { DEMO_VCO } from '../../../server/services/demo-accounts'
import { addMonths } from '../../../server/services/listing-freshness.service'
import { csrfTokenFrom, signIn } from '../../helpers/accounts'
import { useTestDatabase } from '../../helpers/database'
import { linkIn, useSmtpServer, type ReceivedMail } from '../../helpers/smtp'

const PUBLIC_URL = 'http://loopwell.test'
const LUNCH = '2097ea16-d796-54d2-8f38-718a3129255b' // Hendon Community Lunch (Age Well Barnet)
const MEMBER = 'vco.member@demo.loopwell.test'
const ADMIN = 'admin@demo.loopwell.test'
const DAY = 86_400_000

describe('Listing freshness', () => {
  const smtp = useSmtpServer()
  const database = useTestDatabase('listing_freshness')
  let services: Services
  let app: Express
  const now = new Date()

  before(async function () {
    this.timeout(60_000)
    const config = loadConfig({
      NODE_ENV: 'test',
      DEMO: 'true',
      SMTP_URL: smtp.url,
      PUBLIC_URL,
      RATE_LIMIT_PER_MINUTE: '10000',
      AUTH_RATE_LIMIT_PER_15_MINUTES: '10000',
    })
    services = createServices({ config, db: wrapConnection(database.connection), search: createSearchIndex({}) })
    await services.startup()
    // Every listing checked today, but one checked seven months ago: only that one is due.
    const col = database.connection.collection('services')
    await col.updateMany({}, { $set: { assured_date: now } })
    await col.updateOne({ _id: LUNCH as never }, { $set: { assured_date: addMonths(now, -7) } })
    await services.directory.rebuildIndex()
    app = createApp({ config, services, sessionStore: createSessionStore(database.connection, 3600) })
  })

  let reminder: ReceivedMail | undefined

  /** Decodes RFC 2047 encoded words (subjects with non-ASCII letters). */
  function subject(mail: ReceivedMail): string {
    return mail.subject.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, text: string) =>
      Buffer.from(
        text
          .replace(/_/g, ' ')
          .replace(/=([0-9A-F]{2})/gi, (_m: string, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8'),
    )
  }

  async function lunch() {
    return (await services.directory.getService(LUNCH)).service
  }

  async function answerByLink(link: string, answer: string) {
    const agent = request.agent(app)
    const _csrf = await csrfTokenFrom(agent, link)
    return agent.post(link.split('?')[0]!).type('form').send({ _csrf, answer })
  }

  describe('reminders', () => {
    it('emails the organisation a single-use link when a review is due, and nothing for listings not due', async () => {
      smtp.clear()
      const result = await services.freshness.runReminders(now)
      expect(result).to.deep.equal({ reminded: 1, escalated: 0 })
      const mail = await smtp.waitFor(MEMBER)
      reminder = mail
      expect(mail.subject).to.equal('Is your listing for Hendon Community Lunch still right?')
      expect(linkIn(mail, `${PUBLIC_URL}/listing-check/`)).to.match(/\?answer=accurate$/)
      expect(mail.text).to.contain(`${PUBLIC_URL}/listings/${LUNCH}/edit`)
      expect((await lunch()).freshness?.reminders_sent).to.equal(1)
    })

    it('sends no second reminder within the reminder gap', async () => {
      smtp.clear()
      expect(await services.freshness.runReminders(new Date(now.getTime() + DAY))).to.deep.equal({
        reminded: 0,
        escalated: 0,
      })
    })

    it('reads only what is due: each listing stores the month it is next due, and a run selects by it', async () => {
      const col = database.connection.collection<{ _id: string; freshness_due?: string; freshness_pending?: boolean }>(
        'services',
      )
      const month = (d: Date) => d.toISOString().slice(0, 7)
      expect(await col.countDocuments({ freshness_pending: true })).to.equal(0)
      // The reminded listing is next due when its reminder gap ends; the others when their review is.
      expect((await col.findOne({ _id: LUNCH }))?.freshness_due).to.equal(month(new Date(now.getTime() + 14 * DAY)))
      const others = await col.find({ _id: { $ne: LUNCH }, review_status: 'approved' }).toArray()
      expect(others.length).to.be.greaterThan(0)
      for (const o of others) {
        const shown = PUBLIC_STATUSES.includes((o as unknown as { status: ServiceStatus }).status)
        expect(o.freshness_due, o._id).to.equal(shown ? month(addMonths(now, 6)) : 'none')
      }
      // Nothing is due by today: the reminded listing is due in 14 days, the others in six months.
      const lunchDue = await col.findOne({ _id: LUNCH })
      expect((lunchDue as { freshness_due_day?: string } | null)?.freshness_due_day).to.equal(
        new Date(now.getTime() + 14 * DAY).toISOString().slice(0, 10),
      )
      const due = await createListingRepository(database.connection).listFreshnessDue(now.toISOString().slice(0, 10))
      expect(due.map((c) => c.id)).to.deep.equal([])
    })

    it('"still accurate" updates the checked date exactly once; the second use explains it was already used', async () => {
      const link = linkIn(reminder!, `${PUBLIC_URL}/listing-check/`).slice(PUBLIC_URL.length)
      const page = await request(app).get(link)
      expect(page.status).to.equal(200)
      expect(cheerio.load(page.text)('input[value="accurate"]').attr('checked')).to.not.equal(undefined)
      const first = await answerByLink(link, 'accurate')
      expect(first.status).to.equal(200)
      expect(first.text).to.contain('now shows it was checked today')
      const checked = (await lunch()).assured_date!
      expect(now.getTime() - checked.getTime()).to.be.lessThan(5 * 60_000)
      expect((await lunch()).freshness?.reminders_sent).to.equal(0)
      const again = await request(app).get(link)
      expect(again.text).to.contain('This link has already been used')
      const second = await answerByLink(link, 'closed').catch(() => null)
      // The form is gone on a used link, so a second answer comes from a stale page: post it directly.
      expect(second).to.equal(null)
      const replay = await services.freshness.answer(link.split('/').pop()!.split('?')[0]!, 'closed')
      expect(replay.applied).to.equal(false)
      expect((await lunch()).status).to.equal('active')
      expect((await lunch()).assured_date!.getTime()).to.equal(checked.getTime())
    })

    it('applies exactly one of several answers sent with one link at the same moment', async () => {
      await database.connection
        .collection('services')
        .updateOne({ _id: LUNCH as never }, { $set: { assured_date: addMonths(now, -7) } })
      smtp.clear()
      await services.freshness.runReminders(now)
      const secret = linkIn(await smtp.waitFor(MEMBER), `${PUBLIC_URL}/listing-check/`)
        .split('/')
        .pop()!
        .split('?')[0]!
      const results = await Promise.all(Array.from({ length: 6 }, () => services.freshness.answer(secret, 'accurate')))
      expect(results.filter((r) => r.applied)).to.have.length(1)
    })

    it('after three unanswered reminders tells curators, and the listing shows and ranks as not recently checked', async () => {
      await database.connection
        .collection('services')
        .updateOne({ _id: LUNCH as never }, { $set: { assured_date: addMonths(now, -7) } })
      smtp.clear()
      for (let i = 0; i < 3; i++) {
        const r = await services.freshness.runReminders(new Date(now.getTime() + i * 15 * DAY))
        expect(r.reminded, `reminder ${i + 1}`).to.equal(1)
      }
      expect(smtp.to(MEMBER).filter((m) => m.subject.startsWith('Is your listing'))).to.have.length(3)
      const fourth = await services.freshness.runReminders(new Date(now.getTime() + 45 * DAY))
      expect(fourth).to.deep.equal({ reminded: 0, escalated: 1 })
      const curators = await smtp.waitFor(ADMIN)
      expect(curators.subject).to.equal('1 listing not checked after 3 reminders')
      expect(curators.text).to.contain(`/admin/listings/${LUNCH}/history`)
      expect((await lunch()).freshness?.escalated_at).to.not.equal(null)

      const search = await request(app).get('/services?q=community+lunch')
      const $ = cheerio.load(search.text)
      const results = $(`a[href^="/services/"]`)
        .map((_, a) => $(a).attr('href'))
        .get()
        .filter((h) => /^\/services\/[0-9a-f-]{36}$/.test(h))
      expect(results).to.include(`/services/${LUNCH}`)
      // Most words matched first; among listings matching as many words, the stale one after the checked ones.
      const names = $(`a[href^="/services/"]`)
        .map((_, a) => ({ href: $(a).attr('href'), name: $(a).text() }))
        .get()
        .filter((r) => /^\/services\/[0-9a-f-]{36}$/.test(r.href ?? ''))
      const at = names.findIndex((r) => r.href === `/services/${LUNCH}`)
      const both = (name: string) => /community/i.test(name) && /lunch/i.test(name)
      expect(
        names.slice(at + 1).filter((r) => both(r.name)),
        'no listing named for both words ranks below the stale one',
      ).to.deep.equal([])
      const card = $(`a[href="/services/${LUNCH}"]`).closest('li')
      expect(card.text()).to.contain('Not recently checked')
      expect(card.text(), 'the date it was last checked, not "Never"').to.not.contain('Never')
      expect((await request(app).get(`/services/${LUNCH}`)).text).to.contain('Not recently checked')

      // A check clears it.
      const member = await signIn(app, MEMBER)
      const _csrf = await csrfTokenFrom(member, `/listings/${LUNCH}`)
      await member.post(`/listings/${LUNCH}/still-accurate`).type('form').send({ _csrf }).expect(303)
      expect((await lunch()).freshness?.escalated_at).to.equal(null)
      expect((await request(app).get(`/services/${LUNCH}`)).text).to.not.contain('Not recently checked')
    })

    it('shows a link that does not exist as not working, with 410', async () => {
      const res = await request(app).get('/listing-check/not-a-real-link')
      expect(res.status).to.equal(410)
      expect(res.text).to.contain('This link does not work')
    })
  })

  describe('telling referrers', () => {
    it('emails link workers who referred into a service in the last 3 months when it goes full', async () => {
      const repository = createReferralRepository(database.connection)
      const open = await repository.listOpenByOrganisation(DEMO_VCO.id)
      const referrals = [...open, ...(await repository.pageClosedByOrganisation([DEMO_VCO.id], open, 1)).items]
      const recent = referrals.find((r) => now.getTime() - r.submittedAt.getTime() < 90 * DAY)
      expect(recent, 'the demo has a recent referral to Age Well Barnet').to.not.equal(undefined)
      const service = (await services.directory.getService(recent!.serviceId)).service
      if (service.referral.capacity !== 'open') {
        await database.connection
          .collection('services')
          .updateOne({ _id: service.id as never }, { $set: { 'referral.capacity': 'open' } })
      }
      smtp.clear()
      const member = await signIn(app, MEMBER)
      const _csrf = await csrfTokenFrom(member, `/listings/${service.id}`)
      await member.post(`/listings/${service.id}/capacity`).type('form').send({ _csrf, capacity: 'full' }).expect(303)
      const mail = await smtp.waitFor(recent!.referrer.email)
      expect(subject(mail)).to.contain('is now full')
      expect(mail.text).to.not.contain(recent!.personId ?? 'no person id')
    })
  })
})
