// Problems reported with a public listing: anyone may report one; the organisation and curators are emailed a link
// (never the details), and its members or a curator close it.
import type { ListingReportRecord, ReportKind } from '../data/listing-records'
import { NotFoundError } from '../errors'
import { paths, pathFor } from '../paths'
import { actorOf, mayEditOrganisation, type ListingContext } from './listing-context'
import type { ListingUser } from './listing.service'

export function createListingReports({ deps, directory, listings, clock, notifier, record }: ListingContext) {
  return {
    /** Closes a report (the organisation's members or a curator). */
    async resolveReport(user: ListingUser, reportId: string): Promise<ListingReportRecord> {
      const report = await listings.getReport(reportId)
      if (!report || !mayEditOrganisation(user, report.organization_id)) throw new NotFoundError('Report not found')
      // Dealt with already (by a colleague or a curator): nothing more to do.
      if (report.status !== 'open') return report
      await listings.resolveReport(reportId, actorOf(user), clock())
      await record(user, 'report resolved', report.service_id, { reportId })
      return report
    },

    /** "Report a problem with this listing": queued for the organisation and curators, who are emailed a link. */
    async reportProblem(serviceId: string, input: { kind: ReportKind; details: string }): Promise<void> {
      const view = await directory.getServiceView(serviceId)
      if (!view || view.service.review_status !== 'approved' || view.organization.review_status !== 'approved') {
        throw new NotFoundError('Service not found')
      }
      await listings.insertReport({
        id: deps.newId(),
        service_id: serviceId,
        organization_id: view.organization.id,
        service_name: view.service.name,
        kind: input.kind,
        details: input.details,
        at: clock(),
        status: 'open',
        resolved_by: null,
        resolved_at: null,
      })
      await record(null, 'problem reported', serviceId, { kind: input.kind })
      const [curators, members] = await Promise.all([deps.curatorEmails(), deps.memberEmails(view.organization.id)])
      // The details stay in Loopwell (they may name someone): the email only says where to look.
      await notifier.send('listing-problem', [...members, ...curators], {
        serviceName: view.service.name,
        path: pathFor(paths.organisationListings, { organisationId: view.organization.id }),
      })
    },
  }
}
