// Referrals from a link worker's team to the VCO that runs a service, and back: submit (idempotent), the VCO inbox,
// actions through the state machine (domain/referral-machine.ts) stored as version-guarded single-document updates,
// messages, signpostings, and the clock job (referral-clock-sweep.ts).
// Scope: the referring team and the receiving organisation see a referral; anyone else gets NotFoundError.
// Reading and making referrals are in referral-lists.ts and referral-submission.ts.
import { nameUuid } from '../domain/ids'
import type { Mailer } from '../data/mail/mailer'
import type { ContactPreference, ReferralRecord } from '../domain/referral-records'
import type { PersonRepository } from '../data/repositories/person.repository'
import type { ReferralRepository } from '../data/repositories/referral.repository'
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '../errors'
import { createLogger } from '../logger'
import type { AuditService } from './audit.service'
import type { ServiceSummary } from './referral-target'
import { snapshot, type PersonActor, type PersonService } from './person.service'
import { DEFAULT_CLOCK_TARGETS, type ClockTargets } from '../domain/referral-clocks'
import { REFERRAL_ACTIONS, STATUS_LABELS, type ReferralAction, type Side } from '../domain/referral-status'
import { londonDay } from './dates'
import { reopenableUntil } from '../domain/referral-closing'
import { hasRole, organisationIds } from '../domain/roles'
import { createReferralClockSweep } from './referral-clock-sweep'
import { createReferralNotices, type ReferralNotices } from './referral-notices'
import { createReferralLists } from './referral-lists'
import { createReferralSubmission } from './referral-submission'
import { applyAction, type ActionRequest, type ReferralChange } from '../domain/referral-machine'

const log = createLogger('referrals')

export const REOPEN_CONFLICT = 'This referral can no longer be reopened here. Reload to see the latest.'
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

/** An action as its form asks it (what the machine's ActionRequest carries), on the version the user saw. */
export interface ActionInput extends Omit<ActionRequest, 'type'> {
  action: ReferralAction
  version: number
}

export const CONFLICT = ConflictError

export interface ReferralDeps {
  referrals: ReferralRepository
  people: PersonRepository
  personService: PersonService
  audit: AuditService
  mailer: Mailer
  getService: (id: string) => Promise<ServiceSummary>
  /** Email addresses of the active members of a directory organisation. */
  organisationEmails: (organisationId: string) => Promise<string[]>
  /** An invitation link for an organisation's listed contact, or null when their address already has an account. */
  inviteContact?: (
    organisation: { id: string; name: string },
    email: string,
    ip: string | null,
  ) => Promise<{ url: string; days: number } | null>
  findCareOrganisation: (id: string) => Promise<{ name: string } | null>
  publicUrl: string
  targets?: ClockTargets
  clock?: () => Date
  /** The person's open social prescribing episode, which a new referral or signposting joins. */
  episodeFor?: (personId: string) => Promise<string | null>
  /** Called once a referral closes (the note to the GP practice). Its failure never fails the transition. */
  onClosed?: (referralId: string) => Promise<unknown>
}

/** What the parts of the referral service share: their dependencies, the clock and targets, scoped loading. */
export interface ReferralContext {
  deps: ReferralDeps
  clock: () => Date
  targets: ClockTargets
  load: (actor: PersonActor, id: string) => Promise<{ referral: ReferralRecord; side: Side }>
  notices: ReferralNotices
}

export function createReferralService(deps: ReferralDeps) {
  const clock = deps.clock ?? (() => new Date())
  const targets = deps.targets ?? DEFAULT_CLOCK_TARGETS
  const reopenHours = targets.reopenHours ?? DEFAULT_CLOCK_TARGETS.reopenHours ?? 0
  const { referrals, audit } = deps
  const notices = createReferralNotices(deps)
  const { tellVco, tellReferrer } = notices

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

  /** Stores a change as one update guarded by the version it was made from, audits it, and reads the result back. */
  async function store(actor: PersonActor, referral: ReferralRecord, change: ReferralChange, ip: string | null) {
    if (!(await referrals.transition(referral.id, referral, change))) throw new ConflictError(CONFLICT_MESSAGE)
    await audit.recordOn(actor, 'referral.changed', 'referral', referral.id, ip, {
      action: change.action,
      from: change.from,
      to: change.to,
    })
    return (await referrals.get(referral.id))!
  }

  const context: ReferralContext = { deps, clock, targets, load, notices }
  return {
    sideOf,
    ...createReferralSubmission(context),
    ...createReferralLists(context),

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
      const updated = await store(actor, referral, change, ip)
      if (to !== referral.status) {
        const by = side === 'vco' ? updated.organisationName : updated.teamName
        const data = { by, serviceName: updated.serviceName, status: STATUS_LABELS[to] }
        await (side === 'vco' ? tellReferrer : tellVco)(updated, 'referral-status', data).catch((error: unknown) =>
          log.warn({ err: error, referralId: id }, 'status email failed'),
        )
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
      const updated = await store(actor, referral, change, ip)
      const tell = side === 'vco' ? tellReferrer : tellVco
      await tell(updated, 'referral-reopened', { serviceName: updated.serviceName, status: STATUS_LABELS[back] }).catch(
        (error: unknown) => log.warn({ err: error, referralId: id }, 'reopen email failed'),
      )
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
      await audit.recordOn(actor, 'referral.changed', 'referral', id, ip, { action: 'message' })
      const notify = side === 'vco' ? tellReferrer : tellVco
      await notify(referral, 'referral-message', { serviceName: referral.serviceName }).catch((error: unknown) =>
        log.warn({ err: error, referralId: id }, 'message email failed'),
      )
    },

    runClockSweep: sweep.run,
  }
}

export type ReferralService = ReturnType<typeof createReferralService>
