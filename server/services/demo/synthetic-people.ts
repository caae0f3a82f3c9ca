// Synthetic people and the practices and teams they belong to, for the referral generator: equality data in
// plausible proportions (social prescribing leans older and female), obviously fictional names, and a deprivation
// profile per practice so equity reports show a gradient. Deterministic from the seed and the shared random source.
import type { CareOrganisationRecord } from '../../domain/account-records'
import { nameUuid } from '../../domain/ids'
import type { ActorSnapshot, ContactPreference, PersonRecord } from '../../domain/referral-records'
import type { ETHNICITIES, SEXES } from '../../domain/equality'
import { ageBand } from '../person.service'
import { OUTCODES } from '../../data/demo/outcodes'
import type { Random } from '../../data/demo/prng'

const DAY = 24 * 3_600_000

export type Weighted<T extends string | number | null> = readonly (readonly [T, number])[]

export function weighted<T extends string | number | null>(rnd: Random, table: Weighted<T>): T {
  const total = table.reduce((sum, [, w]) => sum + w, 0)
  let x = rnd.next() * total
  for (const [value, w] of table) {
    x -= w
    if (x < 0) return value
  }
  return table[table.length - 1]![0]
}

const ETHNICITY_WEIGHTS: Weighted<(typeof ETHNICITIES)[number] | null> = [
  ['White British', 38],
  ['White (other)', 17],
  ['Asian or Asian British', 18],
  ['Black, Black British, Caribbean or African', 9],
  ['Mixed or multiple ethnic groups', 5],
  ['Other ethnic group', 6],
  ['Prefer not to say', 3],
  [null, 4],
]
const SEX_WEIGHTS: Weighted<(typeof SEXES)[number] | null> = [
  ['Female', 58],
  ['Male', 39],
  ['Prefer not to say', 1],
  [null, 2],
]
/** [youngest age, oldest age, weight]: social prescribing leans older. */
const AGES: readonly (readonly [number, number, number])[] = [
  [18, 24, 5],
  [25, 34, 8],
  [35, 44, 10],
  [45, 54, 14],
  [55, 64, 16],
  [65, 74, 20],
  [75, 84, 18],
  [85, 96, 9],
]
const CONTACT: Weighted<ContactPreference> = [
  ['phone', 55],
  ['text', 20],
  ['email', 12],
  ['letter', 10],
  ['do_not_contact', 3],
]
const GIVEN = ['Alex', 'Sam', 'Jo', 'Chris', 'Robin', 'Kim', 'Pat', 'Lee', 'Morgan', 'Jamie', 'Charlie', 'Frankie']
const FAMILY = ['Example', 'Sample', 'Placeholder', 'Testcase', 'Fictional', 'Madeup', 'Dummy', 'Specimen']

/** Practices and teams for synthetic referrals: PCNs of a few practices each, one social prescribing team per PCN. */
export function syntheticCareOrganisations(options: { pcns?: number; practicesPerPcn?: number } = {}): {
  practices: CareOrganisationRecord[]
  teams: CareOrganisationRecord[]
} {
  const pcns = options.pcns ?? 5
  const perPcn = options.practicesPerPcn ?? 4
  const practices: CareOrganisationRecord[] = []
  const teams: CareOrganisationRecord[] = []
  for (let p = 1; p <= pcns; p++) {
    const pcn = `Synthetic ${p} PCN`
    teams.push({
      id: nameUuid(`synthetic:team:${p}`),
      kind: 'team',
      name: `${pcn} social prescribing team (synthetic)`,
      odsCode: null,
      pcn,
      area: 'Barnet',
      origin: 'demo',
    })
    for (let k = 1; k <= perPcn; k++)
      practices.push({
        id: nameUuid(`synthetic:practice:${p}:${k}`),
        kind: 'practice',
        name: `${OUTCODES[(p * perPcn + k) % OUTCODES.length]} Example Surgery ${p}.${k} (synthetic)`,
        odsCode: `Y9${String(p).padStart(2, '0')}${String(k).padStart(2, '0')}`,
        pcn,
        area: 'Barnet',
        origin: 'demo',
      })
  }
  return { practices, teams }
}

