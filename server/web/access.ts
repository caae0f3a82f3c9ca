// Who may use each route: the one table a reviewer reads. Default deny: a request that matches no row here is
// answered 404, whatever routers exist, and the authorisation matrix test fails for any route missing from the table.
// Rows say who may reach a route; which records they then see (their own organisation's, their team's…) is checked
// in the services, which answer NotFoundError for records outside the user's scope, so ids cannot be probed.
import type { RequestHandler } from 'express'
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../errors'
import { paths } from '../paths'
import type { Role } from '../domain/roles'

/** 'public': anyone, signed in or not. 'signed-in': any signed-in user. Otherwise: signed-in users with one of these roles. */
export type Audience = 'public' | 'signed-in' | readonly Role[]
export type Method = 'GET' | 'POST'

export interface RouteAccess {
  method: Method
  path: string
  allow: Audience
  /** What the service further restricts, for the reader. */
  scope?: string
}

const ADMIN: readonly Role[] = ['admin']
const LISTING_EDITORS: readonly Role[] = ['admin', 'vco_member']
const STAFF_MANAGERS: readonly Role[] = ['admin', 'vco_member', 'link_worker', 'gp_user']
const LINK_WORKERS: readonly Role[] = ['link_worker']
const VCO_STAFF: readonly Role[] = ['vco_member']
const REFERRAL_SIDES: readonly Role[] = ['link_worker', 'vco_member']
const REPORT_READERS: readonly Role[] = ['commissioner', 'admin']
const REFERRAL_SCOPE = 'the referring team and the receiving organisation'
const EPISODE_REFERRERS: readonly Role[] = ['gp_user', 'link_worker', 'vco_member']
const GP_FEEDBACK_SCOPE = "the user's practice's patients, with consent to GP feedback"
const LISTINGS_SCOPE = "the user's organisations' listings"
const CASELOAD_SCOPE = "people on the user's team's caseload"
const EPISODES_SCOPE = "the user's team's episodes"
const GP: readonly Role[] = ['gp_user']

/** A page and what its form sends: one rule for showing it (GET) and for the post (POST). */
function page(path: string, allow: Audience, scope?: string): RouteAccess[] {
  return (['GET', 'POST'] as const).map((method) => ({ method, path, allow, ...(scope ? { scope } : {}) }))
}

