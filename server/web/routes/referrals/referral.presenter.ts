// Turns people and referrals into what the pages show: labels, clocks in words and overdue flags, the forms' radio,
// checkbox and select options, the inbox tabs and the messages shown after a redirect.
import {
  CONTACT_PREFERENCES,
  type PersonRecord,
  type ReferralRecord,
  type ReferralSummary,
  type SignpostingRecord,
} from '../../../domain/referral-records'
import type { CareOrganisationRecord } from '../../../domain/account-records'
import type { TaxonomyTerm } from '../../../data/taxonomy'
import { pathFor, paths } from '../../../paths'
import { formatDate } from '../../../services/dates'
import { closingReasonLabel, isClosingAction, type ClosingAction } from '../../../domain/referral-closing'
import { formatNhsNumber } from '../../../services/nhs-number'
import { hasConsent } from '../../../services/person.service'
import { OVERDUE_LABELS } from '../../../domain/referral-clocks'
import { overdueAt } from '../../../services/worklist.service'
import {
  BSER_BUSINESS_STATUS,
  DECLINE_REASONS,
  FHIR_TASK_STATUS,
  INBOX_TABS,
  REFERRAL_ACTIONS,
  STATUS_LABELS,
  STATUS_TAGS,
  availableActions,
  type InboxTab,
  type Side,
} from '../../../domain/referral-status'
import { CONTACT_LABELS, DISCHARGE_REASON_LABELS } from './referral.schemas'

const CLOSING_LINK_TEXT: Record<ClosingAction, string> = {
  complete: 'Complete',
  'did-not-engage': 'Did not engage',
  decline: 'Decline this referral',
  withdraw: 'Withdraw this referral',
}

const SUPPORT_LABELS: Record<ReferralRecord['supportToAttend'], string> = {
  none: 'None',
  walk_alongside: 'Walk alongside',
  first_visit_together: 'First visit together',
}

const when = (d: Date | string | null | undefined) => formatDate(d)

export function needNames(ids: readonly string[], taxonomy: readonly TaxonomyTerm[]): string[] {
  return ids.map((id) => taxonomy.find((t) => t.id === id)?.name ?? 'Unknown need')
}

export function presentSummary(r: ReferralSummary, now: Date, taxonomy: readonly TaxonomyTerm[]) {
  const overdue = overdueAt(r, now)
  // Steps the clock job flagged (possibly on its own clock) that are still not done count too.
  for (const flag of r.overdue ?? []) {
    const stillDue =
      r.open &&
      ((flag.step === 'acknowledge' && !r.acknowledgedAt) ||
        (flag.step === 'contact' && !r.firstContactAt) ||
        flag.step === 'outcome')
    if (stillDue && !overdue.includes(flag.step)) overdue.push(flag.step)
  }
  const next = !r.acknowledgedAt
    ? `Acknowledge by ${when(r.clocks.acknowledgeBy)}`
    : !r.firstContactAt
      ? `Contact by ${when(r.clocks.contactBy)}`
      : `Outcome by ${when(r.clocks.outcomeBy)}`
  return {
    id: r.id,
    href: pathFor(paths.referral, { referralId: r.id }),
    status: STATUS_LABELS[r.status],
    tag: STATUS_TAGS[r.status],
    open: r.open,
    name: r.shared.name,
    serviceName: r.serviceName,
    organisationName: r.organisationName,
    teamName: r.teamName,
    submitted: when(r.submittedAt),
    clock: r.open ? next : `Closed ${when(r.closedAt)}`,
    overdue: overdue.map((s) => OVERDUE_LABELS[s]),
    openTasks: r.tasks.filter((t) => !t.doneAt).length,
    needs: needNames(r.needs, taxonomy),
  }
}

