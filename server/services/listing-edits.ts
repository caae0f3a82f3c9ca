// Listings as their organisation changes them: capacity, "temporarily closed" and "still accurate" are live at once;
// other edits to a published listing, and new listings, become a change request for a curator.
import type { ServiceRecord } from '../domain/directory-records'
import type { ChangeRequestRecord, ListingFields } from '../data/listing-records'
import type { ServicePatch } from '../data/repositories/directory.repository'
import { NotFoundError, ValidationError } from '../errors'
import { paths } from '../paths'
import { actorOf, mayEditOrganisation, type ListingContext } from './listing-context'
import { diffFields, fieldsOf, otherTimes } from './listing-fields'
import type { CapacityInput, ListingUser } from './listing.service'

export function createListingEdits(context: ListingContext) {
  const { deps, directory, listings, clock, notifier, editable, record, tellReferrers, applyFields } = context
  const { markChecked } = context

  /** Stores a pending change request for a curator, and the audit record of it. */
  async function requestChange(
    user: ListingUser,
    what: string,
    asked: Omit<
      ChangeRequestRecord,
      'id' | 'service_name' | 'submitted_by' | 'status' | 'decided_by' | 'decided_at' | 'reason'
    >,
  ): Promise<ChangeRequestRecord> {
    const request: ChangeRequestRecord = {
      ...asked,
      id: deps.newId(),
      service_name: asked.proposed.name,
      submitted_by: actorOf(user),
      status: 'pending',
      decided_by: null,
      decided_at: null,
      reason: null,
    }
    await listings.insertChangeRequest(request)
    await record(user, what, request.service_id, { changeRequestId: request.id })
    return request
  }

  return {
    /** An organisation's listings, pending changes and open problem reports. */
    async organisationListings(user: ListingUser, organisationId: string) {
      if (!mayEditOrganisation(user, organisationId)) throw new NotFoundError('Organisation not found')
      const organisation = await directory.getOrganization(organisationId)
      if (!organisation) throw new NotFoundError('Organisation not found')
      const [services, pending, reports] = await Promise.all([
        listings.listServicesOfOrganization(organisationId),
        listings.listPendingChangeRequests({ organizationId: organisationId }),
        listings.listOpenReports({ organizationId: organisationId }),
      ])
      return { organisation, services, pending, reports }
    },

    /** A listing as its editor sees it: the live fields, any pending change, and times the form cannot edit. */
    async listingForEdit(user: ListingUser, serviceId: string) {
      const view = await editable(user, serviceId)
      const pending = (await listings.listPendingChangeRequests({ organizationId: view.organization.id })).find(
        (r) => r.service_id === serviceId,
      )
      return {
        view,
        fields: pending?.proposed ?? fieldsOf(view.service),
        live: fieldsOf(view.service),
        pending: pending ?? null,
        otherTimes: otherTimes(view.service),
      }
    },

    /** Live at once: open / waitlist / full / paused, with a note and the date it expects to reopen. */
    async setCapacity(user: ListingUser, serviceId: string, input: CapacityInput): Promise<void> {
      const { service } = await editable(user, serviceId)
      const wasTaking = service.referral.capacity === 'open' || service.referral.capacity === 'waitlist'
      await directory.updateService(serviceId, {
        'referral.capacity': input.capacity,
        'referral.capacity_note': input.note,
        'referral.capacity_reopens_on': input.capacity === 'open' ? null : input.reopensOn,
        'referral.capacity_set_at': clock(),
      } as unknown as ServicePatch)
      await deps.reindex(serviceId)
      await record(user, 'capacity', serviceId, { capacity: input.capacity })
      if (wasTaking && (input.capacity === 'full' || input.capacity === 'paused')) {
        await tellReferrers(service, input.capacity === 'full' ? 'is now full' : 'has paused new referrals')
      }
    },

    /** Live at once: temporarily closed, or open again. */
    async setTemporarilyClosed(user: ListingUser, serviceId: string, closed: boolean): Promise<void> {
      const { service } = await editable(user, serviceId)
      if (service.status === 'inactive' || service.status === 'defunct') {
        throw new ValidationError({ closed: 'This listing is closed; ask the directory team to reopen it' })
      }
      await directory.updateService(serviceId, { status: closed ? 'temporarily closed' : 'active' })
      await deps.reindex(serviceId)
      await record(user, closed ? 'temporarily closed' : 'reopened', serviceId)
      if (closed && service.status === 'active') await tellReferrers(service, 'is temporarily closed')
    },

    /** "This is still accurate": the checked date is now, confirmed by the organisation. */
    async confirmAccurate(user: ListingUser, serviceId: string): Promise<void> {
      await editable(user, serviceId)
      await markChecked(serviceId, 'vco_confirmed', user.email)
      await record(user, 'still accurate', serviceId)
    },

    /**
     * Edits: a listing not yet published changes at once (it is not public); a published one gets a change request
     * (replacing this organisation's earlier pending one for it) and stays as it is until a curator approves.
     */
    async submitEdit(user: ListingUser, serviceId: string, fields: ListingFields) {
      const { service, organization } = await editable(user, serviceId)
      const earlier = (await listings.listPendingChangeRequests({ organizationId: organization.id })).filter(
        (r) => r.service_id === serviceId,
      )
      const live = fieldsOf(service)
      if (service.review_status === 'approved' && diffFields(live, fields).length === 0) {
        throw new ValidationError({ name: 'You have not changed anything. Change a detail, or go back.' })
      }
      const kind = service.review_status === 'approved' ? 'edit' : 'new_service'
      if (kind === 'new_service') await applyFields(service, fields, service.version ?? 1)
      for (const r of earlier) {
        // A curator deciding it at this moment has its claim: their decision stands, and the new request waits too.
        if (!(await listings.claimDecision(r.id, clock()))) continue
        await listings.decideChangeRequest(r.id, {
          status: 'superseded',
          decided_by: actorOf(user),
          decided_at: clock(),
          reason: null,
        })
      }
      const request = await requestChange(user, 'change requested', {
        kind,
        service_id: serviceId,
        organization_id: organization.id,
        organization_name: organization.name,
        before: kind === 'edit' ? live : fields,
        proposed: fields,
        base_version: service.version ?? 1,
        submitted_at: clock(),
      })
      if (earlier.length === 0) {
        await notifier.send('listing-change-waiting', await deps.curatorEmails(), {
          organisationName: organization.name,
          path: paths.adminListingReview,
        })
      }
      return request
    },

    /** A new service: stored as pending (not public) with a change request for a curator. */
    async createListing(user: ListingUser, organisationId: string, fields: ListingFields) {
      if (!mayEditOrganisation(user, organisationId)) throw new NotFoundError('Organisation not found')
      const organization = await directory.getOrganization(organisationId)
      if (!organization) throw new NotFoundError('Organisation not found')
      const now = clock()
      const id = deps.newId()
      const base: ServiceRecord = {
        id,
        organization_id: organisationId,
        name: fields.name,
        alternate_name: null,
        description: fields.description,
        url: null,
        email: null,
        status: 'active',
        assured_date: now,
        assurer_email: user.email,
        assurer_method: 'vco_confirmed',
        alert: null,
        delivery_modes: ['in_person'],
        taxonomy_term_ids: [],
        keywords: [],
        schedules: [],
        cost_options: [],
        eligibility: {
          description: null,
          minimum_age: null,
          maximum_age: null,
          catchment: 'none',
          catchment_description: null,
          exclusions: null,
        },
        languages: [],
        contacts: [],
        service_areas: [],
        service_at_locations: [],
        referral: {
          access_routes: [],
          accepts_referrals: false,
          referral_instructions: null,
          response_days: null,
          capacity: 'open',
          capacity_set_at: now,
          capacity_note: null,
          capacity_reopens_on: null,
        },
        review_status: 'pending',
        origin: 'manual',
        version: 1,
        freshness: { review_interval_months: null, reminders_sent: 0, last_reminder_at: null, escalated_at: null },
        created_at: now,
        updated_at: now,
      }
      const created = await directory.createService(base)
      await applyFields(created, fields, 1)
      const request = await requestChange(user, 'listing created', {
        kind: 'new_service',
        service_id: id,
        organization_id: organisationId,
        organization_name: organization.name,
        before: fields,
        proposed: fields,
        base_version: 1,
        submitted_at: now,
      })
      await notifier.send('listing-new-waiting', await deps.curatorEmails(), {
        organisationName: organization.name,
        path: paths.adminListingReview,
      })
      return { serviceId: id, request }
    },
  }
}