export const ROUTE_ACCESS: readonly RouteAccess[] = [
  // Public pages
  { method: 'GET', path: paths.home, allow: 'public' },
  { method: 'GET', path: paths.health, allow: 'public' },
  { method: 'GET', path: paths.accessibility, allow: 'public' },
  { method: 'GET', path: paths.privacy, allow: 'public' },
  { method: 'GET', path: '/assets/nhsuk-frontend.min.css', allow: 'public' },

  // The public directory
  { method: 'GET', path: paths.directorySearch, allow: 'public' },
  { method: 'GET', path: paths.service, allow: 'public', scope: 'public, approved listings only' },

  // The Open Referral UK API: open, no key, its own rate limit; public, approved listings only
  { method: 'GET', path: paths.orukRoot, allow: 'public' },
  { method: 'GET', path: paths.orukOpenApi, allow: 'public' },
  { method: 'GET', path: paths.orukServices, allow: 'public', scope: 'public, approved listings only' },
  { method: 'GET', path: paths.orukService, allow: 'public', scope: 'public, approved listings only' },
  { method: 'GET', path: paths.orukTaxonomies, allow: 'public' },
  { method: 'GET', path: paths.orukTaxonomyTerms, allow: 'public' },
  { method: 'GET', path: paths.orukOrganizations, allow: 'public', scope: 'approved organisations only' },
  { method: 'GET', path: paths.orukOrganization, allow: 'public', scope: 'approved organisations only' },
  { method: 'GET', path: paths.orukServiceAtLocations, allow: 'public', scope: 'public, approved listings only' },

  // Signing in and out, invitations, password resets
  ...page(paths.signIn, 'public'),
  { method: 'POST', path: paths.signOut, allow: 'signed-in' },
  ...page(paths.forgotPassword, 'public'),
  ...page(paths.resetPassword, 'public', 'a valid single-use link'),
  ...page(paths.acceptInvitation, 'public', 'a valid single-use link'),

  // Your account
  { method: 'GET', path: paths.account, allow: 'signed-in' },
  { method: 'POST', path: paths.signOutEverywhere, allow: 'signed-in' },

  // Organisation managers
  ...page(paths.organisationColleagues, STAFF_MANAGERS, 'managers of this organisation, and admins'),
  ...page(
    paths.colleagueStatus,
    STAFF_MANAGERS,
    'managers of this organisation (its members only, not admins), and admins',
  ),

  // Admin
  { method: 'GET', path: paths.adminUsers, allow: ADMIN },
  ...page(paths.adminInvite, ADMIN),
  ...page(paths.adminUser, ADMIN),
  ...page(paths.adminUserStatus, ADMIN, 'any account but their own'),
  { method: 'GET', path: paths.adminAudit, allow: ADMIN },
  { method: 'GET', path: paths.adminOutbox, allow: ADMIN, scope: 'demo mode only' },

  // Keeping listings true: VCO members change their own organisations' listings (capacity, closed and
  // "still accurate" live at once; other edits wait for a curator); curators (admins) review, restore and check.
  { method: 'GET', path: paths.organisationListings, allow: LISTING_EDITORS, scope: "the user's organisations" },
  ...page(paths.listingNew, LISTING_EDITORS, "the user's organisations"),
  { method: 'GET', path: paths.listingManage, allow: LISTING_EDITORS, scope: LISTINGS_SCOPE },
  ...page(paths.listingEdit, LISTING_EDITORS, LISTINGS_SCOPE),
  { method: 'POST', path: paths.listingCapacity, allow: LISTING_EDITORS, scope: LISTINGS_SCOPE },
  { method: 'POST', path: paths.listingTemporarilyClosed, allow: LISTING_EDITORS, scope: LISTINGS_SCOPE },
  { method: 'POST', path: paths.listingStillAccurate, allow: LISTING_EDITORS, scope: LISTINGS_SCOPE },
  {
    method: 'POST',
    path: paths.listingReportResolve,
    allow: LISTING_EDITORS,
    scope: "reports about the user's organisations' listings",
  },
  { method: 'GET', path: paths.reportService, allow: 'public', scope: 'public listings only' },
  { method: 'POST', path: paths.reportService, allow: 'public', scope: 'public listings only; rate-limited' },
  ...page(paths.listingCheck, 'public', 'a valid single-use reminder link'),
  { method: 'GET', path: paths.adminListingReview, allow: ADMIN },
  ...page(paths.adminChangeRequest, ADMIN),
  ...page(paths.adminChangeRequestEdit, ADMIN),
  { method: 'GET', path: paths.adminListingHistory, allow: ADMIN },
  { method: 'POST', path: paths.adminListingRestore, allow: ADMIN },
  { method: 'POST', path: paths.adminListingCheck, allow: ADMIN },

  // People and referrals: link workers see their team's caseload; a referral is seen by its referring team
  // and by the organisation it was sent to.
  { method: 'GET', path: paths.people, allow: LINK_WORKERS, scope: "the user's team's caseload" },
  ...page(paths.personNew, LINK_WORKERS),
  { method: 'GET', path: paths.person, allow: LINK_WORKERS, scope: CASELOAD_SCOPE },
  { method: 'POST', path: paths.personConsent, allow: LINK_WORKERS, scope: CASELOAD_SCOPE },
  ...page(paths.personEdit, LINK_WORKERS, CASELOAD_SCOPE),
  ...page(paths.personDischarge, LINK_WORKERS, CASELOAD_SCOPE),
  ...page(paths.referService, LINK_WORKERS, 'services that take referrals'),
  ...page(paths.signpostService, LINK_WORKERS),
  { method: 'GET', path: paths.referrals, allow: LINK_WORKERS, scope: "the user's team's referrals" },
  { method: 'GET', path: paths.worklist, allow: LINK_WORKERS, scope: "the user's team's referrals" },
  { method: 'POST', path: paths.worklistDone, allow: LINK_WORKERS, scope: "the user's team's referrals" },
  { method: 'GET', path: paths.referralInbox, allow: VCO_STAFF, scope: "the user's organisations' referrals" },
  ...page(paths.referral, REFERRAL_SIDES, REFERRAL_SCOPE),
  { method: 'GET', path: paths.referralClose, allow: REFERRAL_SIDES, scope: REFERRAL_SCOPE },
  { method: 'POST', path: paths.referralMessages, allow: REFERRAL_SIDES, scope: REFERRAL_SCOPE },
  // Closing the loop: the person's own feedback link (no account), the outcome of a referral for the
  // referring team and the receiving organisation, and the GP practice's view of its patients' outcomes.
  ...page(paths.feedback, 'public', 'a valid single-use link'),
  ...page(paths.referralOutcome, REFERRAL_SIDES, REFERRAL_SCOPE),
  { method: 'POST', path: paths.referralMeasure, allow: REFERRAL_SIDES, scope: REFERRAL_SCOPE },
  { method: 'POST', path: paths.referralFeedbackLink, allow: REFERRAL_SIDES, scope: REFERRAL_SCOPE },
  { method: 'GET', path: paths.practiceReferrals, allow: GP, scope: GP_FEEDBACK_SCOPE },
  { method: 'GET', path: paths.practiceOutcomeSummary, allow: GP, scope: GP_FEEDBACK_SCOPE },
  { method: 'GET', path: paths.practiceOutcomeSummaryFile, allow: GP, scope: GP_FEEDBACK_SCOPE },
  // Reports: aggregates only, small numbers suppressed, for commissioners and admins (curators).
  { method: 'GET', path: paths.reports, allow: REPORT_READERS },
  { method: 'GET', path: paths.report, allow: REPORT_READERS },
  { method: 'GET', path: paths.reportCsv, allow: REPORT_READERS },
  // Social prescribing episodes: referral in (GP practice staff, other professionals, the public), the link worker
  // team's triage queue and caseload, and the message back that the GP practice reads with the person's consent.
  ...page(paths.socialPrescribingRefer, EPISODE_REFERRERS),
  { method: 'GET', path: paths.selfReferral, allow: 'public' },
  { method: 'POST', path: paths.selfReferral, allow: 'public', scope: 'rate-limited' },
  { method: 'GET', path: paths.referralReceived, allow: 'public' },
  { method: 'GET', path: paths.episodes, allow: LINK_WORKERS, scope: EPISODES_SCOPE },
  { method: 'GET', path: paths.episode, allow: LINK_WORKERS, scope: EPISODES_SCOPE },
  ...page(paths.episodeAction, LINK_WORKERS, EPISODES_SCOPE),
  { method: 'GET', path: paths.episodeMessage, allow: LINK_WORKERS, scope: EPISODES_SCOPE },
  { method: 'GET', path: paths.practiceEpisodes, allow: GP, scope: GP_FEEDBACK_SCOPE },
  { method: 'GET', path: paths.practiceEpisodeMessage, allow: GP, scope: GP_FEEDBACK_SCOPE },
  { method: 'GET', path: paths.practiceEpisodeFhir, allow: GP, scope: GP_FEEDBACK_SCOPE },
]

