// Test data made per test instead of borrowed from the demo seed: report facts (plain values), and people and
// referrals made through the real services, so a test owns what it changes and counts.
import { newId } from '../../server/domain/ids'
import type { CareOrganisationRecord } from '../../server/domain/account-records'
import type { PersonRecord } from '../../server/domain/referral-records'
import { REPORT_FACT_FIELDS, type ReportFact } from '../../server/domain/report-fact'
import type { SessionUser } from '../../server/domain/roles'
import type { Services } from '../../server/container'
import { termId } from '../../server/data/taxonomy'
import { buildDemoDirectory } from '../../server/data/demo/generate'
import type { SyntheticService } from '../../server/data/repositories/synthetic-referrals.repository'
import type { NewPersonInput } from '../../server/services/person.service'
import type { SubmitInput } from '../../server/services/referral.service'

let made = 0

/**
 * A report fact for a referral submitted at `submittedAt` (default 2 March 2026) that is still new: nothing
 * acknowledged, recorded or known about the person. `over` sets what the test is about.
 */
export function reportFact(over: Partial<ReportFact> = {}): ReportFact {
  const submittedAt = over.submittedAt ?? new Date('2026-03-02T10:00:00Z')
  const unknown = Object.fromEntries(REPORT_FACT_FIELDS.map((field) => [field, null])) as Record<keyof ReportFact, null>
  return {
    ...unknown,
    id: `fact-${++made}`,
    kind: 'referral',
    submittedAt,
    practiceId: 'practice-1',
    pcn: 'North PCN',
    teamId: 'team-1',
    teamName: 'Barnet link workers',
    organisationId: 'org-1',
    organisationName: 'Age Well',
    serviceId: 'service-1',
    serviceName: 'Befriending',
    needs: [],
    status: 'new',
    open: true,
    accepted: false,
    declined: false,
    unmetNeeds: [],
    updatedAt: submittedAt,
    ...over,
  }
}

/** A GP practice added by hand (not the demo's), for tests of what another practice may not see. */
export function practiceRecord(id: string, over: Partial<CareOrganisationRecord> = {}): CareOrganisationRecord {
  return {
    id,
    kind: 'practice',
    name: 'Other Surgery',
    odsCode: 'E80000',
    pcn: null,
    area: null,
    origin: 'manual',
    ...over,
  }
}

/** A person record as stored, for writing straight to the person repository (`over` sets what the test is about). */
export function personRecord(id: string, over: Partial<PersonRecord> = {}): PersonRecord {
  return {
    id,
    teamId: 'team-1',
    givenName: 'Jane',
    familyName: 'Smith',
    dateOfBirth: '1950-01-02',
    nhsNumber: null,
    phone: null,
    email: null,
    address: null,
    postcode: null,
    contactPreference: 'phone',
    practiceId: null,
    practiceName: null,
    practiceOdsCode: null,
    whatMatters: '',
    needs: [],
    equality: { ethnicity: null, sex: null, ageBand: null, deprivationDecile: null },
    caresForId: null,
    consents: [],
    createdBy: { userId: 'u', name: 'U' },
    ...over,
  }
}

type PeopleAndReferrals = Pick<Services, 'people' | 'referrals'>

/** What the "Add a person" form sends, for a made-up person of a name not used before (`over` changes any field). */
export function personForm(over: Partial<NewPersonInput> = {}): NewPersonInput {
  return {
    givenName: 'Test',
    familyName: `Person ${++made}`,
    dateOfBirth: '1950-01-01',
    nhsNumber: null,
    phone: '07700 900999',
    email: null,
    address: null,
    postcode: null,
    contactPreference: 'phone',
    practiceId: null,
    whatMatters: '',
    needs: [],
    ethnicity: null,
    sex: null,
    caresForId: null,
    ...over,
  }
}

/** A person on `actor`'s team's caseload, made through the person service (as the "Add a person" form does). */
export async function newPerson(
  services: Pick<Services, 'people'>,
  actor: SessionUser,
  over: Partial<NewPersonInput> = {},
): Promise<PersonRecord> {
  const result = await services.people.create(actor, personForm(over), { confirmDuplicate: true, ip: null })
  if (!('created' in result)) throw new Error('person not created')
  return result.created
}

/** A referral form for `personId` to `serviceId`, with consent given and a fresh idempotency key. */
export function referralInput(serviceId: string, personId: string, over: Partial<SubmitInput> = {}): SubmitInput {
  return {
    serviceId,
    personId,
    idempotencyKey: newId(),
    consentConfirmed: true,
    consentHow: 'verbal',
    gpFeedback: false,
    needs: [termId('loneliness-isolation')],
    note: 'test',
    contactPreference: 'phone',
    supportToAttend: 'none',
    ...over,
  }
}

/** A new person referred by `actor` to `serviceId` through the referral service. */
export async function newReferral(
  services: PeopleAndReferrals,
  actor: SessionUser,
  serviceId: string,
  over: { person?: Partial<NewPersonInput>; referral?: Partial<SubmitInput> } = {},
) {
  const person = await newPerson(services, actor, over.person)
  const { referral } = await services.referrals.submit(actor, referralInput(serviceId, person.id, over.referral), null)
  return { person, referral }
}

/** The demo directory's services (as of `now`) in the form the synthetic referral generator takes them. */
export function demoSyntheticServices(now: Date): SyntheticService[] {
  const directory = buildDemoDirectory({ now })
  const orgNames = new Map(directory.organizations.map((o) => [o.id, o.name]))
  return directory.services.map((s) => ({
    id: s.id,
    name: s.name,
    organisationId: s.organization_id,
    organisationName: orgNames.get(s.organization_id) ?? 'Unknown',
    needs: s.taxonomy_term_ids,
    acceptsReferrals: s.referral.accepts_referrals,
    capacity: s.referral.capacity,
  }))
}
