// Referrals from a link worker's team to the VCO that runs a service, and back: submit (idempotent), the VCO inbox,
// actions through the state machine (domain/referral-machine.ts) stored as version-guarded single-document updates,
// messages, signpostings, and the clock job (referral-clock-sweep.ts).
// Scope: the referring team and the receiving organisation see a referral; anyone else gets NotFoundError.
import { nameUuid } from '../domain/ids'
import type { Mailer } from '../data/mail/mailer'
import type {
  ContactPreference,
  PersonRecord,
  ReferralRecord,
  ReferralSummary,
  SharedDetails,
  SignpostingRecord,
} from '../domain/referral-records'
import type { PersonRepository } from '../data/repositories/person.repository'
import type { ReferralRepository } from '../data/repositories/referral.repository'
import { BadRequestError, ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '../errors'
import { createLogger } from '../logger'
import { paths, pathFor } from '../paths'
import type { AuditService } from './audit.service'
import type { ServiceSummary } from './referral-target'
import { ageBand, hasConsent, snapshot, type PersonActor, type PersonService } from './person.service'
import { computeClocks, DEFAULT_CLOCK_TARGETS, type ClockTargets } from '../domain/referral-clocks'
import {
  INBOX_TABS,
  REFERRAL_ACTIONS,
  STATUS_LABELS,
  type InboxTab,
  type ReferralAction,
  type Side,
} from '../domain/referral-status'
import { londonDay } from './dates'
import { reopenableUntil } from '../domain/referral-closing'
import { hasRole, organisationIds } from '../domain/roles'
import { createReferralClockSweep } from './referral-clock-sweep'
import { createReferralNotices } from './referral-notices'
import { recordReferralConsents } from './referral-consent'
import { applyAction, submittedReferral } from '../domain/referral-machine'
import { pageOf } from '../domain/paging'

const log = createLogger('referrals')

export const REOPEN_CONFLICT = 'This referral can no longer be reopened here. Reload to see the latest.'
export const DISCHARGED_MESSAGE = 'They are no longer on your caseload: put them back on it from their record first'
export const CONFLICT_MESSAGE = 'Someone else has just updated this referral. Reload to see the latest.'

export interface SubmitInput {
  serviceId: string
  personId: string
  idempotencyKey: string
  /** The person agreed, just now, to share their details with this organisation. */
  consentConfirmed: boolean
  consentHow: 'verbal' | 'written'
  /** …and to outcomes going back to their GP practice. */
  gpFeedback: boolean
  needs: string[]
  note: string
  contactPreference: ContactPreference
  supportToAttend: ReferralRecord['supportToAttend']
}

export interface ActionInput {
  action: ReferralAction
  version: number
  reason?: string | null
  text?: string | null
  note?: string | null
  date?: string | null
  attended?: boolean
  taskId?: string | null
}

export const CONFLICT = ConflictError

/** Only the channel the person chose, plus their name and age band: the minimum a VCO needs to make contact. */
export function sharedDetails(person: PersonRecord, preference: ContactPreference, now: Date): SharedDetails {
  return {
    name: `${person.givenName} ${person.familyName}`,
    contactPreference: preference,
    phone: preference === 'phone' || preference === 'text' ? person.phone : null,
    email: preference === 'email' ? person.email : null,
    address: preference === 'letter' ? [person.address, person.postcode].filter(Boolean).join(', ') || null : null,
    ageBand: ageBand(person.dateOfBirth, now),
  }
}

export function createReferralService(deps: {
  referrals: ReferralRepository
  people: PersonRepository
  personService: PersonService
  audit: AuditService
  mailer: Mailer
  getService: (id: string) => Promise<ServiceSummary>
  /** Email addresses of the active members of a directory organisation. */
  organisationEmails: (organisationId: string) => Promise<string[]>
  findCareOrganisation: (id: string) => Promise<{ name: string } | null>
  publicUrl: string
  targets?: ClockTargets
  clock?: () => Date
  /** The person's open social prescribing episode, which a new referral or signposting joins. */
  episodeFor?: (personId: string) => Promise<string | null>
  /** Called once a referral closes (the note to the GP practice). Its failure never fails the transition. */
  onClosed?: (referralId: string) => Promise<unknown>
}) {
  const clock = deps.clock ?? (() => new Date())
  const targets = deps.targets ?? DEFAULT_CLOCK_TARGETS
  const reopenHours = targets.reopenHours ?? DEFAULT_CLOCK_TARGETS.reopenHours ?? 0
  const { referrals, audit } = deps
  const { tellVco, tellReferrer } = createReferralNotices(deps)

  function sideOf(actor: PersonActor, referral: Pick<ReferralRecord, 'organisationId' | 'teamId'>): Side | null {
    if (hasRole(actor, 'vco_member') && organisationIds(actor, 'vco').includes(referral.organisationId)) return 'vco'
    if (hasRole(actor, 'link_worker') && organisationIds(actor, 'team').includes(referral.teamId)) return 'referrer'
    return null
  }

  async function load(actor: PersonActor, id: string): Promise<{ referral: ReferralRecord; side: Side }> {
    const referral = await referrals.get(id)
    const side = referral ? sideOf(actor, referral) : null
    if (!referral || !side) throw new NotFoundError('Referral not found')
    return { referral, side }
  }

  /** Runs the close hook; a failure is logged (the referral's id only) and never undoes the transition. */
  async function closed(id: string): Promise<void> {
    if (!deps.onClosed) return
    await deps
      .onClosed(id)
      .catch((error: unknown) =>
        log.warn({ err: error instanceof Error ? error.name : 'error', referralId: id }, 'close notification failed'),
      )
  }

  const sweep = createReferralClockSweep({
    referrals,
    notices: { tellVco, tellReferrer },
    closed,
    targets: { ...targets, reopenHours },
    clock,
  })

  /**
   * When nobody at the organisation has an account, its listed contact email hears that a referral is waiting and how
   * to get an account to answer it (no personal details).
   */
  async function tellListedContact(referral: ReferralRecord, service: ServiceSummary): Promise<void> {
    if (!service.contactEmail || (await deps.organisationEmails(referral.organisationId)).length > 0) return
    await deps.mailer.send({
      to: service.contactEmail,
      subject: 'A referral is waiting for you on Loopwell',
      text: `${referral.teamName} has referred someone to ${referral.serviceName} through Loopwell, the local social prescribing directory. Nobody at ${referral.organisationName} has a Loopwell account yet, so nobody can see or answer it.\n\nTo sign up, reply to this email or ask the team that runs Loopwell in your area for an invitation. Once you have an account, sign in here to answer: ${deps.publicUrl}${pathFor(paths.referral, { referralId: referral.id })}\n\nThis email has no personal details.`,
    })
  }

  return {
    sideOf,

    /** What the referral form needs: the service (which must take referrals) and the actor's caseload. */
    async referForm(actor: PersonActor, serviceId: string, ip: string | null) {
      const service = await deps.getService(serviceId)
      const [caseload, answerers] = await Promise.all([
        deps.personService.caseload(actor, ip),
        deps.organisationEmails(service.organisationId),
      ])
      // Nobody at the organisation uses Loopwell: the link worker is warned before sending.
      return { service, caseload, nobodyToAnswer: answerers.length === 0 }
    },

    /**
     * Submits a referral once. The _id is derived from the submitting user and the form's idempotency key, so a
     * double click or a retry after a timeout finds the first referral instead of making a second.
     */
    async submit(
      actor: PersonActor,
      input: SubmitInput,
      ip: string | null,
    ): Promise<{ referral: ReferralRecord; created: boolean }> {
      const id = nameUuid(`referral:${actor.id}:${input.idempotencyKey}`)
      const existing = await referrals.get(id)
      if (existing) return { referral: existing, created: false }

      const service = await deps.getService(input.serviceId)
      if (!service.acceptsReferrals) throw new BadRequestError('This service does not take referrals')
      const person = await deps.personService.load(actor, input.personId).catch(() => {
        throw new ValidationError({ personId: 'Choose a person from your caseload' })
      })
      if (person.discharge) throw new ValidationError({ personId: DISCHARGED_MESSAGE })
      const now = clock()
      const by = snapshot(actor)

      const { consentEventId, gpFeedbackConsent } = await recordReferralConsents(deps.people, {
        referralId: id,
        person,
        service,
        input,
        by,
        now,
      })

      const record = submittedReferral(
        {
          id,
          idempotencyKey: `${actor.id}:${input.idempotencyKey}`,
          personId: person.id,
          teamId: person.teamId,
          // The actor's membership carries the team's name: no lookup on the hot path.
          teamName:
            actor.memberships.find((m) => m.kind === 'team' && m.organisationId === person.teamId)?.organisationName ??
            (await deps.findCareOrganisation(person.teamId))?.name ??
            'A link worker team',
          referrer: { ...by, email: actor.email },
          serviceId: service.id,
          serviceName: service.name,
          organisationId: service.organisationId,
          organisationName: service.organisationName,
          practiceId: person.practiceId,
          gpFeedbackConsent,
          consentEventId,
          shared: sharedDetails(person, input.contactPreference, now),
          needs: input.needs,
          note: input.note,
          supportToAttend: input.supportToAttend,
          submittedAt: now,
          clocks: computeClocks(now, targets),
          origin: 'manual',
        },
        by,
      )
      record.episodeId = (await deps.episodeFor?.(person.id)) ?? null
      const created = await referrals.insertOnce(record)
      const referral = created ? record : ((await referrals.get(id)) ?? record)
      await audit.record({
        actor,
        action: 'referral.changed',
        recordType: 'referral',
        recordId: id,
        ip,
        detail: { action: created ? 'submit' : 'submit-retry' },
      })
      if (created) {
        await tellListedContact(referral, service).catch((error: unknown) =>
          log.warn({ err: error, referralId: id }, 'listed-contact email failed'),
        )
        await tellVco(
          referral,
          'New referral',
          `${referral.teamName} has sent ${referral.organisationName} a referral to ${referral.serviceName}.`,
        ).catch((error: unknown) => log.warn({ err: error, referralId: id }, 'new-referral email failed'))
      }
      return { referral, created }
    },

    /** A signposting: a light record (no VCO inbox, no consent to share), counted apart from referrals. */
    async signpost(
      actor: PersonActor,
      input: { serviceId: string; personId: string; idempotencyKey: string; needs: string[]; note: string },
      ip: string | null,
    ): Promise<SignpostingRecord> {
      const service = await deps.getService(input.serviceId)
      const person = await deps.personService.load(actor, input.personId).catch(() => {
        throw new ValidationError({ personId: 'Choose a person from your caseload' })
      })
      if (person.discharge) throw new ValidationError({ personId: DISCHARGED_MESSAGE })
      const record: SignpostingRecord = {
        id: nameUuid(`signposting:${actor.id}:${input.idempotencyKey}`),
        idempotencyKey: `${actor.id}:${input.idempotencyKey}`,
        personId: person.id,
        teamId: person.teamId,
        serviceId: service.id,
        serviceName: service.name,
        organisationId: service.organisationId,
        needs: input.needs,
        note: input.note,
        at: clock(),
        by: snapshot(actor),
        origin: 'manual',
        episodeId: (await deps.episodeFor?.(person.id)) ?? null,
      }
      await referrals.insertSignpostingOnce(record)
      await audit.record({
        actor,
        action: 'person.changed',
        recordType: 'signposting',
        recordId: record.id,
        ip,
        detail: { personId: person.id },
      })
      return record
    },

    /**
     * The VCO inbox: one page of referrals to the actor's organisations in one tab, newest first, with counts for every
     * tab. The open tabs come from the organisations' open referrals (a bounded set); closed ones are paged by month.
     */
    async inbox(actor: PersonActor, tab: InboxTab, ip: string | null, page = 1) {
      const orgs = hasRole(actor, 'vco_member') ? organisationIds(actor, 'vco') : []
      const open = (await Promise.all(orgs.map((o) => referrals.listOpenByOrganisation(o)))).flat()
      open.sort((a, b) => new Date(b.submittedAt).getTime() - new Date(a.submittedAt).getTime())
      const closed = await referrals.pageClosedByOrganisation(orgs, open, tab === 'closed' ? page : 1)
      await audit.record({ actor, action: 'referral.viewed', recordType: 'inbox', recordId: orgs.join(','), ip })
      const inTab = (t: InboxTab) => open.filter((r) => (INBOX_TABS[t] as readonly string[]).includes(r.status))
      const counts = {
        new: inTab('new').length,
        'awaiting-contact': inTab('awaiting-contact').length,
        active: inTab('active').length,
        closed: closed.total,
      } satisfies Record<InboxTab, number>
      const shown = tab === 'closed' ? closed : pageOf(inTab(tab), page)
      return {
        referrals: shown.items,
        counts,
        now: clock(),
        total: shown.total,
        page: shown.page,
        perPage: shown.perPage,
      }
    },

    /** One page of the referring team's referrals, newest first, and the latest page of its signpostings. */
    async teamReferrals(actor: PersonActor, ip: string | null, page = 1) {
      const teams = hasRole(actor, 'link_worker') ? organisationIds(actor, 'team') : []
      const [list, signposts] = await Promise.all([
        referrals.pageByTeam(teams, page),
        referrals.pageSignpostingsByTeam(teams, 1),
      ])
      await audit.record({
        actor,
        action: 'referral.viewed',
        recordType: 'team-referrals',
        recordId: teams.join(','),
        ip,
      })
      return {
        referrals: list.items,
        total: list.total,
        page: list.page,
        perPage: list.perPage,
        signpostings: signposts.items,
        signpostingTotal: signposts.total,
        now: clock(),
      }
    },

    async forPerson(actor: PersonActor, personId: string): Promise<ReferralSummary[]> {
      await deps.personService.load(actor, personId)
      return referrals.listByPerson(personId)
    },

    async get(actor: PersonActor, id: string, ip: string | null) {
      const { referral, side } = await load(actor, id)
      // Withdrawing consent stops further sharing: the VCO no longer sees the person's contact details.
      const person = await deps.people.get(referral.personId)
      const consentWithdrawn = !person || !hasConsent(person, 'share_with_organisation', referral.organisationId)
      if (consentWithdrawn && side === 'vco') {
        referral.shared = { ...referral.shared, phone: null, email: null, address: null }
      }
      await audit.record({ actor, action: 'referral.viewed', recordType: 'referral', recordId: id, ip })
      return { referral, side, now: clock(), consentWithdrawn }
    },

    /**
     * Applies an action as one atomic update guarded by the status and version the user saw. If someone else acted
     * first, nothing changes and ConflictError tells the user to reload.
     */
    async act(actor: PersonActor, id: string, input: ActionInput, ip: string | null): Promise<ReferralRecord> {
      const { referral, side } = await load(actor, id)
      if (!(REFERRAL_ACTIONS[input.action].side as readonly Side[]).includes(side)) {
        throw new NotFoundError('Referral not found')
      }
      if (referral.version !== input.version) throw new ConflictError(CONFLICT_MESSAGE)
      const now = clock()
      // A first contact or a session cannot have happened after today.
      if (input.date && input.date > londonDay(now)) {
        const field = input.action === 'session' ? 'sessionDate' : 'date'
        throw new ValidationError({ [field]: 'The date must be today or in the past' })
      }
      const change = applyAction(referral, { ...input, type: input.action }, snapshot(actor), now, {
        side,
        reopenHours,
      })
      if (!change) throw new ConflictError(CONFLICT_MESSAGE)
      const { to } = change
      const applied = await referrals.transition(id, referral, change)
      if (!applied) throw new ConflictError(CONFLICT_MESSAGE)
      await audit.record({
        actor,
        action: 'referral.changed',
        recordType: 'referral',
        recordId: id,
        ip,
        detail: { action: input.action, from: referral.status, to },
      })
      const updated = (await referrals.get(id))!
      if (side === 'vco' && to !== referral.status) {
        await tellReferrer(
          updated,
          `Referral update: ${STATUS_LABELS[to]}`,
          `${updated.organisationName} has updated a referral to ${updated.serviceName}: ${STATUS_LABELS[to]}.`,
        ).catch((error: unknown) => log.warn({ err: error, referralId: id }, 'status email failed'))
      } else if (side === 'referrer' && to !== referral.status) {
        await tellVco(
          updated,
          `Referral update: ${STATUS_LABELS[to]}`,
          `${updated.teamName} has updated a referral to ${updated.serviceName}: ${STATUS_LABELS[to]}.`,
        ).catch((error: unknown) => log.warn({ err: error, referralId: id }, 'status email failed'))
      }
      // The GP practice hears at once only when closes cannot be undone; otherwise once the close stands.
      if (change.closes && reopenHours === 0) await closed(id)
      return updated
    },

    /**
     * Undoes a close within the reopen window, by the side that closed it: back to the status it closed from, with
     * both events kept in the history. The close's worklist items go; the GP practice, not yet told, is not told.
     */
    async reopen(
      actor: PersonActor,
      id: string,
      input: { version: number; text: string },
      ip: string | null,
    ): Promise<ReferralRecord> {
      const { referral, side } = await load(actor, id)
      const change =
        referral.version === input.version &&
        applyAction(referral, { type: 'reopen', text: input.text }, snapshot(actor), clock(), { side, reopenHours })
      if (!change) throw new ConflictError(REOPEN_CONFLICT)
      const back = change.to
      const applied = await referrals.transition(id, referral, change)
      if (!applied) throw new ConflictError(CONFLICT_MESSAGE)
      await audit.record({
        actor,
        action: 'referral.changed',
        recordType: 'referral',
        recordId: id,
        ip,
        detail: { action: 'reopen', from: referral.status, to: back },
      })
      const updated = (await referrals.get(id))!
      const tell = side === 'vco' ? tellReferrer : tellVco
      await tell(
        updated,
        `Referral reopened: ${STATUS_LABELS[back]}`,
        `A referral to ${updated.serviceName} was closed by mistake and has been reopened.`,
      ).catch((error: unknown) => log.warn({ err: error, referralId: id }, 'reopen email failed'))
      return updated
    },

    /** Until when the actor's side may reopen this closed referral (null: it may not). */
    reopenableUntil(referral: ReferralRecord, side: Side, now: Date = clock()): Date | null {
      return reopenableUntil(referral, side, reopenHours, now)
    },

    /** Adds a message once per form (`idempotencyKey`); 503 when the referral stays too busy to take it. */
    async message(
      actor: PersonActor,
      id: string,
      text: string,
      ip: string | null,
      idempotencyKey?: string,
    ): Promise<void> {
      const { referral, side } = await load(actor, id)
      const at = clock()
      const message = {
        id: nameUuid(`message:${id}:${actor.id}:${idempotencyKey ?? at.getTime()}`),
        at,
        by: snapshot(actor),
        side,
        text,
      }
      // addMessage retries a bounded number of times while other writes move the referral on; past that, 503.
      const attention = side === 'vco' ? ({ kind: 'message', at, dueAt: null } as const) : undefined
      const added = await referrals.addMessage(id, message, attention).catch((error: unknown) => {
        log.warn({ err: error, referralId: id }, 'message not added: the referral kept changing')
        return 'busy' as const
      })
      if (added === 'busy') {
        throw new ServiceUnavailableError('Many changes are being made to this referral. Send your message again.')
      }
      await audit.record({
        actor,
        action: 'referral.changed',
        recordType: 'referral',
        recordId: id,
        ip,
        detail: { action: 'message' },
      })
      const notify = side === 'vco' ? tellReferrer : tellVco
      await notify(
        referral,
        'New message on a referral',
        `There is a new message on a referral to ${referral.serviceName}.`,
      ).catch((error: unknown) => log.warn({ err: error, referralId: id }, 'message email failed'))
    },

    runClockSweep: sweep.run,
  }
}

export type ReferralService = ReturnType<typeof createReferralService>
