// Demo people and referrals, so the demo link worker has a caseload and the Age Well Barnet demo staff an inbox with
// referrals in every state (one attending referral has a missed session, so it stays open with a re-engagement task).
// Who they are and what happened to each referral, in days before now, is demo-referrals.json beside this file; each
// referral is walked through the real rules (applyAction). Seeded once, by fixed ids, only in demo mode.
import fs from 'node:fs'
import path from 'node:path'
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

/** A person as demo-referrals.json gives them: who they are, and what differs from the demo defaults. */
interface DemoPerson {
  key: keyof typeof DEMO_PEOPLE
  givenName: string
  familyName: string
  dateOfBirth: string
  nhsNumber?: string
  contactPreference?: PersonRecord['contactPreference']
  whatMatters: string
  /** Need taxonomy codes. */
  needs: string[]
  ethnicity?: string
  sex?: string
  caresFor?: keyof typeof DEMO_PEOPLE
}

/** A referral as demo-referrals.json gives it: the `service`-th referrable service of `organisation`, and its steps. */
interface DemoReferral {
  key: keyof typeof DEMO_REFERRALS
  person: keyof typeof DEMO_PEOPLE
  organisation: 'age-well' | 'carers-centre'
  service: number
  daysAgo: number
  steps: (ActionRequest & { type: ReferralAction; daysAgo: number })[]
  note: string
}

const DEMO_FILE = path.join(import.meta.dirname, 'demo-referrals.json')

function person(p: DemoPerson, now: Date): PersonRecord {
  const index = Object.keys(DEMO_PEOPLE).indexOf(p.key)
  return {
    id: DEMO_PEOPLE[p.key],
    teamId: DEMO_TEAM.id,
    givenName: p.givenName,
    familyName: p.familyName,
    dateOfBirth: p.dateOfBirth,
    nhsNumber: p.nhsNumber ?? null,
    phone: '07700 900' + String(100 + index),
    email: `${p.key}@example.org`,
    address: `${10 + index} Brent Street, Hendon`,
    postcode: 'NW4 2EU',
    contactPreference: p.contactPreference ?? 'phone',
    practiceId: DEMO_PRACTICE.id,
    practiceName: DEMO_PRACTICE.name,
    practiceOdsCode: DEMO_PRACTICE.odsCode,
    whatMatters: p.whatMatters,
    needs: p.needs.map((code) => termId(code)),
    equality: {
      ethnicity: p.ethnicity ?? null,
      sex: p.sex ?? null,
      ageBand: ageBand(p.dateOfBirth, now),
      deprivationDecile: null,
    },
    caresForId: p.caresFor ? DEMO_PEOPLE[p.caresFor] : null,
    createdBy: LW,
    consents: [
      {
        id: nameUuid(`demo:consent:${p.key}:gp`),
        type: 'given',
        scope: 'feedback_to_gp',
        organisationId: DEMO_PRACTICE.id,
        organisationName: DEMO_PRACTICE.name,
        how: 'verbal',
        at: new Date(now.getTime() - 40 * DAY),
        by: LW,
      },
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
  const demo = JSON.parse(fs.readFileSync(DEMO_FILE, 'utf8')) as { people: DemoPerson[]; referrals: DemoReferral[] }
  const people = demo.people.map((p) => person(p, now))
  for (const p of people) await deps.people.insert(p)

  const services = {
    'age-well': await deps.referrals.referrableServiceIds(DEMO_VCO.id),
    'carers-centre': await deps.referrals.referrableServiceIds(DEMO_CARERS_CENTRE_ID),
  }
  if (services['age-well'].length < 2) return 0

  let created = 0
  for (const plan of demo.referrals) {
    const serviceId = services[plan.organisation][plan.service]
    if (!serviceId) continue
    const service = await deps.getService(serviceId).catch(() => null)
    const who = people.find((p) => p.id === DEMO_PEOPLE[plan.person])!
    if (!service) continue
    const id = DEMO_REFERRALS[plan.key]
    const submittedAt = new Date(now.getTime() - plan.daysAgo * DAY)
    const consentId = nameUuid(`demo:consent:${id}:share`)
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
        id,
        idempotencyKey: `demo:${id}`,
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
        supportToAttend: plan.person === 'margaret' ? 'first_visit_together' : 'none',
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