export function presentReferral(r: ReferralRecord, side: Side, now: Date, taxonomy: readonly TaxonomyTerm[]) {
  return {
    ...presentSummary(r, now, taxonomy),
    version: r.version,
    side,
    statusCode: r.status,
    fhir: FHIR_TASK_STATUS[r.status],
    bser: BSER_BUSINESS_STATUS[r.status],
    outcomeHref: pathFor(paths.referralOutcome, { referralId: r.id }),
    personHref: side === 'referrer' ? pathFor(paths.person, { personId: r.personId }) : null,
    shared: {
      ...r.shared,
      contactPreference: CONTACT_LABELS[r.shared.contactPreference],
    },
    note: r.note,
    supportToAttend: SUPPORT_LABELS[r.supportToAttend],
    referrerName: r.referrer.name,
    clocks: [
      { label: 'Acknowledge by', due: when(r.clocks.acknowledgeBy), done: when(r.acknowledgedAt) },
      { label: 'Contact by', due: when(r.clocks.contactBy), done: when(r.firstContactAt) },
      { label: 'Outcome by', due: when(r.clocks.outcomeBy), done: r.open ? '' : when(r.closedAt) },
      { label: 'Review', due: when(r.clocks.reviewAt), done: '' },
    ],
    decline: r.declineReason
      ? `${DECLINE_REASONS[r.declineReason as keyof typeof DECLINE_REASONS] ?? r.declineReason}${r.declineText ? `: ${r.declineText}` : ''}`
      : null,
    contactAttempts: r.contactAttempts.map((a) => ({ at: when(a.at), by: a.by.name, note: a.note })),
    sessions: r.sessions.map((s) => ({
      date: when(s.date),
      attended: s.attended ? 'Attended' : 'Did not attend',
      note: s.note,
    })),
    tasks: r.tasks.filter((t) => !t.doneAt).map((t) => ({ id: t.id, note: t.note, created: when(t.createdAt) })),
    messages: r.messages.map((m) => ({
      at: when(m.at),
      by: m.by.name,
      side: m.side === 'vco' ? r.organisationName : r.teamName,
      text: m.text,
    })),
    events: [...r.events].reverse().map((e) => ({
      at: when(e.at),
      by: e.by?.name ?? 'Loopwell (automatic)',
      what:
        e.action === 'reopen'
          ? `Reopened: ${e.from ? STATUS_LABELS[e.from] : ''} → ${STATUS_LABELS[e.to]}`
          : e.from === e.to
            ? (REFERRAL_ACTIONS[e.action as keyof typeof REFERRAL_ACTIONS]?.label ?? e.action)
            : `${e.from ? STATUS_LABELS[e.from] : 'Sent'} → ${STATUS_LABELS[e.to]}`,
      reason: e.reason ? closingReasonLabel(e.reason) : e.action === 'reopen' ? e.note : null,
    })),
    actions: Object.fromEntries(availableActions(r.status, side).map((a) => [a, true])) as Record<string, boolean>,
    closingLinks: availableActions(r.status, side)
      .filter(isClosingAction)
      .map((action) => ({
        href: pathFor(paths.referralClose, { referralId: r.id, action }),
        text: CLOSING_LINK_TEXT[action],
      })),
    anyAction: availableActions(r.status, side).length > 0,
  }
}

export function presentPerson(p: PersonRecord, taxonomy: readonly TaxonomyTerm[]) {
  return {
    id: p.id,
    href: pathFor(paths.person, { personId: p.id }),
    name: `${p.givenName} ${p.familyName}`,
    dateOfBirth: when(p.dateOfBirth),
    nhsNumber: p.nhsNumber ? formatNhsNumber(p.nhsNumber) : null,
    contactPreference: CONTACT_LABELS[p.contactPreference],
    phone: p.phone,
    email: p.email,
    address: [p.address, p.postcode].filter(Boolean).join(', '),
    practice: p.practiceName ? `${p.practiceName}${p.practiceOdsCode ? ` (${p.practiceOdsCode})` : ''}` : null,
    whatMatters: p.whatMatters,
    needs: needNames(p.needs, taxonomy),
    equality: p.equality,
    version: p.version ?? 0,
    discharged: p.discharge
      ? {
          on: when(p.discharge.at),
          reason: DISCHARGE_REASON_LABELS[p.discharge.reason as keyof typeof DISCHARGE_REASON_LABELS] ?? 'Other',
          text: p.discharge.text,
          by: p.discharge.by.name,
        }
      : null,
    gpFeedback: p.practiceId ? hasConsent(p, 'feedback_to_gp', p.practiceId) : false,
    consents: [...p.consents].reverse().map((c) => ({
      at: when(c.at),
      what: `${c.type === 'given' ? 'Agreed' : 'Withdrew consent'} to ${c.scope === 'share_with_organisation' ? `share details with ${c.organisationName}` : `outcomes going back to ${c.organisationName}`}`,
      how: c.how,
      by: c.by.name,
    })),
    activeShares: [
      ...new Map(
        p.consents.filter((c) => c.scope === 'share_with_organisation').map((c) => [c.organisationId, c]),
      ).values(),
    ]
      .filter((c) => hasConsent(p, 'share_with_organisation', c.organisationId))
      .map((c) => ({ organisationId: c.organisationId, organisationName: c.organisationName })),
  }
}

