import { expect } from 'chai'
import { createSmtpMailer } from '../../../server/data/mail/smtp-mailer'
import { createAuditRepository } from '../../../server/data/repositories/audit.repository'
import { createFeedbackLinkRepository } from '../../../server/data/repositories/feedback-link.repository'
import { createAuditService } from '../../../server/services/audit.service'
import type { MeasureRecord } from '../../../server/services/measures/measures'
import type { PersonFeedback } from '../../../server/services/outcomes/outcome'
import {
  createPersonFeedbackService,
  type FeedbackReferralPort,
} from '../../../server/services/outcomes/person-feedback.service'
import { useTestDatabase } from '../../helpers/database'
import { swemwbsForm } from '../../helpers/measures'
import { useSmtpServer } from '../../helpers/smtp'

const REFERRAL = 'b2f1c1de-0000-4000-8000-000000000001'
const actor = { id: 'user-1', email: 'link.worker@example.test' }

describe('PersonFeedbackService', () => {
  const database = useTestDatabase('person-feedback')
  const smtp = useSmtpServer()
  let now = new Date('2026-05-01T09:00:00Z')
  // The referral side's port, recording what lands on the referral (the referral service provides the real one).
  const landed: { referralId: string; feedback: PersonFeedback; measures: MeasureRecord[] }[] = []
  const port: FeedbackReferralPort = {
    describe: async (id) =>
      id === REFERRAL ? { serviceName: 'Walk and Talk', organisationName: 'Age Well Barnet' } : null,
    recordPersonFeedback: async (referralId, feedback, measures) => {
      landed.push({ referralId, feedback, measures })
    },
  }
  let service: ReturnType<typeof createPersonFeedbackService>
  let audit: ReturnType<typeof createAuditService>

  before(() => {
    audit = createAuditService({
      audit: createAuditRepository(database.connection),
      findUserIdByEmail: async () => null,
      clock: () => now,
    })
    service = createPersonFeedbackService({
      links: createFeedbackLinkRepository(database.connection),
      referrals: port,
      audit,
      mailer: createSmtpMailer({ url: smtp.url, from: 'Loopwell <no-reply@loopwell.test>' }),
      publicUrl: 'https://loopwell.example',
      clock: () => now,
    })
  })
  beforeEach(() => {
    landed.length = 0
    now = new Date('2026-05-01T09:00:00Z')
  })

  const tokenOf = (url: string) => url.split('/feedback/')[1]!

  describe('issue', () => {
    it('emails a link with no health information and keeps only its hash', async () => {
      const issued = await service.issue(actor, REFERRAL, { sendTo: 'pat@example.test' }, '127.0.0.1')
      const mail = await smtp.waitFor('pat@example.test')
      expect(mail.text).to.contain(issued.url)
      expect(mail.text).not.to.contain('Walk and Talk')
      expect(mail.subject).to.equal('A quick question from your social prescribing team')
      const stored = await database.connection.collection('feedback_links').find({}).toArray()
      expect(JSON.stringify(stored)).not.to.contain(tokenOf(issued.url))
      const events = await audit.search({ recordId: REFERRAL })
      expect(events.events.map((e) => e.detail?.action)).to.include('feedback-link')
    })

    it('gives plain words with the link to copy into a text message', async () => {
      const issued = await service.issue(actor, REFERRAL, { channel: 'text' }, null)
      expect(issued.smsText).to.match(/^Hello, this is your social prescribing team\. Did you go, and did it help\?/)
      expect(issued.smsText).to.contain(issued.url)
      expect(issued.smsText).to.contain('until 29 May')
    })
  })

  describe('open and answer', () => {
    it('shows the service and the wellbeing follow-up, and lands the answers on the referral once', async () => {
      const issued = await service.issue(actor, REFERRAL, { measureIds: ['swemwbs'] }, null)
      const token = tokenOf(issued.url)
      const page = await service.open(token)
      expect(page).to.include({ serviceName: 'Walk and Talk', organisationName: 'Age Well Barnet' })
      if (!page || page === 'used') throw new Error('expected the feedback page')
      expect(page.measures.map((m) => m.id)).to.deep.equal(['swemwbs'])

      const result = await service.answer(
        token,
        { went: 'yes', helped: 'a_lot', anythingElse: ' Help with my gas bill ' },
        swemwbsForm('4'),
        null,
      )
      expect(result).to.deep.equal({ ok: true })
      expect(landed).to.have.length(1)
      expect(landed[0]?.feedback).to.deep.include({
        went: 'yes',
        helped: 'a_lot',
        anythingElse: 'Help with my gas bill',
      })
      expect(landed[0]?.measures[0]).to.deep.include({ instrumentId: 'swemwbs', timing: 'follow-up', source: 'person' })
      expect(landed[0]?.measures[0]?.scores[0]).to.include({ raw: 28, value: 25.03 })

      expect(await service.open(token)).to.equal('used')
      expect(await service.answer(token, { went: 'no', helped: null, anythingElse: '' }, {}, null)).to.equal('used')
      expect(landed).to.have.length(1)
    })

    it('refuses a partly answered wellbeing follow-up with one message (answer all or none) and writes nothing', async () => {
      const token = tokenOf((await service.issue(actor, REFERRAL, { measureIds: ['swemwbs'] }, null)).url)
      const body = swemwbsForm('')
      Object.assign(body, { 'swemwbs-optimistic': '3', 'swemwbs-useful': '4', 'swemwbs-problems': '2' })
      const result = await service.answer(token, { went: 'yes', helped: 'a_little', anythingElse: '' }, body, null)
      expect(result).to.be.an('object')
      if (typeof result === 'string' || result.ok) return
      expect(result.errors).to.deep.equal({
        'swemwbs-relaxed': 'Answer all 7 wellbeing questions, or leave them all blank to skip them. You answered 3.',
      })
      expect(result.measures[0]?.items[0]?.answers.find((a) => a.checked)?.value).to.equal(3)
      expect(landed).to.have.length(0)
      expect(await service.open(token)).to.not.equal(null)
    })

    it('refuses an answer out of range on a complete follow-up, per question', async () => {
      const token = tokenOf((await service.issue(actor, REFERRAL, { measureIds: ['swemwbs'] }, null)).url)
      const body = { ...swemwbsForm('3'), 'swemwbs-useful': '9' }
      const result = await service.answer(token, { went: 'yes', helped: 'a_little', anythingElse: '' }, body, null)
      if (typeof result === 'string' || result.ok) throw new Error('expected field errors')
      expect(Object.keys(result.errors)).to.deep.equal(['swemwbs-useful'])
      expect(landed).to.have.length(0)
    })

    it('skips a follow-up left blank, and asks nothing about help when they did not go', async () => {
      const token = tokenOf((await service.issue(actor, REFERRAL, { measureIds: ['swemwbs'] }, null)).url)
      const result = await service.answer(token, { went: 'no', helped: 'a_lot', anythingElse: 'Too far' }, {}, null)
      expect(result).to.deep.equal({ ok: true })
      expect(landed[0]?.feedback.helped).to.equal(null)
      expect(landed[0]?.measures).to.deep.equal([])
    })

    it('lets only one of two simultaneous submissions through', async () => {
      const token = tokenOf((await service.issue(actor, REFERRAL, {}, null)).url)
      const answers = { went: 'yes' as const, helped: 'a_lot' as const, anythingElse: '' }
      const results = await Promise.all([
        service.answer(token, answers, {}, null),
        service.answer(token, answers, {}, null),
        service.answer(token, answers, {}, null),
      ])
      expect(results.filter((r) => r !== 'used')).to.deep.equal([{ ok: true }])
      expect(landed).to.have.length(1)
    })

    it('makes the link work again when the answers could not be stored', async () => {
      const token = tokenOf((await service.issue(actor, REFERRAL, {}, null)).url)
      const answers = { went: 'yes' as const, helped: 'a_lot' as const, anythingElse: '' }
      const failing = createPersonFeedbackService({
        links: createFeedbackLinkRepository(database.connection),
        referrals: {
          ...port,
          recordPersonFeedback: async () => {
            throw new Error('the referral could not be written')
          },
        },
        audit,
        mailer: createSmtpMailer({ url: smtp.url, from: 'Loopwell <no-reply@loopwell.test>' }),
        publicUrl: 'https://loopwell.example',
        clock: () => now,
      })
      let thrown: unknown
      await failing.answer(token, answers, {}, null).catch((error: unknown) => (thrown = error))
      expect(String(thrown)).to.contain('could not be written')
      expect(await service.open(token)).to.include({ serviceName: 'Walk and Talk' })
      expect(await service.answer(token, answers, {}, null)).to.deep.equal({ ok: true })
      expect(landed).to.have.length(1)
    })

    it('refuses an expired link, an unknown one and a malformed one', async () => {
      const token = tokenOf((await service.issue(actor, REFERRAL, {}, null)).url)
      now = new Date('2026-05-29T09:00:01Z')
      expect(await service.open(token)).to.equal(null)
      expect(await service.open('x'.repeat(43))).to.equal(null)
      expect(await service.open('../etc')).to.equal(null)
      expect(await service.answer(token, { went: 'yes', helped: 'a_lot', anythingElse: '' }, {}, null)).to.equal(
        'expired',
      )
    })
  })
})
