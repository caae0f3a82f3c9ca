// Closing the loop: the worker's outcome on a referral (their view, goals, unmet needs), wellbeing measures at first
// contact and at follow-up, the person's own answers (through their feedback link), the GP practice's view of its
// patients' referrals, the per-person outcome summary, the note to the practice when a referral closes, and the
// service figures staff weigh when choosing.
// Scope: the referring team and the receiving organisation act on a referral; a GP user sees only their practice's
// patients' referrals where the person consented to GP feedback. Anything else is NotFoundError.
import { backoff } from '../../data/atomic'
import { newId } from '../../domain/ids'
import type { AttentionItem } from '../../domain/referral-records'
import type { Mailer } from '../../data/mail/mailer'
import type { OutcomeReferral, ReferralOutcomeRepository } from '../../data/repositories/referral-outcome.repository'
import { pageAcross, PER_PAGE } from '../../data/repositories/month-pages'
import { ConflictError, NotFoundError, ServiceUnavailableError, type FieldErrors } from '../../errors'
import { paths, pathFor } from '../../paths'
import type { AuditService } from '../audit.service'
import { createNotifier } from '../notifier'
import { hasRole, organisationIds, type SessionUser } from '../../domain/roles'
import {
  findInstrument,
  measureChanges,
  scoreMeasure,
  wellbeingChange,
  type MeasureRecord,
  type MeasureTiming,
} from '../measures/measures'
import {
  benefitOf,
  engagementOf,
  isBenefit,
  measuresOf,
  readOutcome,
  type BenefitRating,
  type Goal,
  type PersonFeedback,
  type ReferralOutcome,
} from './outcome'
import { buildOutcomeSummary, consentedForPractice, summaryText, type OutcomeSummary } from './outcome-summary'
import type { FeedbackReferralPort } from './person-feedback.service'
import { serviceFigures, type ServiceFigures } from './service-figures'

export type Actor = Pick<SessionUser, 'id' | 'email' | 'name' | 'roles' | 'memberships'>

export const PRACTICE_FILTERS = { all: 'All', 'did-not-engage': 'Did not engage', 'no-benefit': 'No benefit' } as const
export type PracticeFilter = keyof typeof PRACTICE_FILTERS

export const CLOSED = ['completed', 'declined', 'did_not_engage', 'withdrawn', 'no_response']

export interface WorkerOutcomeInput {
  helped: BenefitRating
  note: string
  goals: Goal[]
  unmetNeeds: string[]
  unmetNote: string
}

