// Demo sign-ins for every role, with one well-known password. Only ever seeded in demo mode.
import type { CareOrganisationRecord } from '../domain/account-records'
import { nameUuid } from '../domain/ids'
import type { AccountService, MembershipInput } from './account.service'
import { hashPassword } from './password'
import type { Role } from '../domain/roles'

export const DEMO_PASSWORD = 'loopwell-demo'

/** The demo directory's first organisation (server/data/demo/blocks.json), whose staff the demo VCO users are. */
export const DEMO_VCO = { id: nameUuid('demo:organization:age-well'), name: 'Age Well Barnet' }

export const DEMO_TEAM: CareOrganisationRecord = {
  id: nameUuid('demo:team:barnet-1-pcn'),
  kind: 'team',
  name: 'Barnet 1 PCN social prescribing team',
  odsCode: null,
  pcn: 'Barnet 1 PCN',
  area: 'Barnet',
  origin: 'demo',
}

export const DEMO_PRACTICE: CareOrganisationRecord = {
  id: nameUuid('demo:practice:hendon-way'),
  kind: 'practice',
  name: 'Hendon Way Surgery (demo)',
  odsCode: 'E83999',
  pcn: 'Barnet 1 PCN',
  area: 'Barnet',
  origin: 'demo',
}

interface DemoUser {
  key: string
  name: string
  email: string
  roles: Role[]
  memberships: (MembershipInput & { organisationName: string })[]
  what: string
}

const vco = (manager: boolean) => ({
  organisationId: DEMO_VCO.id,
  kind: 'vco' as const,
  organisationName: DEMO_VCO.name,
  manager,
})

export const DEMO_USERS: readonly DemoUser[] = [
  {
    key: 'admin',
    name: 'Ada Admin',
    email: 'admin@demo.loopwell.test',
    roles: ['admin'],
    memberships: [],
    what: 'Admin',
  },
  {
    key: 'link-worker',
    name: 'Lina Worker',
    email: 'link.worker@demo.loopwell.test',
    roles: ['link_worker'],
    memberships: [{ organisationId: DEMO_TEAM.id, kind: 'team', organisationName: DEMO_TEAM.name, manager: false }],
    what: `Link worker, ${DEMO_TEAM.name}`,
  },
  {
    key: 'vco-member',
    name: 'Vic Member',
    email: 'vco.member@demo.loopwell.test',
    roles: ['vco_member'],
    memberships: [vco(false)],
    what: `VCO member, ${DEMO_VCO.name}`,
  },
  {
    key: 'vco-manager',
    name: 'Val Manager',
    email: 'vco.manager@demo.loopwell.test',
    roles: ['vco_member'],
    memberships: [vco(true)],
    what: `VCO manager, ${DEMO_VCO.name}`,
  },
  {
    key: 'gp',
    name: 'Dr Gita Practice',
    email: 'gp@demo.loopwell.test',
    roles: ['gp_user'],
    memberships: [
      { organisationId: DEMO_PRACTICE.id, kind: 'practice', organisationName: DEMO_PRACTICE.name, manager: false },
    ],
    what: `GP practice staff, ${DEMO_PRACTICE.name} (${DEMO_PRACTICE.odsCode})`,
  },
  {
    key: 'commissioner',
    name: 'Cam Commissioner',
    email: 'commissioner@demo.loopwell.test',
    roles: ['commissioner'],
    memberships: [],
    what: 'Commissioner (reports only)',
  },
]

/** Idempotent: organisations and users are created by fixed id only when missing. */
export async function seedDemoAccounts(accounts: AccountService): Promise<number> {
  await accounts.ensureCareOrganisation(DEMO_TEAM)
  await accounts.ensureCareOrganisation(DEMO_PRACTICE)
  let created = 0
  // They share the demo password, so it is hashed once (argon2 is slow on purpose), and only if a user is missing.
  let hash: Promise<string> | undefined
  const passwordHash = () => (hash ??= hashPassword(DEMO_PASSWORD))
  for (const u of DEMO_USERS) {
    const added = await accounts.ensureUser({
      id: nameUuid(`demo:user:${u.key}`),
      name: u.name,
      email: u.email,
      roles: u.roles,
      memberships: u.memberships,
      password: DEMO_PASSWORD,
      passwordHash,
    })
    if (added) created++
  }
  return created
}

export function demoLogins(): { email: string; what: string }[] {
  return DEMO_USERS.map((u) => ({ email: u.email, what: u.what }))
}
