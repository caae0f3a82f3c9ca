// Demo people and referrals, so the demo link worker has a caseload and the Age Well Barnet demo staff an inbox with
// referrals in every state. Seeded once, by fixed ids, only in demo mode.
import { nameUuid } from '../domain/ids'
import type { PersonRecord } from '../domain/referral-records'
import { applyAction, applyChange, submittedReferral, type ActionRequest } from '../domain/referral-machine'
import type { PersonRepository } from '../data/repositories/person.repository'
import type { ReferralRepository } from '../data/repositories/referral.repository'
import { termId } from '../data/taxonomy'
import { DEMO_PRACTICE, DEMO_TEAM, DEMO_USERS, DEMO_VCO } from './demo-accounts'
import { ageBand } from './person.service'
import { computeClocks, DEFAULT_CLOCK_TARGETS, type ClockTargets } from '../domain/referral-clocks'
import type { ReferralAction } from '../domain/referral-status'
import type { ServiceSummary } from './referral-target'
import { sharedDetails } from './referral-submission'

const DAY = 86_400_000
const linkWorker = DEMO_USERS.find((u) => u.key === 'link-worker')!
const vcoMember = DEMO_USERS.find((u) => u.key === 'vco-member')!
const LW = { userId: nameUuid('demo:user:link-worker'), name: linkWorker.name }
const VM = { userId: nameUuid('demo:user:vco-member'), name: vcoMember.name }

export const DEMO_CARERS_CENTRE_ID = nameUuid('demo:organization:carers-centre')

export const DEMO_PEOPLE = {
  margaret: nameUuid('demo:person:margaret'),
  tunde: nameUuid('demo:person:tunde'),
  priya: nameUuid('demo:person:priya'),
  joan: nameUuid('demo:person:joan'),
} as const

/** Fixed ids of demo referrals (tests use them as sample values). */
export const DEMO_REFERRALS = {
  new: nameUuid('demo:referral:new'),
  overdue: nameUuid('demo:referral:overdue'),
  acknowledged: nameUuid('demo:referral:acknowledged'),
  attending: nameUuid('demo:referral:attending'),
  completed: nameUuid('demo:referral:completed'),
  declined: nameUuid('demo:referral:declined'),
  otherOrganisation: nameUuid('demo:referral:carers-centre'),
} as const

function person(
  key: keyof typeof DEMO_PEOPLE,
  p: Partial<PersonRecord> & Pick<PersonRecord, 'givenName' | 'familyName' | 'dateOfBirth'>,
  now: Date,
): PersonRecord {
  return {
    id: DEMO_PEOPLE[key],
    teamId: DEMO_TEAM.id,
    nhsNumber: null,
    phone: '07700 900' + String(100 + Object.keys(DEMO_PEOPLE).indexOf(key)),
    email: `${key}@example.org`,
    address: `${10 + Object.keys(DEMO_PEOPLE).indexOf(key)} Brent Street, Hendon`,
    postcode: 'NW4 2EU',
    contactPreference: 'phone',
    practiceId: DEMO_PRACTICE.id,
    practiceName: DEMO_PRACTICE.name,
    practiceOdsCode: DEMO_PRACTICE.odsCode,
    whatMatters: '',
    needs: [],
    equality: { ethnicity: null, sex: null, ageBand: ageBand(p.dateOfBirth, now), deprivationDecile: null },
    caresForId: null,
    createdBy: LW,
    ...p,
    consents: [
      {
        id: nameUuid(`demo:consent:${key}:gp`),
        type: 'given',
        scope: 'feedback_to_gp',
        organisationId: DEMO_PRACTICE.id,
        organisationName: DEMO_PRACTICE.name,
        how: 'verbal',
        at: new Date(now.getTime() - 40 * DAY),
        by: LW,
      },
      ...(p.consents ?? []),
    ],
  }
}

