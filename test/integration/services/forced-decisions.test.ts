// Single decisions under forced interleavings, not lucky timing: a listing change decided by two curators at once, and
// a feedback link answered twice at once. Each race is made to happen by holding both racers, once both have read the
// record as still open, at their first write, until both are there. The services and repositories are the real ones
// over the real database; only those reads and writes are held.
//  - two curators approve one change (one of them with edits of their own), or one approves while the other rejects:
//    exactly one decision applies, whole (one new version, the listing as that curator decided, one email, one audit
//    event); the other curator is told someone else decided it; a later try is told what was decided;
//  - the same feedback link answered twice at once (two tabs, a double click): one answer stored, once; the other is
//    told the link has been used, and so is anyone who opens it later;
//  - a password reset link used twice at once with two different passwords: one is set, the other refused;
//  - a listing check link answered "still accurate" and "closed" at once: one answer applies, the other is told the
//    link was used, with the answer that stands.
import { expect } from 'chai'
import * as cheerio from 'cheerio'
import request from 'supertest'
import type { ListingFields } from '../../../server/data/listing-records'
import { createSmtpMailer } from '../../../server/data/mail/smtp-mailer'
import type { Mailer } from '../../../server/data/mail/mailer'
import { createRepositories } from '../../../server/data/repositories'
import { newId } from '../../../server/domain/ids'
import { pathFor, paths } from '../../../server/paths'
import { ConflictError } from '../../../server/errors'
import { createAccountService } from '../../../server/services/account.service'
import { DEMO_VCO } from '../../../server/services/demo-accounts'
import { createFreshnessService, hashToken } from '../../../server/services/listing-freshness.service'
import { createAuditService } from '../../../server/services/audit.service'
import { verifyPassword } from '../../../server/services/password'
import { createListingService, type ListingUser } from '../../../server/services/listing.service'
import { fieldsOf } from '../../../server/services/listing-fields'
import { createPersonFeedbackService } from '../../../server/services/outcomes/person-feedback.service'
import { DEMO_REFERRALS } from '../../../server/services/demo-referrals'
import { csrfTokenFrom, signIn } from '../../helpers/accounts'
import { useTestApp } from '../../helpers/app'
import { barrier, holding, type Barrier } from '../../helpers/barrier'
import { demoActor } from '../../helpers/referrals'
import { useSmtpServer } from '../../helpers/smtp'

const PUBLIC_URL = 'http://loopwell.test'
/** Age Well Barnet's Hendon Community Lunch in the demo directory: the demo VCO member may change it. */
const LUNCH = '2097ea16-d796-54d2-8f38-718a3129255b'
const MEMBER = demoActor('vco-member')
const ADMIN = demoActor('admin')
/** A second curator: the service asks only for a user; the route checks the role. */
const OTHER: ListingUser = { ...ADMIN, id: 'curator-two', name: 'Cora Second', email: 'cora.second@example.test' }

