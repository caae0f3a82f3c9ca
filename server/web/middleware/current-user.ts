// Puts the signed-in user and a menu for their roles into every page.
import type { RequestHandler } from 'express'
import { paths, pathFor } from '../../paths'
import { hasRole, managedOrganisations } from '../../services/roles'
import type { NavigationItem } from '../../types/express'

export function currentUser(options: { demo: boolean }): RequestHandler {
  return (req, res, next) => {
    const user = req.user
    if (!user) return next()
    res.locals.user = user
    const items: Omit<NavigationItem, 'current'>[] = [{ href: paths.account, text: 'Your account' }]
    if (hasRole(user, 'link_worker')) {
      items.push({ href: paths.people, text: 'Caseload' }, { href: paths.referrals, text: 'Referrals' })
      items.push({ href: paths.episodes, text: 'Social prescribing episodes' })
    }
    if (hasRole(user, 'gp_user')) {
      items.push(
        { href: paths.socialPrescribingRefer, text: 'Refer to social prescribing' },
        { href: paths.practiceEpisodes, text: 'Social prescribing messages' },
      )
    } else if (hasRole(user, 'link_worker', 'vco_member')) {
      items.push({ href: paths.socialPrescribingRefer, text: 'Refer to social prescribing' })
    }
    if (hasRole(user, 'vco_member')) items.push({ href: paths.referralInbox, text: 'Referrals inbox' })
    if (hasRole(user, 'commissioner', 'admin')) items.push({ href: paths.reports, text: 'Reports' })
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
    if (hasRole(user, 'admin')) {
      items.push({ href: paths.adminListingReview, text: 'Listings to review' })
      items.push({ href: paths.adminUsers, text: 'Users' }, { href: paths.adminAudit, text: 'Audit log' })
      if (options.demo) items.push({ href: paths.adminOutbox, text: 'Outbox' })
    }
    res.locals.navigation = items.map((i) => ({ ...i, current: req.path === i.href }))
    res.set('Cache-Control', 'no-store')
    next()
  }
}