function compile(template: string): RegExp {
  const source = template
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/')
  return new RegExp(`^${source}/?$`)
}

const COMPILED = ROUTE_ACCESS.map((rule) => ({ rule, pattern: compile(rule.path), literal: !rule.path.includes(':') }))

/** The row for a request, preferring a literal path over a template (so /admin/x/new beats /admin/x/:id). */
export function findRouteAccess(method: string, path: string): RouteAccess | undefined {
  const m = method === 'HEAD' ? 'GET' : method
  const matches = COMPILED.filter((c) => c.rule.method === m && c.pattern.test(path))
  return (matches.find((c) => c.literal) ?? matches[0])?.rule
}

export function isAllowed(rule: RouteAccess, user: { roles: readonly Role[] } | undefined): boolean {
  if (rule.allow === 'public') return true
  if (!user) return false
  if (rule.allow === 'signed-in') return true
  const roles = rule.allow
  return user.roles.some((r) => roles.includes(r))
}

/**
 * Applies the table to every request that reaches the routers. No row: 404. Not signed in: a page asks them to
 * sign in (GET) or 401. Signed in without the role: 403.
 */
export function authorise(): RequestHandler {
  return (req, res, next) => {
    const rule = findRouteAccess(req.method, req.path)
    if (!rule) return next(new NotFoundError())
    if (isAllowed(rule, req.user)) return next()
    if (!req.user) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        return res.redirect(303, `${paths.signIn}?next=${encodeURIComponent(req.originalUrl)}`)
      }
      return next(new UnauthenticatedError())
    }
    next(new ForbiddenError())
  }
}
