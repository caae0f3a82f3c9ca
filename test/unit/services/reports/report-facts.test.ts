import { expect } from 'chai'
import { swemwbs } from '../../../helpers/measures'
import { computeClocks } from '../../../../server/domain/referral-clocks'
import {
  REPORT_FACT_FIELDS,
  daysBetween,
  toReportFact,
  toSignpostingFact,
  workingDaysBetween,
} from '../../../../server/services/reports/report-facts'
import type { PersonRecord, ReferralRecord } from '../../../../server/domain/referral-records'

const SUBMITTED = new Date('2026-03-06T10:00:00Z') // a Friday
const DAY = 86_400_000

const PERSON: PersonRecord = {
  id: 'person-1',
  teamId: 'team-1',
  givenName: 'Zebedee',
  familyName: 'Quartermaine',
  dateOfBirth: '1950-02-03',
  nhsNumber: '9434765919',
  phone: '07700 900123',
  email: 'zebedee@example.org',
  address: '1 Secret Street',
  postcode: 'NW4 2EU',
  contactPreference: 'phone',
  practiceId: 'practice-1',
  practiceName: 'Hendon Way Surgery',
  practiceOdsCode: 'E83999',
  whatMatters: 'Seeing my grandchildren',
  needs: [],
  equality: { ethnicity: 'White British', sex: 'Male', ageBand: '75 to 84', deprivationDecile: 3 },
  caresForId: null,
  consents: [],
  createdBy: { userId: 'u', name: 'Lina Worker' },
}

function referral(over: Partial<ReferralRecord> = {}): ReferralRecord {
  return {
    id: 'referral-1',
    idempotencyKey: 'k',
    status: 'completed',
    version: 7,
    open: false,
    personId: PERSON.id,
    teamId: 'team-1',
    teamName: 'Barnet 1 PCN team',
    referrer: { userId: 'u', name: 'Lina Worker', email: 'lina@example.org' },
    serviceId: 'service-1',
    serviceName: 'Walking group',
    organisationId: 'org-1',
    organisationName: 'Age Well',
    practiceId: 'practice-1',
    gpFeedbackConsent: true,
    consentEventId: 'c',
    shared: {
      name: 'Zebedee Quartermaine',
      contactPreference: 'phone',
      phone: '07700 900123',
      email: null,
      address: null,
      ageBand: '75 to 84',
    },
    needs: ['need-a', 'need-b'],
    note: 'He is very lonely since his wife died',
    supportToAttend: 'none',
    submittedAt: SUBMITTED,
    clocks: computeClocks(SUBMITTED),
    acknowledgedAt: new Date(SUBMITTED.getTime() + 3 * DAY), // Monday
    acceptedAt: new Date(SUBMITTED.getTime() + 3 * DAY),
    firstContactAt: new Date(SUBMITTED.getTime() + 4 * DAY),
    closedAt: new Date(SUBMITTED.getTime() + 40 * DAY),
    declineReason: null,
    declineText: null,
    contactAttempts: [],
    sessions: [{ id: 's', date: '2026-03-12', attended: true, note: 'Enjoyed it', by: { userId: 'v', name: 'Vic' } }],
    tasks: [],
    messages: [],
    overdue: [],
    events: [],
    outcome: {
      person: { at: new Date(), went: 'yes', helped: 'a_lot', anythingElse: 'I need help with my bills' },
      worker: null,
      goals: [{ text: 'Get out more', result: 'met' }],
      unmetNeeds: ['need-c'],
      unmetNote: 'Money worries',
      gpNotifiedAt: null,
    },
    measures: [
      swemwbs(14, 'baseline', SUBMITTED),
      swemwbs(21, 'follow-up', new Date(SUBMITTED.getTime() + 40 * DAY)),
    ] as unknown as Record<string, unknown>[],
    origin: 'manual',
    ...over,
  }
}

