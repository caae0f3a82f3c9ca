import { formatDate } from '../../../../server/services/dates'
import { expect } from 'chai'
import { swemwbs } from '../../../helpers/measures'
import {
  benefitOf,
  engagementOf,
  type OutcomeSource,
  type ReferralOutcome,
} from '../../../../server/services/outcomes/outcome'
import {
  buildOutcomeSummary,
  consentedForPractice,
  summaryText,
} from '../../../../server/services/outcomes/outcome-summary'
import { serviceFigures } from '../../../../server/services/outcomes/service-figures'

const NOW = new Date('2026-06-01T12:00:00Z')
const DAY = 24 * 3600 * 1000

let n = 0
function referral(
  overrides: Partial<OutcomeSource> & { outcome?: Partial<ReferralOutcome> | null } = {},
): OutcomeSource {
  n++
  const submittedAt = new Date(NOW.getTime() - 60 * DAY)
  return {
    id: `r${n}`,
    status: 'completed',
    personId: `p${n}`,
    serviceId: 's1',
    serviceName: 'Walk and Talk',
    organisationName: 'Age Well Barnet',
    practiceId: 'practice-1',
    gpFeedbackConsent: true,
    submittedAt,
    acknowledgedAt: new Date(submittedAt.getTime() + 3600 * 1000),
    firstContactAt: null,
    closedAt: new Date(NOW.getTime() - DAY),
    declineReason: null,
    clocks: { acknowledgeBy: new Date(submittedAt.getTime() + DAY) },
    sessions: [{ date: '2026-04-10', attended: true }],
    tasks: [],
    outcome: null,
    measures: [],
    ...overrides,
  }
}

