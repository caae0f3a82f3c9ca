// The service a referral goes to, as the referral side sees it: who runs it, whether it takes referrals, and the
// organisation's listed email for when nobody there uses Loopwell yet.
import type { DirectoryService } from './directory.service'

export interface ServiceSummary {
  id: string
  name: string
  organisationId: string
  organisationName: string
  acceptsReferrals: boolean
  /** The organisation's listed contact email, told about a referral when nobody there uses Loopwell yet. */
  contactEmail?: string | null
}

/** Looks a listed service up for a referral; NotFoundError when it is not public. */
export function referralTargets(directory: Pick<DirectoryService, 'getService'>) {
  return async (id: string): Promise<ServiceSummary> => {
    const { service, organization } = await directory.getService(id)
    return {
      id: service.id,
      name: service.name,
      organisationId: organization.id,
      organisationName: organization.name,
      acceptsReferrals: service.referral.accepts_referrals,
      contactEmail: organization.email ?? service.email ?? null,
    }
  }
}
