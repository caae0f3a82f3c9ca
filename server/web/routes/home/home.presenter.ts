// Where each role starts after signing in, and the menu that matches it. A user with several roles starts at the
// first of: worklist (link worker), inbox (VCO staff), practice referrals (GP), reports (commissioner), review queue
// (admin); the menu lists every role's entries, each once.
import { paths, pathFor } from '../../../paths'
import { hasRole, managedOrganisations, type SessionUser } from '../../../domain/roles'
import type { NavigationItem } from '../../../types/express'

type MenuItem = Omit<NavigationItem, 'current'>

/** The page a user lands on after signing in. */
export function startPathFor(user: Pick<SessionUser, 'roles'>): string {
  if (hasRole(user, 'link_worker')) return paths.worklist
  if (hasRole(user, 'vco_member')) return paths.referralInbox
  if (hasRole(user, 'gp_user')) return paths.practiceReferrals
  if (hasRole(user, 'commissioner')) return paths.reports
  if (hasRole(user, 'admin')) return paths.adminListingReview
  return paths.account
}

/** The header menu: each role's work first, then organisations the user manages, then their account. */
export function menuFor(user: SessionUser, options: { demo: boolean }): MenuItem[] {
  const items: MenuItem[] = []
  if (hasRole(user, 'link_worker')) {
    items.push(
      { href: paths.worklist, text: 'Worklist' },
      { href: paths.directorySearch, text: 'Find support' },
      { href: paths.people, text: 'Caseload' },
      { href: paths.referrals, text: 'Referrals' },
      { href: paths.episodes, text: 'Social prescribing episodes' },
    )
  }
  if (hasRole(user, 'vco_member')) items.push({ href: paths.referralInbox, text: 'Referrals inbox' })
  if (hasRole(user, 'gp_user'))
    items.push(
      { href: paths.practiceReferrals, text: 'Practice referrals' },
      { href: paths.socialPrescribingRefer, text: 'Refer to social prescribing' },
      { href: paths.practiceEpisodes, text: 'Social prescribing messages' },
    )
  else if (hasRole(user, 'link_worker', 'vco_member'))
    items.push({ href: paths.socialPrescribingRefer, text: 'Refer to social prescribing' })
  if (hasRole(user, 'commissioner', 'admin')) items.push({ href: paths.reports, text: 'Reports' })
  if (hasRole(user, 'admin')) {
    items.push(
      { href: paths.adminListingReview, text: 'Listings to review' },
      { href: paths.adminUsers, text: 'Users' },
      { href: paths.adminAudit, text: 'Audit log' },
    )
    if (options.demo) items.push({ href: paths.adminOutbox, text: 'Outbox' })
  }
  for (const m of managedOrganisations(user)) {
    items.push({
      href: pathFor(paths.organisationColleagues, { organisationId: m.organisationId }),
      text: `Colleagues at ${m.organisationName}`,
    })
  }
  if (hasRole(user, 'vco_member')) {
    for (const m of user.memberships.filter((m) => m.kind === 'vco')) {
      items.push({
        href: pathFor(paths.organisationListings, { organisationId: m.organisationId }),
        text: `Listings of ${m.organisationName}`,
      })
    }
  }
  items.push({ href: paths.account, text: 'Your account' })
  return items
}
