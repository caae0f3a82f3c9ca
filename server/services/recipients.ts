// Who an email goes to, each one query on a repository: an organisation's active members, the directory curators, a
// GP practice's users, and the link workers who referred into a service lately.
import type { AccountRepository } from '../data/repositories/account.repository'
import type { ReferralRepository } from '../data/repositories/referral.repository'
import type { RecentReferrers } from './listing.service'

export function createRecipients(deps: {
  accounts: Pick<AccountRepository, 'activeEmails'>
  referrals: Pick<ReferralRepository, 'listByServiceSince'>
  clock: () => Date
}) {
  const { accounts } = deps
  const recentReferrers: RecentReferrers = async (serviceId, _organisationId, since) =>
    (await deps.referrals.listByServiceSince(serviceId, since, deps.clock())).map((r) => ({
      id: r.referrer.userId,
      email: r.referrer.email,
    }))
  return {
    /** The active members of a directory organisation. */
    members: (organisationId: string) => accounts.activeEmails('vco_member', { kind: 'vco', organisationId }),
    /** The directory's curators (administrators). */
    curators: () => accounts.activeEmails('admin'),
    /** The GP users of a practice. */
    practice: (organisationId: string) => accounts.activeEmails('gp_user', { kind: 'practice', organisationId }),
    /** Link workers who referred into a service since a date, told when it closes or fills. */
    recentReferrers,
  }
}

export type Recipients = ReturnType<typeof createRecipients>
