// What the listing modules share: who may change which listing, the audit record of a change, versions, applying
// fields to the live listing, telling recent referrers that a service closed or filled, and recording a check.
import type { ServiceRecord, ServiceView } from '../domain/directory-records'
import type { Actor, ListingFields } from '../data/listing-records'
import type { ServicePatch } from '../data/repositories/directory.repository'
import { ConflictError, NotFoundError } from '../errors'
import { createLogger } from '../logger'
import { paths, pathFor } from '../paths'
import { hasRole, type SessionUser } from '../domain/roles'
import { fieldsOf, patchFor } from './listing-fields'
import type { ListingDeps, ListingUser } from './listing.service'
import { createNotifier } from './notifier'

const log = createLogger('listings')

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

export function createListingContext(deps: ListingDeps) {
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

  /** Records a check (also used by freshness links and curators); resets reminders and the not-checked flag. */
  async function markChecked(
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
  }

  return {
    deps,
    directory,
    listings,
    clock,
    notifier,
    editable,
    record,
    tellReferrers,
    saveVersion,
    applyFields,
    markChecked,
  }
}

export type ListingContext = ReturnType<typeof createListingContext>
