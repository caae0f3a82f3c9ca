// Every URL template in one place: routers, redirects and the `path` view helper use these.

export const paths = {
  home: '/',
  directorySearch: '/services',
  service: '/services/:id',
  health: '/healthz',
  accessibility: '/accessibility',
  privacy: '/privacy',
  signIn: '/sign-in',
  signOut: '/sign-out',
  forgotPassword: '/forgot-password',
  resetPassword: '/reset-password/:token',
  acceptInvitation: '/invitations/:token',
  account: '/account',
  signOutEverywhere: '/account/sign-out-everywhere',
  organisationColleagues: '/organisations/:organisationId/colleagues',
  adminUsers: '/admin/users',
  adminInvite: '/admin/invitations/new',
  adminUser: '/admin/users/:userId',
  adminAudit: '/admin/audit',
  adminOutbox: '/admin/outbox',
  organisationListings: '/organisations/:organisationId/listings',
  listingNew: '/organisations/:organisationId/listings/new',
  listingManage: '/listings/:serviceId',
  listingEdit: '/listings/:serviceId/edit',
  listingCapacity: '/listings/:serviceId/capacity',
  listingTemporarilyClosed: '/listings/:serviceId/temporarily-closed',
  listingStillAccurate: '/listings/:serviceId/still-accurate',
  listingReportResolve: '/listing-reports/:reportId/resolve',
  reportService: '/services/:id/report',
  listingCheck: '/listing-check/:token',
  adminListingReview: '/admin/listings/review',
  adminChangeRequest: '/admin/listings/changes/:changeRequestId',
  adminChangeRequestEdit: '/admin/listings/changes/:changeRequestId/edit',
  adminListingHistory: '/admin/listings/:serviceId/history',
  adminListingRestore: '/admin/listings/:serviceId/restore',
  adminListingCheck: '/admin/listings/:serviceId/check',
  people: '/people',
  personNew: '/people/new',
  person: '/people/:personId',
  personConsent: '/people/:personId/consent',
  referService: '/services/:id/refer',
  signpostService: '/services/:id/signpost',
  referrals: '/referrals',
  referralInbox: '/referrals/inbox',
  referral: '/referrals/:referralId',
  referralMessages: '/referrals/:referralId/messages',
  referralClose: '/referrals/:referralId/close/:action',
  worklist: '/worklist',
  worklistDone: '/worklist/:referralId/done',
  orukRoot: '/api/oruk',
  orukOpenApi: '/api/oruk/openapi.json',
  orukServices: '/api/oruk/services',
  orukService: '/api/oruk/services/:id',
  orukTaxonomies: '/api/oruk/taxonomies',
  orukTaxonomyTerms: '/api/oruk/taxonomy_terms',
  orukOrganizations: '/api/oruk/organizations',
  orukOrganization: '/api/oruk/organizations/:organizationId',
  orukServiceAtLocations: '/api/oruk/service_at_locations',
  // Outcomes
  feedback: '/feedback/:token',
  referralOutcome: '/referrals/:referralId/outcome',
  referralMeasure: '/referrals/:referralId/measures',
  referralFeedbackLink: '/referrals/:referralId/feedback-link',
  practiceReferrals: '/practice/referrals',
  practiceOutcomeSummary: '/practice/people/:personId/summary',
  practiceOutcomeSummaryFile: '/practice/people/:personId/summary/:format',
  // Reports
  reports: '/reports',
  report: '/reports/:report',
  reportCsv: '/reports/:report/:table.csv',
} as const

export type PathName = keyof typeof paths

/** Fills `:name` parameters in a template. Unknown or missing parameters are an error in our code, not user input. */
export function pathFor(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new TypeError(`pathFor: missing parameter ${name} for ${template}`)
    return encodeURIComponent(String(value))
  })
}
