// Curators' side of listings: the review queue, approving (as is or edited) or rejecting a change request, every
// approved version kept and restorable, and checks recorded by hand.
import type { ServiceView } from '../domain/directory-records'
import type { ChangeRequestRecord, ListingFields, ServiceVersionRecord } from '../data/listing-records'
import type { ServicePatch } from '../data/repositories/directory.repository'
import { ConflictError, NotFoundError } from '../errors'
import { paths, pathFor } from '../paths'
import { actorOf, type ListingContext } from './listing-context'
import { diffFields, type FieldDifference } from './listing-fields'
import type { ListingUser } from './listing.service'

/** What a curator is told when a change request was decided before they could. */
function alreadyDecided(request: ChangeRequestRecord): string {
  const who = request.decided_by ? ` by ${request.decided_by.name}` : ''
  if (request.status === 'approved') return `This change has already been approved${who}.`
  if (request.status === 'rejected') return `This change has already been rejected${who}.`
  return 'The organisation has sent a newer change instead of this one. Look at the review queue for it.'
}

export function createListingReview(context: ListingContext) {
  const { directory, listings, clock, notifier, editable, record, saveVersion, applyFields, markChecked, deps } =
    context

  /**
   * A pending request and its listing, with the claim to decide it: of two curators deciding at once, one gets the
   * claim and the other a ConflictError saying so. A request decided already is a ConflictError naming the decision.
   */
  async function decide(id: string, curator: ListingUser) {
    const request = await listings.getChangeRequest(id)
    if (!request) throw new NotFoundError('Change request not found')
    if (request.status !== 'pending') throw new ConflictError(alreadyDecided(request))
    const service = await directory.getService(request.service_id)
    if (!service) throw new NotFoundError('Listing not found')
    const claim = await listings.claimDecision(id, clock())
    if (!claim) {
      throw new ConflictError(
        'Another curator decided this change a moment ago. Look at the review queue to see what they decided.',
      )
    }
    return { request, service, by: actorOf(curator), claim }
  }

  return {
    async reviewQueue() {
      const [requests, reports] = await Promise.all([listings.listPendingChangeRequests(), listings.listOpenReports()])
      return {
        requests: requests.map((r) => ({ ...r, differences: diffFields(r.before, r.proposed) })),
        reports,
      }
    },

    /** A request with its field-by-field difference; `stale` when the listing changed after it was asked for. */
    async changeRequest(id: string): Promise<{
      request: ChangeRequestRecord
      differences: FieldDifference[]
      stale: boolean
    }> {
      const request = await listings.getChangeRequest(id)
      if (!request) throw new NotFoundError('Change request not found')
      const service = await directory.getService(request.service_id)
      if (!service) throw new NotFoundError('Change request not found')
      const differences =
        request.kind === 'new_service'
          ? diffFields({ ...request.proposed, name: '', description: '', weekly_times: [] }, request.proposed)
          : diffFields(request.before, request.proposed)
      return { request, differences, stale: (service.version ?? 1) !== request.base_version }
    },

    /** Approves (optionally with the curator's edits): a new version, live at once; the submitter is told. */
    async approve(curator: ListingUser, id: string, edited?: ListingFields): Promise<void> {
      const { request, service, by, claim } = await decide(id, curator)
      const fields = edited ?? request.proposed
      const note = edited ? 'edited and approved' : request.kind === 'new_service' ? 'created' : 'approved change'
      let version: number
      try {
        if (request.kind === 'new_service') {
          version = 1
          const won = await listings.insertVersion({
            id: `${service.id}:1`,
            service_id: service.id,
            version: 1,
            fields,
            changed_by: by,
            at: clock(),
            note,
          })
          if (!won) throw new ConflictError('This listing was approved a moment ago.')
        } else {
          version = await saveVersion(service, fields, by, note)
        }
      } catch (error) {
        // Nothing decided: the request stays pending, for this curator or another to decide again.
        await listings.releaseDecision(claim)
        throw error
      }
      await listings.decideChangeRequest(id, {
        status: 'approved',
        decided_by: by,
        decided_at: clock(),
        reason: null,
      })
      const extra: ServicePatch = { review_status: 'approved' }
      await applyFields(service, fields, version, extra)
      if (request.kind === 'new_service') {
        const organization = await directory.getOrganization(service.organization_id)
        if (organization && organization.review_status !== 'approved') {
          await directory.updateOrganization(organization.id, { review_status: 'approved' })
        }
        await deps.reindex(service.id)
      }
      await record(curator, edited ? 'edited and approved' : 'approved', service.id, { changeRequestId: id, version })
      await notifier.send('listing-change-live', request.submitted_by.email, {
        serviceName: fields.name,
        path: pathFor(paths.service, { id: service.id }),
      })
    },

    /** Rejects with a reason, which the submitter is sent. The live listing is untouched. */
    async reject(curator: ListingUser, id: string, reason: string): Promise<void> {
      const { request, service, by } = await decide(id, curator)
      await listings.decideChangeRequest(id, { status: 'rejected', decided_by: by, decided_at: clock(), reason })
      if (request.kind === 'new_service') {
        await directory.updateService(service.id, { review_status: 'rejected' })
        await deps.reindex(service.id)
      }
      await record(curator, 'rejected', service.id, { changeRequestId: id })
      await notifier.send('listing-change-refused', request.submitted_by.email, {
        serviceName: request.service_name,
        reason,
        path: pathFor(paths.listingEdit, { serviceId: service.id }),
      })
    },

    /** Version history, newest first. Curators see any listing; VCO members their own. */
    async history(
      user: ListingUser,
      serviceId: string,
    ): Promise<{ view: ServiceView; versions: ServiceVersionRecord[] }> {
      const view = await editable(user, serviceId)
      const versions = await listings.listVersions(serviceId, view.service.version ?? 1)
      return { view, versions }
    },

    /** Makes an earlier version live again, as a new version. Curators only (the route says so). */
    async restore(curator: ListingUser, serviceId: string, version: number): Promise<number> {
      const service = await directory.getService(serviceId)
      const old = service ? await listings.getVersion(serviceId, version) : null
      if (!service || !old) throw new NotFoundError('Version not found')
      const next = await saveVersion(service, old.fields, actorOf(curator), `restored version ${version}`)
      await applyFields(service, old.fields, next)
      await record(curator, 'restored', serviceId, { version, next })
      return next
    },

    /** A curator records how they checked a listing (phoned, or a link worker visited). */
    async recordCheck(curator: ListingUser, serviceId: string, method: 'curator_phoned' | 'link_worker_visited') {
      const service = await directory.getService(serviceId)
      if (!service) throw new NotFoundError('Listing not found')
      await markChecked(serviceId, method, curator.email)
      await record(curator, 'checked', serviceId, { method })
    },
  }
}