export function createOutcomeService(deps: {
  outcomes: ReferralOutcomeRepository
  audit: AuditService
  mailer: Mailer
  /** Email addresses of the active members of a GP practice. */
  practiceEmails: (practiceId: string) => Promise<string[]>
  statusLabel: (status: string) => string
  needLabel: (id: string) => string
  publicUrl: string
  clock?: () => Date
}) {
  const clock = deps.clock ?? (() => new Date())
  const notifier = createNotifier(deps)
  const { outcomes, audit } = deps

  function canAct(actor: Actor, r: OutcomeReferral): boolean {
    return (
      (hasRole(actor, 'vco_member') && organisationIds(actor, 'vco').includes(r.organisationId)) ||
      (hasRole(actor, 'link_worker') && organisationIds(actor, 'team').includes(r.teamId))
    )
  }

  function practicesOf(actor: Actor): string[] {
    return hasRole(actor, 'gp_user') ? organisationIds(actor, 'practice') : []
  }

  async function loadForSide(actor: Actor, id: string): Promise<OutcomeReferral> {
    const r = await outcomes.get(id)
    if (!r || !canAct(actor, r)) throw new NotFoundError('Referral not found')
    return r
  }

  /**
   * Read, change, write guarded by version; retried when someone else changed the referral in between. A short random
   * pause comes before each retry: the write that won may have claimed its version and not yet stored it, and reading
   * again at once would find the old version and lose again (two saves at once then failed one of them).
   */
  async function update(
    id: string,
    change: (
      outcome: ReferralOutcome,
      r: OutcomeReferral,
    ) => { outcome: ReferralOutcome; measures?: MeasureRecord[]; attention?: AttentionItem },
  ): Promise<OutcomeReferral> {
    for (let attempt = 0; attempt < 8; attempt++) {
      if (attempt > 0) await backoff(attempt - 1)
      const r = await outcomes.get(id)
      if (!r) throw new NotFoundError('Referral not found')
      const next = change(readOutcome(r.outcome), r)
      if (await outcomes.saveOutcome(id, r.version, next.outcome, next.measures ?? [], next.attention)) return r
    }
    throw new ConflictError('Someone else has just updated this referral. Reload to see the latest.')
  }

  function row(r: OutcomeReferral) {
    const e = engagementOf(r)
    const benefit = benefitOf(r)
    const outcome = readOutcome(r.outcome)
    return {
      id: r.id,
      personId: r.personId,
      name: r.shared.name,
      serviceName: r.serviceName,
      organisationName: r.organisationName,
      status: r.status,
      statusLabel: deps.statusLabel(r.status),
      submittedAt: r.submittedAt,
      engagement: e,
      benefit,
      benefitPositive: benefit ? isBenefit(benefit.rating) : null,
      wellbeingChange: wellbeingChange(measuresOf(r)),
      unmet: [...outcome.unmetNeeds.map(deps.needLabel), ...(outcome.unmetNote ? [outcome.unmetNote] : [])],
    }
  }

  const service = {
    /** The outcome page of a referral, for the referring team and the receiving organisation. */
    async forReferral(actor: Actor, id: string, ip: string | null) {
      const r = await loadForSide(actor, id)
      await audit.record({ actor, action: 'referral.viewed', recordType: 'referral-outcome', recordId: id, ip })
      return {
        referral: r,
        outcome: readOutcome(r.outcome),
        engagement: engagementOf(r),
        measures: measureChanges(measuresOf(r)),
      }
    },

    async recordWorkerOutcome(actor: Actor, id: string, input: WorkerOutcomeInput, ip: string | null): Promise<void> {
      await loadForSide(actor, id)
      const at = clock()
      await update(id, (outcome) => ({
        outcome: {
          ...outcome,
          worker: { at, by: { userId: actor.id, name: actor.name }, helped: input.helped, note: input.note.trim() },
          goals: input.goals,
          unmetNeeds: input.unmetNeeds,
          unmetNote: input.unmetNote.trim(),
        },
      }))
      await audit.recordOn(actor, 'referral.changed', 'referral', id, ip, { action: 'outcome' })
    },

    /** A measure completed with a worker: validated per item; nothing written when any item is wrong. */
    async recordMeasure(
      actor: Actor,
      id: string,
      instrumentId: string,
      timing: MeasureTiming,
      body: Record<string, unknown>,
      ip: string | null,
    ): Promise<{ ok: true; record: MeasureRecord } | { ok: false; errors: FieldErrors }> {
      await loadForSide(actor, id)
      const instrument = findInstrument(instrumentId)
      if (!instrument) return { ok: false, errors: { instrument: 'Choose a measure' } }
      const scored = scoreMeasure(instrument, body)
      if (!scored.ok) return scored
      const record: MeasureRecord = {
        id: newId(),
        instrumentId,
        timing,
        at: clock(),
        answers: scored.answers,
        scores: scored.scores,
        source: 'worker',
        by: { userId: actor.id, name: actor.name },
      }
      await update(id, (outcome) => ({ outcome, measures: [record] }))
      await audit.recordOn(actor, 'referral.changed', 'referral', id, ip, { action: 'measure', instrumentId, timing })
      return { ok: true, record }
    },

    /** The port the person's feedback link writes through. */
    feedbackPort: {
      async describe(id: string) {
        const r = await outcomes.get(id)
        return r ? { serviceName: r.serviceName, organisationName: r.organisationName } : null
      },
      async recordPersonFeedback(id: string, feedback: PersonFeedback, measures: MeasureRecord[]) {
        // Anything the person says they still need is a request for help: it goes on the referring team's worklist
        // and the referrer is emailed (without the words, which stay on the outcome page).
        const asksForHelp = feedback.anythingElse.trim() !== ''
        const at = clock()
        const r = await update(id, (outcome) => ({
          outcome: { ...outcome, person: feedback },
          measures,
          ...(asksForHelp ? { attention: { kind: 'asked-for-help' as const, at, dueAt: null } } : {}),
        }))
        if (!asksForHelp || !r.referrer?.email) return
        await notifier.send('outcome-help-asked', r.referrer.email, {
          serviceName: r.serviceName,
          path: pathFor(paths.referralOutcome, { referralId: id }),
        })
      },
    } satisfies FeedbackReferralPort,

    /**
     * The GP practice's view: one page of its patients' referrals with consent to GP feedback, newest first, narrowed
     * by the GP's filter.
     */
    async practiceView(actor: Actor, filter: PracticeFilter, ip: string | null, page = 1) {
      const practices = practicesOf(actor)
      // Stored flags (domain/gp-filters.ts): "did not engage" is a referral closed so (not one declined or withdrawn)
      // or a missed session; "no benefit" is the person's view, else the worker's, that it did not help.
      const flag = filter === 'did-not-engage' ? 'gpDidNotEngage' : filter === 'no-benefit' ? 'gpNoBenefit' : undefined
      const shown = await pageAcross(
        practices,
        page,
        PER_PAGE,
        (p, n, size) => outcomes.pageByPractice(p, n, size, flag),
        (r) => new Date(r.submittedAt).getTime(),
      )
      // The practice knows its patients by NHS number and date of birth: the page's people, read in one go.
      const people = new Map(
        (await outcomes.getPeople([...new Set(shown.items.map((r) => r.personId))])).map((p) => [p.id, p] as const),
      )
      const rows = shown.items.map((r) => ({
        ...row(r),
        nhsNumber: people.get(r.personId)?.nhsNumber ?? null,
        dateOfBirth: people.get(r.personId)?.dateOfBirth ?? null,
      }))
      await audit.recordOn(actor, 'referral.viewed', 'practice-referrals', practices.join(','), ip, { filter })
      return { rows, total: shown.total, page: shown.page, perPage: shown.perPage }
    },

    /** The per-person outcome summary for a GP user of the person's practice; NotFound without consent. */
    async summary(
      actor: Actor,
      personId: string,
      ip: string | null,
      download: boolean,
    ): Promise<{ summary: OutcomeSummary; text: string }> {
      const practices = practicesOf(actor)
      const person = await outcomes.getPerson(personId)
      if (!person || !person.practiceId || !practices.includes(person.practiceId))
        throw new NotFoundError('Person not found')
      const referrals = consentedForPractice(await outcomes.listByPerson(personId), person.practiceId)
      if (!referrals.length) throw new NotFoundError('Person not found')
      const summary = buildOutcomeSummary({
        person: {
          name: `${person.givenName} ${person.familyName}`,
          dateOfBirth: person.dateOfBirth,
          nhsNumber: person.nhsNumber,
          practiceName: person.practiceName,
          practiceOdsCode: person.practiceOdsCode,
        },
        referrals,
        statusLabel: deps.statusLabel,
        needLabel: deps.needLabel,
        now: clock(),
      })
      await audit.recordOn(actor, download ? 'export.downloaded' : 'person.viewed', 'outcome-summary', personId, ip)
      return { summary, text: summaryText(summary) }
    },

    /**
     * Called when a referral closes: with consent to GP feedback, tells the practice that an outcome summary is ready
     * (no personal details in the email: a link to sign in). Once per referral.
     */
    async notifyPracticeOnClose(id: string): Promise<boolean> {
      const r = await outcomes.get(id)
      if (!r || !CLOSED.includes(r.status) || !r.gpFeedbackConsent || !r.practiceId) return false
      if (readOutcome(r.outcome).gpNotifiedAt) return false
      const to = await deps.practiceEmails(r.practiceId)
      const path = pathFor(paths.practiceOutcomeSummary, { personId: r.personId })
      // Not marked as told unless every email went: the next close notification tries again.
      if ((await notifier.send('outcome-ready', to, { path })).failed)
        throw new ServiceUnavailableError('The outcome email was not sent')
      const at = clock()
      await update(id, (outcome) => ({ outcome: { ...outcome, gpNotifiedAt: at } }))
      return true
    },

    /** Figures for one service, for signed-in staff; hidden below 5 people. */
    async figuresForService(serviceId: string): Promise<ServiceFigures> {
      return serviceFigures(await outcomes.listByService(serviceId), clock())
    },
  }
  return service
}

export type OutcomeService = ReturnType<typeof createOutcomeService>