export async function seedDemoReferrals(deps: {
  people: PersonRepository
  referrals: ReferralRepository
  getService: (id: string) => Promise<ServiceSummary>
  now: Date
  targets?: ClockTargets
}): Promise<number> {
  const { now } = deps
  const targets = deps.targets ?? DEFAULT_CLOCK_TARGETS
  const people = [
    person(
      'margaret',
      {
        givenName: 'Margaret',
        familyName: 'Demo-Hughes',
        dateOfBirth: '1944-03-12',
        nhsNumber: '9434765919',
        whatMatters: 'Getting out of the house and meeting people again since her husband died.',
        needs: [termId('loneliness-isolation')],
        equality: {
          ethnicity: 'White British',
          sex: 'Female',
          ageBand: ageBand('1944-03-12', now),
          deprivationDecile: null,
        },
      },
      now,
    ),
    person(
      'tunde',
      {
        givenName: 'Tunde',
        familyName: 'Demo-Adeyemi',
        dateOfBirth: '1951-09-30',
        contactPreference: 'text',
        whatMatters: 'Keeping active and managing money after retiring.',
        needs: [termId('physical-activity'), termId('debt-money')],
      },
      now,
    ),
    person(
      'priya',
      {
        givenName: 'Priya',
        familyName: 'Demo-Shah',
        dateOfBirth: '1958-01-05',
        contactPreference: 'email',
        whatMatters: 'A break from caring for her mother, Joan, and someone to talk to.',
        needs: [termId('carers')],
        caresForId: DEMO_PEOPLE.joan,
      },
      now,
    ),
    person(
      'joan',
      {
        givenName: 'Joan',
        familyName: 'Demo-Kelly',
        dateOfBirth: '1931-06-18',
        contactPreference: 'letter',
        whatMatters: 'Company at home; she rarely goes out.',
        needs: [termId('loneliness-isolation')],
        caresForId: null,
      },
      now,
    ),
  ]
  for (const p of people) await deps.people.insert(p)

  const ageWell = await deps.referrals.referrableServiceIds(DEMO_VCO.id)
  const carers = await deps.referrals.referrableServiceIds(DEMO_CARERS_CENTRE_ID)
  if (ageWell.length < 2) return 0

  type Step = ActionRequest & { type: ReferralAction; daysAgo: number }
  const attempt: Step = { type: 'contact-attempt', daysAgo: 0, note: 'No answer; left a message.' }
  const plans: {
    id: string
    personKey: keyof typeof DEMO_PEOPLE
    serviceId: string
    daysAgo: number
    steps: Step[]
    note: string
  }[] = [
    {
      id: DEMO_REFERRALS.new,
      personKey: 'margaret',
      serviceId: ageWell[0]!,
      daysAgo: 0,
      steps: [],
      note: 'Margaret is keen but nervous about going alone the first time.',
    },
    {
      id: DEMO_REFERRALS.overdue,
      personKey: 'joan',
      serviceId: ageWell[1]!,
      daysAgo: 4,
      steps: [],
      note: 'Joan is hard of hearing: please speak clearly and allow time.',
    },
    {
      id: DEMO_REFERRALS.acknowledged,
      personKey: 'tunde',
      serviceId: ageWell[0]!,
      daysAgo: 1,
      steps: [{ type: 'acknowledge', daysAgo: 0 }],
      note: 'Tunde would prefer afternoon sessions.',
    },
    {
      id: DEMO_REFERRALS.attending,
      personKey: 'margaret',
      serviceId: ageWell[1]!,
      daysAgo: 20,
      steps: [
        { type: 'acknowledge', daysAgo: 20 },
        { type: 'accept', daysAgo: 19 },
        { ...attempt, daysAgo: 18 },
        { type: 'first-contact', daysAgo: 17 },
        { type: 'attending', daysAgo: 12 },
        { type: 'session', daysAgo: 12, attended: true },
        // A missed session: the referral stays open with a re-engagement task.
        { type: 'session', daysAgo: 5, attended: false },
      ],
      note: 'Margaret enjoys gardening and crosswords.',
    },
    {
      id: DEMO_REFERRALS.completed,
      personKey: 'joan',
      serviceId: ageWell[0]!,
      daysAgo: 60,
      steps: [
        { type: 'accept', daysAgo: 59 },
        { ...attempt, daysAgo: 58 },
        { type: 'first-contact', daysAgo: 57 },
        { type: 'attending', daysAgo: 50 },
        { type: 'session', daysAgo: 50, attended: true },
        { type: 'session', daysAgo: 43, attended: true },
        { type: 'complete', daysAgo: 30 },
      ],
      note: 'Joan would like a regular visitor.',
    },
    {
      id: DEMO_REFERRALS.declined,
      personKey: 'tunde',
      serviceId: ageWell[1]!,
      daysAgo: 10,
      steps: [{ type: 'decline', daysAgo: 9, reason: 'no_capacity' }],
      note: 'Tunde is looking for a group close to Hendon.',
    },
  ]
  if (carers[0])
    plans.push({
      id: DEMO_REFERRALS.otherOrganisation,
      personKey: 'priya',
      serviceId: carers[0],
      daysAgo: 2,
      steps: [{ type: 'acknowledge', daysAgo: 1 }],
      note: 'Priya cares for her mother full time.',
    })

  let created = 0
  for (const plan of plans) {
    const service = await deps.getService(plan.serviceId).catch(() => null)
    const who = people.find((p) => p.id === DEMO_PEOPLE[plan.personKey])!
    if (!service) continue
    const submittedAt = new Date(now.getTime() - plan.daysAgo * DAY)
    const consentId = nameUuid(`demo:consent:${plan.id}:share`)
    await deps.people.addConsentOnce(who.id, {
      id: consentId,
      type: 'given',
      scope: 'share_with_organisation',
      organisationId: service.organisationId,
      organisationName: service.organisationName,
      how: 'verbal',
      at: submittedAt,
      by: LW,
    })
    let record = submittedReferral(
      {
        id: plan.id,
        idempotencyKey: `demo:${plan.id}`,
        personId: who.id,
        teamId: DEMO_TEAM.id,
        teamName: DEMO_TEAM.name,
        referrer: { ...LW, email: linkWorker.email },
        serviceId: service.id,
        serviceName: service.name,
        organisationId: service.organisationId,
        organisationName: service.organisationName,
        practiceId: who.practiceId,
        gpFeedbackConsent: true,
        consentEventId: consentId,
        shared: sharedDetails(who, who.contactPreference, now),
        needs: who.needs,
        note: plan.note,
        supportToAttend: plan.personKey === 'margaret' ? 'first_visit_together' : 'none',
        submittedAt,
        clocks: computeClocks(submittedAt, targets),
        origin: 'demo',
      },
      LW,
    )
    for (const { daysAgo, ...request } of plan.steps) {
      const at = new Date(now.getTime() - daysAgo * DAY + 3_600_000)
      const date = request.type === 'session' ? at.toISOString().slice(0, 10) : null
      const change = applyAction(record, { ...request, date }, VM, at)
      if (!change) throw new Error(`Demo referral: ${request.type} cannot follow ${record.status}`)
      record = applyChange(record, change)
    }
    if (await deps.referrals.insertOnce(record)) created++
  }
  return created
}
