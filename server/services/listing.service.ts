// Keeping listings true. VCO members change their own organisation's listings: capacity, "temporarily closed" and
// "still accurate" are live at once; other edits to a published listing become a change request that a curator
// (an admin) approves, rejects with a reason, or edits and approves. Every approved version is kept (service_versions,
// `<service>:<version>`) with who and when, and can be restored. Anyone may report a problem with a public listing.
import type { ServiceRecord, ServiceView } from '../domain/directory-records'
import type {
  Actor,
  ChangeRequestRecord,
  ListingFields,
  ListingReportRecord,
  ReportKind,
  ServiceVersionRecord,
} from '../data/listing-records'
import type { Mailer } from '../data/mail/mailer'
import type { DirectoryRepository, ServicePatch } from '../data/repositories/directory.repository'
import type { ListingRepository } from '../data/repositories/listing.repository'
import type { Capacity } from '../domain/directory-vocabulary'
import { ConflictError, NotFoundError, ValidationError } from '../errors'
import { createLogger } from '../logger'
import { paths, pathFor } from '../paths'
import type { AuditService } from './audit.service'
import { createNotifier } from './notifier'
import { diffFields, fieldsOf, otherTimes, patchFor, type FieldDifference } from './listing-fields'
import { hasRole, type SessionUser } from '../domain/roles'

const log = createLogger('listings')

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

export const REFERRER_WINDOW_MS = 92 * 86_400_000

export function actorOf(user: ListingUser): Actor {
  return { id: user.id, email: user.email, name: user.name }
}

export function isCurator(user: Pick<SessionUser, 'roles'>): boolean {
  return hasRole(user, 'admin')
}

/** Curators may change any listing; VCO members only their own organisations'. */
export function mayEditOrganisation(user: ListingUser, organisationId: string): boolean {
  if (isCurator(user)) return true
  return (
    hasRole(user, 'vco_member') && user.memberships.some((m) => m.kind === 'vco' && m.organisationId === organisationId)
  )
}

/** What a curator is told when a change request was decided before they could. */
function alreadyDecided(request: ChangeRequestRecord): string {
  const who = request.decided_by ? ` by ${request.decided_by.name}` : ''
  if (request.status === 'approved') return `This change has already been approved${who}.`
  if (request.status === 'rejected') return `This change has already been rejected${who}.`
  return 'The organisation has sent a newer change instead of this one. Look at the review queue for it.'
}

export interface CapacityInput {
  capacity: Capacity
  note: string | null
  reopensOn: Date | null
}

export function createListingService(deps: ListingDeps) {
  const { directory, listings } = deps
  const clock = deps.clock ?? (() => new Date())
  let warnedUnwired = false

  const notifier = createNotifier(deps)

  /** The listing, when this user may change it; NotFoundError otherwise (same as a missing one). */
  async function editable(user: ListingUser, serviceId: string): Promise<ServiceView> {
    const view = await directory.getServiceView(serviceId)
    if (!view || !mayEditOrganisation(user, view.organization.id)) throw new NotFoundError('Listing not found')
    return view
  }

  async function record(user: ListingUser | null, action: string, serviceId: string, detail: object = {}) {
    await deps.audit.record({
      actor: user ? { id: user.id, email: user.email } : null,
      action: 'listing.changed',
      recordType: 'service',
      recordId: serviceId,
      // Services do not see requests; the request log carries the address.
      ip: null,
      detail: { what: action, ...detail },
    })
  }

  /** Tells link workers who referred into this service lately that it closed or is full (no personal details). */
  async function tellReferrers(service: ServiceRecord, what: string): Promise<number> {
    if (!deps.recentReferrers) {
      if (!warnedUnwired) log.info('referrals are not wired yet: nobody is told when a service closes or fills')
      warnedUnwired = true
      return 0
    }
    const since = new Date(clock().getTime() - REFERRER_WINDOW_MS)
    const referrers = await deps.recentReferrers(service.id, service.organization_id, since)
    const emails = [...new Set(referrers.map((r) => r.email))]
    await notifier.send('listing-referrers', emails, {
      serviceName: service.name,
      what,
      path: pathFor(paths.service, { id: service.id }),
    })
    return emails.length
  }

  async function saveVersion(service: ServiceRecord, fields: ListingFields, by: Actor, note: string): Promise<number> {
    const current = service.version ?? 1
    if (!(await listings.getVersion(service.id, current))) {
      // Listings published before history was kept: record how they looked, so it can be restored.
      await listings.insertVersion({
        id: `${service.id}:${current}`,
        service_id: service.id,
        version: current,
        fields: fieldsOf(service),
        changed_by: by,
        at: service.updated_at ?? clock(),
        note: 'as published before changes were tracked',
      })
    }
    const next = current + 1
    const won = await listings.insertVersion({
      id: `${service.id}:${next}`,
      service_id: service.id,
      version: next,
      fields,
      changed_by: by,
      at: clock(),
      note,
    })
    if (!won) throw new ConflictError('This listing was changed by someone else a moment ago. Look at it again.')
    return next
  }

  async function applyFields(service: ServiceRecord, fields: ListingFields, version: number, extra: ServicePatch = {}) {
    const patch = { ...patchFor(service, fields, deps.newId), version, ...extra } as unknown as ServicePatch
    await directory.updateService(service.id, patch)
    await deps.reindex(service.id)
  }

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
    // For VCO members

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
      await this.markChecked(serviceId, 'vco_confirmed', user.email)
      await record(user, 'still accurate', serviceId)
    },

    /** Records a check (also used by freshness links and curators); resets reminders and the not-checked flag. */
    async markChecked(
      serviceId: string,
      method: NonNullable<ServiceRecord['assurer_method']>,
      assurerEmail: string | null,
    ): Promise<void> {
      await directory.updateService(serviceId, {
        assured_date: clock(),
        assurer_method: method,
        assurer_email: assurerEmail,
        'freshness.reminders_sent': 0,
        'freshness.last_reminder_at': null,
        'freshness.escalated_at': null,
      } as unknown as ServicePatch)
      await deps.reindex(serviceId)
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
      const request: ChangeRequestRecord = {
        id: deps.newId(),
        kind,
        service_id: serviceId,
        organization_id: organization.id,
        service_name: fields.name,
        organization_name: organization.name,
        before: kind === 'edit' ? live : fields,
        proposed: fields,
        base_version: service.version ?? 1,
        submitted_by: actorOf(user),
        submitted_at: clock(),
        status: 'pending',
        decided_by: null,
        decided_at: null,
        reason: null,
      }
      await listings.insertChangeRequest(request)
      await record(user, 'change requested', serviceId, { changeRequestId: request.id })
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
      const request: ChangeRequestRecord = {
        id: deps.newId(),
        kind: 'new_service',
        service_id: id,
        organization_id: organisationId,
        service_name: fields.name,
        organization_name: organization.name,
        before: fields,
        proposed: fields,
        base_version: 1,
        submitted_by: actorOf(user),
        submitted_at: now,
        status: 'pending',
        decided_by: null,
        decided_at: null,
        reason: null,
      }
      await listings.insertChangeRequest(request)
      await record(user, 'listing created', id, { changeRequestId: request.id })
      await notifier.send('listing-new-waiting', await deps.curatorEmails(), {
        organisationName: organization.name,
        path: paths.adminListingReview,
      })
      return { serviceId: id, request }
    },

    // For curators

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
      await this.markChecked(serviceId, method, curator.email)
      await record(curator, 'checked', serviceId, { method })
    },

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

    // For anyone

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

    tellReferrers,
  }
}

export type ListingService = ReturnType<typeof createListingService>