describe('Single decisions, forced', () => {
  const smtp = useSmtpServer()
  const t = useTestApp('forced_decisions', () => ({ DEMO: 'true', SMTP_URL: smtp.url, PUBLIC_URL }))
  let mailer: Mailer
  before(() => {
    mailer = createSmtpMailer({ url: smtp.url, from: 'loopwell@example.org' })
  })
  after(() => mailer.close())

  const real = () => createRepositories(t.connection, () => undefined)
  const audit = () =>
    createAuditService({
      audit: real().audit,
      findUserIdByEmail: async (email) => (await real().accounts.findUserByEmail(email))?.id ?? null,
    })

  describe('a listing change decided by two curators at once', () => {
    /**
     * The real listing service (one app instance) over a listing repository whose reads of a change request hold at
     * `read`, and whose first write of a decision (the claim on it; before that claim existed, the new version or the
     * request's status) holds at `write`.
     */
    function listingServiceHeld(read: Barrier, write: Barrier) {
      const repos = real()
      const listings = holding(repos.listings, {
        after: { getChangeRequest: read },
        before: { claimDecision: write, insertVersion: write, decideChangeRequest: write },
      })
      return createListingService({
        directory: repos.directory,
        listings,
        reindex: (id) => t.services.directory.reindexService(id),
        audit: audit(),
        mailer,
        curatorEmails: async () => [],
        memberEmails: async () => [],
        recentReferrers: null,
        publicUrl: PUBLIC_URL,
        newId,
      })
    }

    /**
     * Two decisions on one change request made at once through one held listing service: both read the request, then
     * both reach their first write, before either goes on.
     */
    async function decideAtOnce(decide: (service: ReturnType<typeof listingServiceHeld>) => Promise<unknown>[]) {
      const read = barrier(2)
      const write = barrier(2)
      const service = listingServiceHeld(read, write)
      smtp.clear()
      const results = await Promise.allSettled(decide(service))
      expect(read.reached && write.reached, 'both read the request, then both reached a write').to.equal(true)
      return results
    }

    /** A change to the lunch's description, sent for review by the organisation; returns the request and fields. */
    async function requestChange(description: string) {
      const service = (await real().directory.getService(LUNCH))!
      const fields: ListingFields = { ...fieldsOf(service), description }
      const request = await t.services.listings.submitEdit(MEMBER, LUNCH, fields)
      return { request, fields, before: service }
    }

    const liveEmails = () => smtp.messages.filter((m) => /is live$/.test(m.subject) && m.to.includes(MEMBER.email))
    const refusals = () => smtp.messages.filter((m) => m.to.includes(MEMBER.email) && /not/i.test(m.subject))
    const decisionsOf = async (requestId: string) =>
      (await real().audit.search({ recordId: LUNCH, limit: 500, skip: 0 })).events.filter(
        (e) => (e.detail as { changeRequestId?: string } | null)?.changeRequestId === requestId,
      )

    it('applies exactly one of two approvals, one with edits, made at once; the other curator is told', async () => {
      for (let round = 0; round < 3; round++) {
        const { request, fields, before } = await requestChange(`Lunch and a chat, forced approval ${round}.`)
        const edited: ListingFields = { ...fields, description: `Edited by the second curator, round ${round}.` }
        const results = await decideAtOnce((service) => [
          service.approve(ADMIN, request.id),
          service.approve(OTHER, request.id, edited),
        ])
        expect(results.map((r) => r.status).sort()).to.deep.equal(['fulfilled', 'rejected'])
        const lost = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as Error
        expect(lost).to.be.instanceOf(ConflictError)
        expect(lost.message).to.equal(
          'Another curator decided this change a moment ago. Look at the review queue to see what they decided.',
        )
        const [winner, description] =
          results[0]!.status === 'fulfilled' ? [ADMIN, fields.description] : [OTHER, edited.description]

        const after = (await real().directory.getService(LUNCH))!
        expect(after.description).to.equal(description)
        expect(after.version).to.equal((before.version ?? 1) + 1)
        const versions = await t.connection
          .collection('service_versions')
          .countDocuments({ service_id: LUNCH, version: after.version })
        expect(versions, 'one new version').to.equal(1)
        const decided = (await real().listings.getChangeRequest(request.id))!
        expect(decided.status).to.equal('approved')
        expect(decided.decided_by?.id).to.equal(winner.id)
        expect(
          await decisionsOf(request.id),
          'one audit event for the request and one for the approval',
        ).to.have.length(2)
        await smtp.waitFor(MEMBER.email)
        expect(liveEmails(), 'the organisation told once').to.have.length(1)
      }
    })

    it('applies exactly one of an approval and a rejection made at once', async () => {
      const outcomes = new Set<string>()
      for (let round = 0; round < 4; round++) {
        const { request, fields, before } = await requestChange(`Lunch, approve or reject ${round}.`)
        const results = await decideAtOnce((service) => [
          service.approve(ADMIN, request.id),
          service.reject(OTHER, request.id, 'The times are wrong.'),
        ])
        expect(results.map((r) => r.status).sort()).to.deep.equal(['fulfilled', 'rejected'])
        expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).to.be.instanceOf(
          ConflictError,
        )
        const approved = results[0]!.status === 'fulfilled'
        outcomes.add(approved ? 'approved' : 'rejected')
        const after = (await real().directory.getService(LUNCH))!
        const decided = (await real().listings.getChangeRequest(request.id))!
        await smtp.waitFor(MEMBER.email)
        if (approved) {
          expect(decided.status).to.equal('approved')
          expect(after.description).to.equal(fields.description)
          expect(after.version).to.equal((before.version ?? 1) + 1)
          expect(liveEmails()).to.have.length(1)
          expect(refusals(), 'no refusal sent for an approved change').to.have.length(0)
        } else {
          expect(decided.status).to.equal('rejected')
          expect(after.description).to.equal(before.description)
          expect(after.version).to.equal(before.version)
          expect(liveEmails(), 'no "live" email for a rejected change').to.have.length(0)
        }
      }
      // Which one wins is the database's choice; both outcomes are whole ones.
      expect(outcomes.size).to.be.at.least(1)
    })

    it('tells a curator who decides a change already decided what was decided, and by whom', async () => {
      const { request } = await requestChange('Lunch, decided before the second curator clicked.')
      await t.services.listings.approve(ADMIN, request.id)
      let thrown: unknown
      await t.services.listings.approve(OTHER, request.id).catch((error: unknown) => (thrown = error))
      expect(thrown).to.be.instanceOf(ConflictError)
      expect((thrown as Error).message).to.equal(`This change has already been approved by ${ADMIN.name}.`)

      // Over HTTP, the page says so with 409.
      const { request: next } = await requestChange('Lunch, rejected before the approval.')
      await t.services.listings.reject(OTHER, next.id, 'Not yet.')
      const admin = await signIn(t.app, ADMIN.email)
      const path = pathFor(paths.adminChangeRequest, { changeRequestId: next.id })
      const _csrf = await csrfTokenFrom(admin, paths.adminListingReview)
      const res = await admin.post(path).type('form').send({ _csrf, decision: 'approve' })
      expect(res.status).to.equal(409)
      expect(cheerio.load(res.text)('main p').first().text()).to.equal(
        'This change has already been rejected by Cora Second.',
      )
    })
  })

  describe('a feedback link answered twice at once', () => {
    it('stores one answer; the other submission, and anyone opening the link after, is told it has been used', async () => {
      const referralId = DEMO_REFERRALS.attending
      const issued = await t.services.personFeedback.issue(ADMIN, referralId, { channel: 'copy' }, null)
      const token = issued.url.split('/feedback/')[1]!
      const read = barrier(2)
      const write = barrier(2)
      const links = real().feedbackLinks
      const held = holding(links, { after: { find: read }, before: { use: write } })
      const service = createPersonFeedbackService({
        links: held,
        referrals: t.services.outcomes.feedbackPort,
        audit: audit(),
        mailer,
        publicUrl: PUBLIC_URL,
      })
      const results = await Promise.all([
        service.answer(token, { went: 'yes', helped: 'a_lot', anythingElse: 'First tab' }, {}, null),
        service.answer(token, { went: 'no', helped: null, anythingElse: 'Second tab' }, {}, null),
      ])
      expect(read.reached && write.reached, 'both found the link unused, then both tried to use it').to.equal(true)
      expect(results.filter((r) => r === 'used')).to.have.length(1)
      expect(results.filter((r) => typeof r === 'object' && r.ok)).to.have.length(1)
      const said = results[0] === 'used' ? 'Second tab' : 'First tab'

      const stored = await t.connection.collection('referrals').findOne({ _id: referralId as never })
      expect((stored?.outcome as { person?: { anythingElse: string } }).person?.anythingElse).to.equal(said)
      const answered = (await real().audit.search({ recordId: referralId, limit: 500, skip: 0 })).events.filter(
        (e) => (e.detail as { action?: string } | null)?.action === 'person-feedback',
      )
      expect(answered, 'one answer recorded').to.have.length(1)

      const visitor = request.agent(t.app)
      const _csrf = await csrfTokenFrom(visitor, paths.signIn)
      for (const res of [
        await visitor.get(`/feedback/${token}`),
        await visitor.post(`/feedback/${token}`).type('form').send({ _csrf, went: 'yes', helped: 'a_lot' }),
      ]) {
        expect(res.status).to.equal(410)
        expect(cheerio.load(res.text)('h1').text()).to.equal('This link has been used')
      }
    })
  })

  describe('a password reset link used twice at once', () => {
    it('sets one of the two passwords and refuses the other, both having found the link unused', async () => {
      const gp = demoActor('gp')
      t.services.accounts.requestPasswordReset(gp.email, null)
      await t.services.accounts.settled()
      const mail = await smtp.waitFor(gp.email)
      const secret = /\/reset-password\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!
      const read = barrier(2)
      const write = barrier(2)
      const repos = real()
      const accounts = holding(repos.accounts, { after: { findUsableToken: read }, before: { useToken: write } })
      const service = createAccountService({
        accounts,
        audit: audit(),
        mailer,
        settings: {
          publicUrl: PUBLIC_URL,
          invitationMs: t.config.invitationMs,
          passwordResetMs: t.config.passwordResetMs,
          signIn: { maxFailures: 5, lockMs: 900_000, perNetworkPer15Minutes: 1_000 },
        },
      })
      const passwords = ['first tab chooses lighthouse', 'second tab chooses harbour wall']
      const results = await Promise.all(passwords.map((p) => service.resetPassword(secret, p, null)))
      expect(read.reached && write.reached, 'both found the link unused, then both tried to use it').to.equal(true)
      expect(results.filter(Boolean)).to.have.length(1)
      const hash = (await repos.accounts.findUserById(gp.id))!.passwordHash!
      const set = await Promise.all(passwords.map((p) => verifyPassword(hash, p)))
      expect(set, 'the winner’s password, and only it').to.deep.equal(results)
      const completed = (await repos.audit.search({ recordId: gp.id, limit: 50, skip: 0 })).events.filter(
        (e) => e.action === 'password-reset.completed',
      )
      expect(completed).to.have.length(1)
    })
  })

  describe('a listing check link answered twice at once', () => {
    it('applies one answer; the other is told the link was used, with the answer that stands', async () => {
      const service = 'b4e337f5-98c2-58b0-b978-258316f5aaf7' // Mill Hill Community Lunch, Age Well Barnet's
      const secret = 'forced-listing-check-secret-0123456789abcdef'
      const now = new Date()
      const repos = real()
      await repos.listings.insertToken({
        id: hashToken(secret),
        service_id: service,
        organization_id: DEMO_VCO.id,
        created_at: now,
        expires_at: new Date(now.getTime() + 14 * 86_400_000),
      })
      const read = barrier(2)
      const write = barrier(2)
      const listings = holding(repos.listings, { after: { getTokenUse: read }, before: { useToken: write } })
      const freshness = createFreshnessService({
        directory: repos.directory,
        listings,
        listingService: t.services.listings,
        reindex: (id) => t.services.directory.reindexService(id),
        audit: audit(),
        mailer,
        curatorEmails: async () => [],
        memberEmails: async () => [],
        settings: { ...t.config.listingFreshness, publicUrl: PUBLIC_URL },
      })
      const results = await Promise.all([freshness.answer(secret, 'accurate'), freshness.answer(secret, 'closed')])
      expect(read.reached && write.reached, 'both found the link unused, then both tried to use it').to.equal(true)
      expect(results.map((r) => r.applied).sort()).to.deep.equal([false, true])
      const stands = results[0]!.applied ? 'accurate' : 'closed'
      for (const r of results) expect(r.state).to.include({ state: 'used', answer: stands })
      const after = (await repos.directory.getService(service))!
      expect(after.status).to.equal(stands === 'closed' ? 'inactive' : 'active')
    })
  })
})
