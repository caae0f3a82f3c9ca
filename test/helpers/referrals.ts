// Demo users as the services see them, and small helpers for referral tests.
import { nameUuid } from '../../server/domain/ids'
import { DEMO_USERS } from '../../server/services/demo-accounts'
import { DEMO_PEOPLE } from '../../server/services/demo-referrals'
import type { ActionInput, SubmitInput } from '../../server/services/referral.service'
import type { Services } from '../../server/container'
import type { SessionUser } from '../../server/domain/roles'
import { referralInput } from './factories'

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

/** A referral form for a demo person (Margaret unless `over` says otherwise), with a fresh idempotency key. */
export function submitInput(serviceId: string, over: Partial<SubmitInput> = {}): SubmitInput {
  return referralInput(serviceId, over.personId ?? DEMO_PEOPLE.margaret, over)
}

/** Takes `action` on referral `id` as `actor`, on the version stored now (as someone who has just opened its page). */
export async function actNow(
  services: Pick<Services, 'referrals'>,
  actor: SessionUser,
  id: string,
  action: Omit<ActionInput, 'version'>,
) {
  const { referral } = await services.referrals.get(actor, id, null)
  return services.referrals.act(actor, id, { ...action, version: referral.version }, null)
}
