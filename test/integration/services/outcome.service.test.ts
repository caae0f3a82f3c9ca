import { expect } from 'chai'
import { createSmtpMailer } from '../../../server/data/mail/smtp-mailer'
import { createAuditRepository } from '../../../server/data/repositories/audit.repository'
import { createReferralOutcomeRepository } from '../../../server/data/repositories/referral-outcome.repository'
import { NotFoundError } from '../../../server/errors'
import { createAuditService } from '../../../server/services/audit.service'
import { createOutcomeService, type Actor } from '../../../server/services/outcomes/outcome.service'
import { useTestDatabase } from '../../helpers/database'
import { swemwbsForm } from '../../helpers/measures'
import { useSmtpServer } from '../../helpers/smtp'
import { createListFieldsRepository } from '../../../server/data/repositories/list-fields.repository'
import { listBuckets } from '../../../server/data/repositories/month-pages'
import { gpFilterFlags } from '../../../server/domain/gp-filters'

const PRACTICE_A = 'practice-a'
const PRACTICE_B = 'practice-b'
const NOW = new Date('2026-06-01T12:00:00Z')
const DAY = 24 * 3600 * 1000

const gpA: Actor = {
  id: 'gp-a',
  email: 'gp.a@example.test',
  name: 'GP A',
  roles: ['gp_user'],
  memberships: [{ organisationId: PRACTICE_A, kind: 'practice', organisationName: 'A', manager: false }],
}
const gpB: Actor = {
  ...gpA,
  id: 'gp-b',
  email: 'gp.b@example.test',
  memberships: [{ organisationId: PRACTICE_B, kind: 'practice', organisationName: 'B', manager: false }],
}
const vco: Actor = {
  id: 'vco-1',
  email: 'vco@example.test',
  name: 'Val Vco',
  roles: ['vco_member'],
  memberships: [{ organisationId: 'org-1', kind: 'vco', organisationName: 'Age Well', manager: false }],
}
const otherVco: Actor = {
  ...vco,
  id: 'vco-2',
  memberships: [{ organisationId: 'org-2', kind: 'vco', organisationName: 'Other', manager: false }],
}

/** A referral document as the referral service stores it (the fields outcomes read). */
function referralDoc(id: string, overrides: Record<string, unknown> = {}) {
  const submittedAt = new Date(NOW.getTime() - 40 * DAY)
  return {
    _id: id,
    status: 'attending',
    version: 3,
    open: true,
    personId: 'person-1',
    teamId: 'team-1',
    referrer: { userId: 'lw-1', name: 'Lee Worker', email: 'lee.worker@example.test' },
    organisationId: 'org-1',
    organisationName: 'Age Well Barnet',
    serviceId: 'service-1',
    serviceName: 'Walk and Talk',
    practiceId: PRACTICE_A,
    gpFeedbackConsent: true,
    shared: { name: 'Pat Example', contactPreference: 'email', email: 'pat@example.test', phone: null },
    needs: [],
    submittedAt,
    acknowledgedAt: new Date(submittedAt.getTime() + 3600_000),
    firstContactAt: null,
    closedAt: null,
    declineReason: null,
    clocks: { acknowledgeBy: new Date(submittedAt.getTime() + DAY) },
    sessions: [{ date: '2026-05-01', attended: true }],
    tasks: [],
    contactAttempts: [],
    events: [],
    messages: [],
    outcome: null,
    measures: [],
    ...overrides,
  }
}

