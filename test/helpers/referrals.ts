// Demo users as the services see them, and small helpers for referral tests.
import { nameUuid } from '../../server/data/ids'
import { DEMO_USERS } from '../../server/services/demo-accounts'
import type { SessionUser } from '../../server/services/roles'

export function demoActor(key: (typeof DEMO_USERS)[number]['key']): SessionUser {
  const u = DEMO_USERS.find((d) => d.key === key)!
  return {
    id: nameUuid(`demo:user:${u.key}`),
    email: u.email,
    name: u.name,
    roles: [...u.roles],
    memberships: u.memberships.map((m) => ({ ...m, manager: m.manager ?? false })),
    sessionVersion: 0,
  }
}