describe('Report facts', () => {
  const now = new Date('2026-06-01T00:00:00Z')

  it('hold what reports count: where, to whom, how it went and how fast', () => {
    const fact = toReportFact(referral(), PERSON, { id: 'practice-1', pcn: 'Barnet 1 PCN' }, now)
    expect(fact).to.include({
      id: 'referral-1',
      kind: 'referral',
      practiceId: 'practice-1',
      pcn: 'Barnet 1 PCN',
      teamName: 'Barnet 1 PCN team',
      organisationName: 'Age Well',
      status: 'completed',
      accepted: true,
      declined: false,
      engagement: 'engaged',
      benefited: true,
      acknowledgeWorkingDays: 1,
      contactDays: 4,
      outcomeDays: 40,
      wellbeingBaseline: 15.32,
      wellbeingFollowUp: 19.25,
      wellbeingChange: 3.93,
      deprivationDecile: 3,
      ethnicity: 'White British',
      sex: 'Male',
      ageBand: '75 to 84',
    })
    expect(fact.needs).to.deep.equal(['need-a', 'need-b'])
    expect(fact.unmetNeeds).to.deep.equal(['need-c'])
  })

  it('carry no name, NHS number, contact detail, free text, date of birth or person id', () => {
    const fact = toReportFact(referral(), PERSON, null, now)
    expect(Object.keys(fact).sort()).to.deep.equal([...REPORT_FACT_FIELDS].sort())
    const text = JSON.stringify(fact)
    for (const secret of [
      'Zebedee',
      'Quartermaine',
      '9434765919',
      '07700',
      'example.org',
      'Secret Street',
      'NW4',
      '1950-02-03',
      'person-1',
      'lonely',
      'Enjoyed',
      'bills',
      'grandchildren',
      'Money worries',
      'Get out more',
      'Lina',
    ]) {
      expect(text, secret).to.not.contain(secret)
    }
  })

  it('record a decline and its reason, and no engagement yet for an open referral', () => {
    // Neither was taken on: nothing accepted, no outcome, measures or sessions; and no person or practice known.
    const notTakenOn = (over: Partial<ReferralRecord>) =>
      toReportFact(referral({ acceptedAt: null, outcome: null, measures: [], sessions: [], ...over }), null, null, now)
    const declined = notTakenOn({ status: 'declined', declineReason: 'no_capacity' })
    expect(declined).to.include({ declined: true, accepted: false, declineReason: 'no_capacity', benefited: null })
    expect(declined.engagement).to.equal('not-engaged')
    const open = notTakenOn({ status: 'acknowledged', firstContactAt: null, closedAt: null })
    expect(open).to.include({ engagement: 'pending', contactDays: null, outcomeDays: null, wellbeingChange: null })
  })

  it('count a signposting apart, with no referral steps', () => {
    const fact = toSignpostingFact(
      {
        id: 's-1',
        at: SUBMITTED,
        teamId: 'team-1',
        serviceId: 'service-1',
        serviceName: 'Walk',
        organisationId: 'org-1',
        needs: ['need-a'],
      },
      { ...PERSON, practiceId: 'practice-1' },
      null,
      now,
    )
    expect(fact).to.include({ kind: 'signposting', status: null, practiceId: 'practice-1', engagement: null })
    expect(Object.keys(fact).sort()).to.deep.equal([...REPORT_FACT_FIELDS].sort())
  })

  it('measure working days as the acknowledgement clock does: a weekend does not count', () => {
    const friday = new Date('2026-03-06T10:00:00Z')
    expect(workingDaysBetween(friday, new Date('2026-03-06T15:00:00Z'))).to.equal(1)
    expect(workingDaysBetween(friday, new Date('2026-03-09T10:00:00Z'))).to.equal(1)
    expect(workingDaysBetween(friday, new Date('2026-03-10T09:00:00Z'))).to.equal(2)
    expect(daysBetween(friday, new Date('2026-03-06T11:00:00Z'))).to.equal(1)
    expect(daysBetween(friday, new Date('2026-03-11T10:00:00Z'))).to.equal(5)
  })
})
