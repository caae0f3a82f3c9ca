// Keeping listings true. VCO members change their own organisation's listings: capacity, "temporarily closed" and
// "still accurate" are live at once; other edits to a published listing become a change request that a curator
// (an admin) approves, rejects with a reason, or edits and approves. Every approved version is kept (service_versions,
// `<service>:<version>`) with who and when, and can be restored. Anyone may report a problem with a public listing.
// Split by who acts, around one shared context (listing-context.ts): listing-edits.ts (the organisation),
// listing-review.ts (curators) and listing-reports.ts (problem reports).
import type { ListingRepository } from '../data/repositories/listing.repository'
import type { Mailer } from '../data/mail/mailer'
import type { DirectoryRepository } from '../data/repositories/directory.repository'
import type { Capacity } from '../domain/directory-vocabulary'
import type { SessionUser } from '../domain/roles'
import type { AuditService } from './audit.service'
import { createListingContext } from './listing-context'
import { createListingEdits } from './listing-edits'
import { createListingReports } from './listing-reports'
import { createListingReview } from './listing-review'

export type ListingUser = Pick<SessionUser, 'id' | 'email' | 'name' | 'roles' | 'memberships'>

/** Who referred people into a service since a time (from the referrals repository). */
export type RecentReferrers = (
  serviceId: string,
  organisationId: string,
  since: Date,
) => Promise<{ id: string; email: string }[]>

export interface ListingDeps {
  directory: Pick<
    DirectoryRepository,
    'getService' | 'getOrganization' | 'getServiceView' | 'updateService' | 'createService' | 'updateOrganization'
  >
  listings: ListingRepository
  /** services.directory.reindexService: search shows the change at once. */
  reindex: (serviceId: string) => Promise<void>
  audit: Pick<AuditService, 'record'>
  mailer: Mailer
  /** Email addresses of curators (admins), and of an organisation's VCO members. */
  curatorEmails: () => Promise<string[]>
  memberEmails: (organisationId: string) => Promise<string[]>
  /** Null until referrals exist: then nobody is told, and the log says so once. */
  recentReferrers: RecentReferrers | null
  publicUrl: string
  newId: () => string
  clock?: () => Date
}

export interface CapacityInput {
  capacity: Capacity
  note: string | null
  reopensOn: Date | null
}

export function createListingService(deps: ListingDeps) {
  const context = createListingContext(deps)
  return {
    ...createListingEdits(context),
    ...createListingReview(context),
    ...createListingReports(context),
    markChecked: context.markChecked,
    tellReferrers: context.tellReferrers,
  }
}

export type ListingService = ReturnType<typeof createListingService>