describe('outcomes', () => {
  describe('engagementOf', () => {
    it('counts attended and missed sessions, re-engagement attempts and the first attended date', () => {
      const e = engagementOf(
        referral({
          status: 'attending',
          sessions: [
            { date: '2026-04-17', attended: true },
            { date: '2026-04-10', attended: false },
            { date: '2026-04-24', attended: true },
          ],
          tasks: [{ kind: 're-engage' }],
        }),
      )
      expect(e).to.deep.equal({
        firstAttended: '2026-04-17',
        sessionsAttended: 2,
        sessionsMissed: 1,
        stillAttending: true,
        didNotAttend: true,
        reEngagementAttempts: 1,
        completed: false,
        state: 'engaged',
      })
    })

    it('says not engaged only once the referral closed without attending, and pending before', () => {
      expect(engagementOf(referral({ status: 'did_not_engage', sessions: [] })).state).to.equal('not-engaged')
      expect(engagementOf(referral({ status: 'accepted', sessions: [], closedAt: null })).state).to.equal('pending')
    })
  })

  describe('benefitOf', () => {
    it("prefers the person's own view to the worker's", () => {
      const worker = { at: NOW, by: { userId: 'u', name: 'W' }, helped: 'not_really' as const, note: '' }
      expect(benefitOf(referral({ outcome: { worker } }))).to.deep.equal({ rating: 'not_really', from: 'worker' })
      expect(
        benefitOf(
          referral({ outcome: { worker, person: { at: NOW, went: 'yes', helped: 'a_lot', anythingElse: '' } } }),
        ),
      ).to.deep.equal({ rating: 'a_lot', from: 'person' })
      expect(benefitOf(referral())).to.equal(null)
    })
  })

  describe('serviceFigures', () => {
    it('hides every figure when fewer than 5 people were referred', () => {
      const records = [1, 2, 3, 4].map(() => referral())
      records.push(referral({ personId: records[0]!.personId }))
      const figures = serviceFigures(records, NOW)
      expect(figures).to.include({ suppressed: true, received: null, engaged: null, averageWellbeingChange: null })
    })

    it('shows received, acknowledged within target, engaged, benefit and wellbeing change from 5 people', () => {
      const helped = { person: { at: NOW, went: 'yes' as const, helped: 'a_lot' as const, anythingElse: '' } }
      const notHelped = { person: { at: NOW, went: 'yes' as const, helped: 'not_at_all' as const, anythingElse: '' } }
      const t0 = new Date('2026-04-01T10:00:00Z')
      const t1 = new Date('2026-05-20T10:00:00Z')
      const m = (a: number, b: number) => [swemwbs(a, 'baseline', t0), swemwbs(b, 'follow-up', t1)]
      const records = [
        referral({ outcome: helped, measures: m(18, 24) }), // 17.43 → 21.54: +4.11
        referral({ outcome: helped, measures: m(20, 21) }), // 18.59 → 19.25: +0.66
        referral({ outcome: helped, measures: m(21, 21) }), // 0
        referral({ outcome: notHelped, measures: m(22, 20) }), // 19.98 → 18.59: -1.39
        referral({ status: 'did_not_engage', sessions: [], measures: m(14, 15) }), // 15.32 → 15.84: +0.52
        // acknowledged late
        referral({ acknowledgedAt: new Date(NOW.getTime() - 10 * DAY), outcome: helped }),
      ]
      const figures = serviceFigures(records, NOW)
      expect(figures.suppressed).to.equal(false)
      expect(figures.received).to.equal(6)
      expect(figures.acknowledgedWithinTarget).to.deep.equal({ count: 5, of: 6, percent: 83 })
      expect(figures.engaged).to.deep.equal({ count: 5, of: 6, percent: 83 })
      expect(figures.reportedBenefit).to.deep.equal({ count: 4, of: 5, percent: 80 })
      expect(figures.averageWellbeingChange).to.deep.equal({ change: 0.78, people: 5 })
    })

    it('hides a figure whose own base is fewer than 5 people, while showing the rest', () => {
      const records = [1, 2, 3, 4, 5, 6].map(() => referral())
      const figures = serviceFigures(records, NOW)
      expect(figures.received).to.equal(6)
      expect(figures.engaged?.percent).to.equal(100)
      expect(figures.reportedBenefit).to.equal(null)
      expect(figures.averageWellbeingChange).to.equal(null)
    })
  })

  describe('outcome summary', () => {
    const person = {
      name: 'Pat Example',
      dateOfBirth: '1950-02-03',
      nhsNumber: '9434765919',
      practiceName: 'Hendon Way Surgery',
      practiceOdsCode: 'E83999',
    }
    const t0 = new Date('2026-04-01T10:00:00Z')
    const t1 = new Date('2026-05-20T10:00:00Z')

    it('lists only referrals with consent to GP feedback, to this practice', () => {
      const list = [referral(), referral({ gpFeedbackConsent: false }), referral({ practiceId: 'other' })]
      expect(consentedForPractice(list, 'practice-1').map((r) => r.id)).to.deep.equal([list[0]!.id])
      const summary = buildOutcomeSummary({
        person,
        referrals: list.slice(0, 2),
        statusLabel: String,
        needLabel: String,
        now: NOW,
      })
      expect(summary.referrals).to.have.length(1)
    })

    it('codes every referral as a referral to social prescribing, and a declined one as declined', () => {
      const summary = buildOutcomeSummary({
        person,
        referrals: [
          referral({
            measures: [swemwbs(18, 'baseline', t0), swemwbs(24, 'follow-up', t1)],
            outcome: {
              goals: [{ text: 'Get out more', result: 'partly' }],
              unmetNeeds: ['debt'],
              unmetNote: 'Help with forms',
            },
          }),
          referral({ status: 'declined', declineReason: 'person_declined', sessions: [] }),
        ],
        statusLabel: (s) => s.toUpperCase(),
        needLabel: (id) => (id === 'debt' ? 'Money and debt' : id),
        now: NOW,
      })
      expect(summary.referrals[0]?.measures[0]?.scores[0]).to.deep.equal({
        label: 'SWEMWBS metric score',
        baseline: 17.43,
        followUp: 21.54,
        change: 4.11,
        result: 'better',
      })
      const text = summaryText(summary)
      // The national codes mark the person's acceptance or decline of the episode, never a VCO referral.
      expect(text).not.to.contain('SNOMED CT')
      expect(text).to.contain('NHS number: 9434765919')
      expect(text).to.contain(
        'SWEMWBS SWEMWBS metric score: 17.43 on 1 April 2026 → 21.54 on 20 May 2026 (change +4.11, better)',
      )
      // The letter writes dates as people do; the JSON keeps ISO dates.
      expect(text).to.contain(`Date of birth: ${formatDate(`${person.dateOfBirth}T12:00:00Z`)}`)
      expect(text).not.to.match(/\d{4}-\d{2}-\d{2}/)
      expect(summary.referrals[0]?.measures[0]?.baselineAt).to.equal('2026-04-01')
      expect(text).to.contain('Goal: Get out more: Partly met')
      expect(text).to.contain('Still unmet: Money and debt; Help with forms')
      expect(text).to.contain('© NHS Health Scotland, University of Warwick and University of Edinburgh')
      expect(JSON.parse(JSON.stringify(summary))).to.deep.equal(summary)
    })
  })
})