/** The person picker: those offered who are still on the caseload, and whoever was chosen. */
export function personOptions(caseload: readonly PersonRecord[], chosenId: unknown) {
  return caseload
    .filter((p) => !p.discharge || p.id === chosenId)
    .map((p) => ({
      value: p.id,
      text: `${p.givenName} ${p.familyName} (born ${formatDate(p.dateOfBirth)})`,
      selected: chosenId === p.id,
    }))
}

/** Needs to tick: the taxonomy's needs under its headings, with those chosen ticked. */
export function needOptions(terms: readonly TaxonomyTerm[], chosen: readonly string[]) {
  return terms.filter((t) => t.parentCode).map((t) => ({ value: t.id, text: t.name, checked: chosen.includes(t.id) }))
}

/** A select's options from a fixed list, with the chosen one selected. */
export function choiceOptions<T extends string>(
  values: readonly T[],
  chosen: unknown,
  label: (v: T) => string = (v) => v,
) {
  return values.map((value) => ({ value, text: label(value), selected: chosen === value }))
}

export function contactOptions(chosen: unknown) {
  return CONTACT_PREFERENCES.map((value) => ({ value, text: CONTACT_LABELS[value], checked: chosen === value }))
}

export function practiceOptions(practices: readonly CareOrganisationRecord[], chosenId: unknown) {
  return practices.map((p) => ({
    value: p.id,
    text: `${p.name}${p.odsCode ? ` (${p.odsCode})` : ''}`,
    selected: chosenId === p.id,
  }))
}

/** Whom the person cares for: anyone else on the caseload. */
export function caresForOptions(caseload: readonly PersonRecord[], values: Record<string, unknown>) {
  return caseload
    .filter((p) => p.id !== values.personId)
    .map((p) => ({
      value: p.id,
      text: `${p.givenName} ${p.familyName}`,
      selected: values.caresForId === p.id,
    }))
}

/** How consent was given: verbally unless "in writing" was chosen. */
export function consentHowOptions(chosen: unknown) {
  return [
    { value: 'verbal', text: 'Verbally', checked: chosen !== 'written' },
    { value: 'written', text: 'In writing', checked: chosen === 'written' },
  ]
}

export function supportOptions(chosen: unknown) {
  return [
    { value: 'none', text: 'No', checked: !chosen || chosen === 'none' },
    { value: 'walk_alongside', text: 'Yes: walk alongside them', checked: chosen === 'walk_alongside' },
    {
      value: 'first_visit_together',
      text: 'Yes: go with them the first time',
      checked: chosen === 'first_visit_together',
    },
  ]
}

export function dischargeReasonOptions(chosen: unknown) {
  return Object.entries(DISCHARGE_REASON_LABELS).map(([value, text]) => ({ value, text, checked: chosen === value }))
}

export function declineOptions(chosen: unknown) {
  return Object.entries(DECLINE_REASONS).map(([value, text]) => ({ value, text, checked: chosen === value }))
}

export function attendedOptions(chosen: unknown) {
  return [
    { value: 'yes', text: 'Yes', checked: chosen === 'yes' },
    { value: 'no', text: 'No', checked: chosen === 'no' },
  ]
}

/** What a person's page says after a change (its `changed` query value). */
export const PERSON_CHANGED: Record<string, string> = {
  details: 'Details saved.',
  discharged: 'Taken off the caseload.',
  returned: 'Back on the caseload.',
}

/** What the team's referrals page says after a signposting (its `signposted` query value). */
export function signpostedMessage(signposted: unknown): string | null {
  return signposted === '1'
    ? 'Signposting recorded.'
    : signposted === 'again'
      ? 'This signposting was already recorded today, so it was not added again.'
      : null
}

export function presentSignposting(s: SignpostingRecord & { personName: string | null }) {
  return {
    serviceName: s.serviceName,
    serviceHref: pathFor(paths.service, { id: s.serviceId }),
    personName: s.personName,
    personHref: pathFor(paths.person, { personId: s.personId }),
    at: s.at,
    by: s.by.name,
  }
}

export const TAB_LABELS: Record<InboxTab, string> = {
  new: 'New',
  'awaiting-contact': 'Awaiting contact',
  active: 'Active',
  closed: 'Closed',
}

/** The inbox's tabs with their counts, the shown one current. */
export function inboxTabs(counts: Record<InboxTab, number>, current: InboxTab) {
  return (Object.keys(INBOX_TABS) as InboxTab[]).map((t) => ({
    href: `${paths.referralInbox}?tab=${t}`,
    text: TAB_LABELS[t],
    count: counts[t],
    current: t === current,
  }))
}
