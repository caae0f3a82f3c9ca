// Demo data for keeping listings true, seeded once at start in demo mode: a pending change from Age Well Barnet for
// the curator's queue (with a version history behind it) and a problem reported by the public. Idempotent: a
// marker change request with a fixed id is only created when missing.
import type { AccountRepository } from '../data/repositories/account.repository'
import type { DirectoryRepository } from '../data/repositories/directory.repository'
import type { ListingRepository } from '../data/repositories/listing.repository'
import { nameUuid } from '../domain/ids'
import { DEMO_VCO } from './demo-accounts'
import { fieldsOf } from './listing-fields'
import type { ListingService } from './listing.service'

export const DEMO_CHANGE_REQUEST_ID = nameUuid('demo:change-request:age-well')
export const DEMO_REPORT_ID = nameUuid('demo:listing-report:age-well')

export async function seedDemoListings(deps: {
  listings: ListingService
  repository: ListingRepository
  directory: Pick<DirectoryRepository, 'getServiceView'>
  accounts: Pick<AccountRepository, 'findUserByEmail' | 'listUsers'>
  clock: () => Date
}): Promise<number> {
  if (await deps.repository.getChangeRequest(DEMO_CHANGE_REQUEST_ID)) return 0
  const member = await deps.accounts.findUserByEmail('vco.member@demo.loopwell.test')
  if (!member) return 0
  const services = (await deps.repository.listServicesOfOrganization(DEMO_VCO.id)).filter(
    (s) => s.review_status === 'approved' && s.status === 'active',
  )
  const target = services[1] ?? services[0]
  const reported = services[0]
  if (!target || !reported) return 0
  const view = await deps.directory.getServiceView(target.id)
  if (!view) return 0
  const user = {
    id: member.id,
    email: member.email,
    name: member.name,
    roles: member.roles,
    memberships: member.memberships,
  }
  const live = fieldsOf(view.service)
  const request = await deps.listings.submitEdit(user, target.id, {
    ...live,
    description: `${live.description} From January we also meet on the first Saturday of each month.`,
  })
  // Give the demo request its fixed id, so the next start knows it is there.
  await deps.repository.insertChangeRequest({ ...request, id: DEMO_CHANGE_REQUEST_ID })
  await deps.repository.decideChangeRequest(request.id, {
    status: 'superseded',
    decided_by: null,
    decided_at: deps.clock(),
    reason: null,
  })
  await deps.repository.insertReport({
    id: DEMO_REPORT_ID,
    service_id: reported.id,
    organization_id: DEMO_VCO.id,
    service_name: reported.name,
    kind: 'wrong_details',
    details: 'The phone number on this page rings out; the group told me it changed last month.',
    at: deps.clock(),
    status: 'open',
    resolved_by: null,
    resolved_at: null,
  })
  return 2
}
