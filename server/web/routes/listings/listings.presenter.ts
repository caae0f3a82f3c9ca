// What the listing pages show, from what the listing services answer: labels for capacity, problem kinds and check
// methods, the "done" message after a change, and the locals of each page.
import type { Request } from 'express'
import type { ServiceRecord, ServiceView } from '../../../domain/directory-records'
import { REPORT_KINDS, type ServiceVersionRecord } from '../../../data/listing-records'
import { CAPACITIES } from '../../../domain/directory-vocabulary'
import { fieldsOf } from '../../../services/listing-fields'
import type { TokenState } from '../../../services/listing-freshness.service'
import type { ListingService } from '../../../services/listing.service'
import { pathFor, paths } from '../../../paths'
import { pageOf } from '../../../domain/paging'
import { pagination } from '../../pagination'

type Answer<K extends keyof ListingService> = ListingService[K] extends (...args: never[]) => Promise<infer T>
  ? T
  : never

const CAPACITY_LABELS: Record<string, string> = {
  open: 'Open: taking new people',
  waitlist: 'Waiting list',
  full: 'Full: not taking new people',
  paused: 'Paused: not taking new people for now',
}
const REPORT_LABELS: Record<string, string> = {
  wrong_details: 'Some details are wrong',
  closed: 'It has closed',
  other: 'Something else',
}
const METHOD_LABELS: Record<string, string> = {
  vco_confirmed: 'confirmed by the organisation',
  link_worker_visited: 'a link worker visited',
  curator_phoned: 'the directory team phoned',
  curator_reviewed: 'the directory team reviewed a change',
}

const DONE: Record<string, string> = {
  capacity: 'Capacity updated. The listing shows it now.',
  closed: 'The listing now says the service is temporarily closed.',
  reopened: 'The listing now says the service is running.',
  accurate: 'Thank you. The listing now shows it was checked today.',
  submitted: 'Change sent for review. The listing stays as it is until the directory team approves it.',
  created: 'Listing sent for review. It will be public once the directory team approves it.',
}

function isoDate(d: Date | null | undefined): string {
  return d ? d.toISOString().slice(0, 10) : ''
}

const checkedHow = (s: ServiceRecord) => (s.assurer_method ? METHOD_LABELS[s.assurer_method] : null)

export function presentOrganisationListings(data: Answer<'organisationListings'>) {
  return {
    title: `Listings of ${data.organisation.name}`,
    ...data,
    services: data.services.map((s) => ({ ...s, capacityLabel: CAPACITY_LABELS[s.capacity] })),
    reports: data.reports.map((r) => ({ ...r, kindLabel: REPORT_LABELS[r.kind] })),
  }
}

/** The manage page; `done` is the query's word for what was just changed. */
export function presentManage(data: Answer<'listingForEdit'>, done: unknown) {
  const s = data.view.service
  return {
    title: `Manage ${s.name}`,
    ...data,
    service: s,
    organisation: data.view.organization,
    isPublic: s.review_status === 'approved',
    temporarilyClosed: s.status === 'temporarily closed',
    checkedHow: checkedHow(s),
    capacityOptions: CAPACITIES.map((c) => ({
      value: c,
      label: CAPACITY_LABELS[c],
      checked: s.referral.capacity === c,
    })),
    capacityValues: { capacity_note: s.referral.capacity_note ?? '', reopens: isoDate(s.referral.capacity_reopens_on) },
    done: Object.hasOwn(DONE, String(done)) ? DONE[String(done)] : null,
  }
}

/** The manage page again with the capacity form as it was posted. */
export function withPostedCapacity(page: ReturnType<typeof presentManage>, body: Record<string, unknown>) {
  return {
    ...page,
    capacityOptions: page.capacityOptions.map((o) => ({ ...o, checked: body.capacity === o.value })),
    capacityValues: { capacity_note: String(body.capacity_note ?? ''), reopens: String(body.reopens ?? '') },
  }
}

export function presentEdit(data: Answer<'listingForEdit'>) {
  return {
    title: `Change ${data.view.service.name}`,
    service: data.view.service,
    organisation: data.view.organization,
    pending: data.pending,
    otherTimes: data.otherTimes,
    isPublic: data.view.service.review_status === 'approved',
    fields: data.fields,
  }
}

export function presentNew(data: Answer<'organisationListings'>) {
  return { title: `Add a listing for ${data.organisation.name}`, organisation: data.organisation }
}

/** The public "report a problem" form, with what was typed when it comes back with errors. */
export function presentReportForm(service: ServiceRecord, body: Record<string, unknown> = {}) {
  return {
    title: `Report a problem with ${service.name}`,
    service,
    reportOptions: REPORT_KINDS.map((k) => ({ value: k, label: REPORT_LABELS[k], checked: body.kind === k })),
    values: { details: typeof body.details === 'string' ? body.details : '' },
  }
}

/** The page a freshness reminder link opens. */
export function presentCheck(state: TokenState, secret: string) {
  return {
    title: state.state === 'valid' ? `Is ${state.serviceName} still right?` : 'This link has already been used',
    token: secret,
    state,
    valid: state.state === 'valid',
    used: state.state === 'used',
    expired: state.state === 'expired',
    usedAnswer: state.state === 'used' ? state.answer : null,
    editPath: pathFor(paths.listingEdit, { serviceId: state.serviceId }),
    servicePath: pathFor(paths.service, { id: state.serviceId }),
  }
}

export const UNKNOWN_CHECK = { title: 'This link does not work', unknown: true }

/** The curators' queue: its three lists, each paged by its own parameter (`?requests=2`, `?reports=`, `?overdue=`). */
export function presentReview<T>(
  req: Request,
  queue: Answer<'reviewQueue'>,
  overdueListings: readonly T[],
  pages: { requests: number; reports: number; overdue: number },
) {
  const requests = pageOf(queue.requests, pages.requests)
  const reports = pageOf(queue.reports, pages.reports)
  const overdue = pageOf(overdueListings, pages.overdue)
  const done = req.query.done
  return {
    title: 'Listings to review',
    requests: requests.items,
    requestPages: pagination(req, requests, 'requests'),
    reports: reports.items.map((r) => ({ ...r, kindLabel: REPORT_LABELS[r.kind] })),
    reportPages: pagination(req, reports, 'reports'),
    overdue: overdue.items,
    overduePages: pagination(req, overdue, 'overdue'),
    done:
      done === 'approved'
        ? 'Approved. The listing shows the change now.'
        : done === 'rejected'
          ? 'Rejected. We emailed the reason to the person who asked.'
          : null,
  }
}

export function presentChangeRequest(data: Answer<'changeRequest'>) {
  return { title: `Review: ${data.request.service_name}`, ...data, isNew: data.request.kind === 'new_service' }
}

/** A listing's versions; `query` says what was just done (a version restored, a check recorded). */
export function presentHistory(
  { view, versions }: { view: ServiceView; versions: ServiceVersionRecord[] },
  query: { restored?: unknown; checked?: unknown },
) {
  const s = view.service
  return {
    title: `History of ${s.name}`,
    service: s,
    organisation: view.organization,
    current: s.version ?? 1,
    versions: versions.map((v) => ({ ...v, isCurrent: v.version === (s.version ?? 1) })),
    checkedHow: checkedHow(s),
    live: fieldsOf(s),
    done: query.restored
      ? `Version ${String(query.restored)} is live again.`
      : query.checked
        ? 'Check recorded.'
        : null,
  }
}