export interface SyntheticPerson {
  record: PersonRecord
  team: CareOrganisationRecord
  referrer: ActorSnapshot & { email: string }
}

/** Makes people one after another, each with a practice, its PCN's team and a referring link worker. */
export function createPersonMaker(options: {
  seed: number
  rnd: Random
  practices: readonly CareOrganisationRecord[]
  teams: readonly CareOrganisationRecord[]
}): (firstReferralAt: Date) => SyntheticPerson {
  const { seed, rnd, practices, teams } = options
  // Each practice has its own deprivation profile, so equity reports show a gradient.
  const practiceDecile = new Map(practices.map((p, i) => [p.id, 1 + ((i * 7 + seed) % 10)] as const))
  const teamOf = (practice: CareOrganisationRecord) => teams.find((t) => t.pcn && t.pcn === practice.pcn) ?? teams[0]!
  let personCount = 0
  return (firstReferralAt: Date): SyntheticPerson => {
    const n = personCount++
    const id = nameUuid(`synthetic:person:${seed}:${n}`)
    const practice = rnd.pick(practices)
    const team = teamOf(practice)
    const worker = rnd.int(1, 3)
    const referrer = {
      userId: nameUuid(`synthetic:user:${team.id}:${worker}`),
      name: `Link Worker ${worker} (synthetic)`,
      email: `link.worker.${worker}@synthetic.loopwell.test`,
    }
    const [young, old] = pickAge(rnd)
    const age = rnd.int(young, old)
    const dob = new Date(firstReferralAt.getTime() - (age * 365.25 + rnd.int(0, 364)) * DAY).toISOString().slice(0, 10)
    const base = practiceDecile.get(practice.id)!
    const decile = rnd.chance(0.1) ? null : Math.max(1, Math.min(10, base + rnd.int(-2, 2)))
    const contactPreference = weighted(rnd, CONTACT)
    const outcode = rnd.pick(OUTCODES)
    const record: PersonRecord = {
      id,
      teamId: team.id,
      givenName: rnd.pick(GIVEN),
      familyName: `Synthetic-${rnd.pick(FAMILY)}`,
      dateOfBirth: dob,
      nhsNumber: null,
      phone: `07700 900${String(n % 1000).padStart(3, '0')}`,
      email: `person.${n}@example.org`,
      address: `${rnd.int(1, 200)} Example Road`,
      postcode: `${outcode} ${rnd.int(1, 9)}XX`,
      contactPreference,
      practiceId: practice.id,
      practiceName: practice.name,
      practiceOdsCode: practice.odsCode,
      whatMatters: '',
      needs: [],
      equality: {
        ethnicity: weighted(rnd, ETHNICITY_WEIGHTS),
        sex: weighted(rnd, SEX_WEIGHTS),
        ageBand: ageBand(dob, firstReferralAt),
        deprivationDecile: decile,
      },
      caresForId: null,
      consents: [],
      createdBy: { userId: referrer.userId, name: referrer.name },
      created_at: firstReferralAt,
      updated_at: firstReferralAt,
    }
    if (rnd.chance(0.85))
      record.consents.push({
        id: nameUuid(`synthetic:consent:${id}:gp`),
        type: 'given',
        scope: 'feedback_to_gp',
        organisationId: practice.id,
        organisationName: practice.name,
        how: 'verbal',
        at: firstReferralAt,
        by: { userId: referrer.userId, name: referrer.name },
      })
    return { record, team, referrer }
  }
}

function pickAge(rnd: Random): readonly [number, number] {
  const [young, old] =
    AGES[
      weighted(
        rnd,
        AGES.map((a, i) => [i, a[2]] as const),
      )
    ]!
  return [young, old]
}