describe('OutcomeService', () => {
  const database = useTestDatabase('outcome-service')
  const smtp = useSmtpServer()
  let outcomes: ReturnType<typeof createOutcomeService>

  before(async () => {
    const db = database.connection
    await db.collection('people').insertMany([
      {
        _id: 'person-1',
        givenName: 'Pat',
        familyName: 'Example',
        dateOfBirth: '1950-02-03',
        nhsNumber: '9434765919',
        practiceId: PRACTICE_A,
        practiceName: 'Hendon Way Surgery',
        practiceOdsCode: 'E83999',
        whatMatters: '',
      },
      {
        _id: 'person-2',
        givenName: 'Sam',
        familyName: 'Private',
        dateOfBirth: '1960-01-01',
        nhsNumber: null,
        practiceId: PRACTICE_A,
        practiceName: 'Hendon Way Surgery',
        practiceOdsCode: 'E83999',
        whatMatters: '',
      },
    ] as never)
    await db
      .collection('referrals')
      .insertMany([
        referralDoc('r-1'),
        referralDoc('r-2', { personId: 'person-2', gpFeedbackConsent: false, shared: { name: 'Sam Private' } }),
        referralDoc('r-3', { status: 'did_not_engage', open: false, closedAt: NOW, sessions: [] }),
      ] as never)
    // Written straight to the collection: their list fields (month buckets) are set as a start sets them.
    await createListFieldsRepository(db).ensure()
    outcomes = createOutcomeService({
      outcomes: createReferralOutcomeRepository(db),
      audit: createAuditService({
        audit: createAuditRepository(db),
        findUserIdByEmail: async () => null,
        clock: () => NOW,
      }),
      mailer: createSmtpMailer({ url: smtp.url, from: 'Loopwell <no-reply@loopwell.test>' }),
      practiceEmails: async (id) => (id === PRACTICE_A ? ['gp.a@example.test'] : []),
      statusLabel: (s) => s,
      needLabel: (s) => s,
      publicUrl: 'https://loopwell.example',
      clock: () => NOW,
    })
  })

  describe('recordMeasure', () => {
    it('stores a baseline and a follow-up SWEMWBS and shows the change', async () => {
      expect((await outcomes.recordMeasure(vco, 'r-1', 'swemwbs', 'baseline', swemwbsForm('2'), null)).ok).to.equal(
        true,
      )
      expect((await outcomes.recordMeasure(vco, 'r-1', 'swemwbs', 'follow-up', swemwbsForm('4'), null)).ok).to.equal(
        true,
      )
      const page = await outcomes.forReferral(vco, 'r-1', null)
      expect(page.measures[0]?.changes[0]).to.include({
        baseline: 15.32,
        followUp: 25.03,
        change: 9.71,
        result: 'better',
      })
      expect(page.referral.version).to.equal(5)
    })

    it('refuses an incomplete measure per item and writes nothing', async () => {
      const body = swemwbsForm('3')
      delete body['swemwbs-mind']
      const result = await outcomes.recordMeasure(vco, 'r-3', 'swemwbs', 'baseline', body, null)
      expect(result.ok).to.equal(false)
      if (!result.ok) expect(Object.keys(result.errors)).to.deep.equal(['swemwbs-mind'])
      expect((await outcomes.forReferral(vco, 'r-3', null)).referral.measures).to.deep.equal([])
    })

    it("answers not found to another organisation's staff", async () => {
      let error: unknown
      await outcomes
        .recordMeasure(otherVco, 'r-1', 'swemwbs', 'baseline', swemwbsForm('3'), null)
        .catch((e) => (error = e))
      expect(error).to.be.instanceOf(NotFoundError)
    })
  })

  describe('feedbackPort and recordWorkerOutcome', () => {
    it("keeps the person's answers and the worker's view side by side", async () => {
      await outcomes.feedbackPort.recordPersonFeedback(
        'r-1',
        { at: NOW, went: 'yes', helped: 'a_lot', anythingElse: 'Help with bills' },
        [],
      )
      await outcomes.recordWorkerOutcome(
        vco,
        'r-1',
        {
          helped: 'a_little',
          note: 'Comes most weeks',
          goals: [{ text: 'Get out more', result: 'partly' }],
          unmetNeeds: ['debt'],
          unmetNote: '',
        },
        null,
      )
      const { outcome } = await outcomes.forReferral(vco, 'r-1', null)
      expect(outcome.person).to.include({ went: 'yes', helped: 'a_lot' })
      expect(outcome.worker).to.include({ helped: 'a_little', note: 'Comes most weeks' })
      expect(outcome.goals).to.deep.equal([{ text: 'Get out more', result: 'partly' }])
    })
  })

  describe('practiceView', () => {
    it("shows a GP only their practice's patients' referrals made with consent, with the filters", async () => {
      const all = await outcomes.practiceView(gpA, 'all', null)
      expect(all.rows.map((r) => r.id).sort()).to.deep.equal(['r-1', 'r-3'])
      expect(all.rows.find((r) => r.id === 'r-1')).to.deep.include({
        wellbeingChange: 9.71,
        benefitPositive: true,
        unmet: ['debt'],
      })
      expect((await outcomes.practiceView(gpA, 'did-not-engage', null)).rows.map((r) => r.id)).to.deep.equal(['r-3'])
      expect((await outcomes.practiceView(gpA, 'no-benefit', null)).rows).to.deep.equal([])
      expect((await outcomes.practiceView(gpB, 'all', null)).rows).to.deep.equal([])
      expect((await outcomes.practiceView(vco, 'all', null)).rows).to.deep.equal([])
    })
  })

  describe("practiceView's filters", () => {
    it('selects by flags kept up to date on every write, with the right totals', async () => {
      const db = database.connection
      // Written as the referral service writes a new referral: its list fields and filter flags set.
      // In practice B, for a person and service no other test reads.
      const r4 = referralDoc('gp-filter-1', { personId: 'person-9', serviceId: 'service-9', practiceId: PRACTICE_B })
      await db.collection('referrals').insertOne({
        ...r4,
        ...listBuckets(r4.submittedAt),
        ...gpFilterFlags(r4),
      } as never)
      const ids = async (filter: 'all' | 'did-not-engage' | 'no-benefit') => {
        const view = await outcomes.practiceView(gpB, filter, null)
        return { ids: view.rows.map((r) => r.id).sort(), total: view.total }
      }
      expect(await ids('no-benefit')).to.deep.equal({ ids: [], total: 0 })
      await outcomes.recordWorkerOutcome(
        vco,
        'gp-filter-1',
        { helped: 'not_really', note: '', goals: [], unmetNeeds: [], unmetNote: '' },
        null,
      )
      expect(await ids('no-benefit')).to.deep.equal({ ids: ['gp-filter-1'], total: 1 })
      expect(await ids('did-not-engage')).to.deep.equal({ ids: [], total: 0 })
      expect(await ids('all')).to.deep.equal({ ids: ['gp-filter-1'], total: 1 })
    })
  })

  describe('summary', () => {
    it('gives the GP of the practice the summary with scores and no SNOMED CT code (the episode has it)', async () => {
      const { summary, text } = await outcomes.summary(gpA, 'person-1', null, true)
      expect(summary.referrals.map((r) => r.referralId).sort()).to.deep.equal(['r-1', 'r-3'])
      expect(text).not.to.contain('871731000000106')
      expect(text).to.contain('15.32 on')
    })

    it('answers not found to another practice, and for a person who did not consent', async () => {
      for (const [actor, person] of [
        [gpB, 'person-1'],
        [gpA, 'person-2'],
        [gpA, 'nobody'],
      ] as const) {
        let error: unknown
        await outcomes.summary(actor, person, null, false).catch((e) => (error = e))
        expect(error, `${actor.id} ${person}`).to.be.instanceOf(NotFoundError)
      }
    })
  })

  describe('notifyPracticeOnClose', () => {
    it('tells the practice once when a consented referral closes, with no personal details', async () => {
      expect(await outcomes.notifyPracticeOnClose('r-1')).to.equal(false)
      expect(await outcomes.notifyPracticeOnClose('r-3')).to.equal(true)
      const mail = await smtp.waitFor('gp.a@example.test')
      expect(mail.text).to.contain('https://loopwell.example/practice/people/person-1/summary')
      expect(mail.text).not.to.contain('Pat')
      expect(mail.text).not.to.contain('Walk and Talk')
      expect(await outcomes.notifyPracticeOnClose('r-3')).to.equal(false)
      expect(smtp.to('gp.a@example.test')).to.have.length(1)
    })
  })

  describe('figuresForService', () => {
    it('hides figures for a service with fewer than 5 people', async () => {
      expect((await outcomes.figuresForService('service-1')).suppressed).to.equal(true)
    })

    it('shows them from 5 people', async () => {
      await database.connection
        .collection('referrals')
        .insertMany(
          [4, 5, 6, 7].map((i) => referralDoc(`r-${i}`, { personId: `person-${i}`, status: 'completed' })) as never,
        )
      const figures = await outcomes.figuresForService('service-1')
      expect(figures).to.include({ suppressed: false, received: 7 })
      expect(figures.engaged).to.deep.equal({ count: 6, of: 7, percent: 86 })
    })
  })
})
