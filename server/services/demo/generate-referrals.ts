// Synthetic people, referrals and signpostings for report demos and the 100k benchmark, deterministically from a seed.
// Each referral is walked through the real lifecycle (referral-status.ts actions, referral-clocks.ts clocks) with
// plausible timings and proportions: most acknowledged within a working day, some declined (a third of those for
// "no capacity"), some returned unanswered, some did not engage, completed ones with an outcome (engagement,
// benefit, unmet needs) and SWEMWBS before and after, scored by the real instrument. People (synthetic-people.ts)
// carry equality data and obviously fictional names. Pure: nothing here touches the database. Ids are name-based, so
// a re-run makes the same documents and inserting them again adds nothing.
import type { CareOrganisationRecord } from '../../domain/account-records'
import { nameUuid } from '../../domain/ids'
import type { ActorSnapshot, ConsentEvent, ReferralRecord } from '../../domain/referral-records'
import { NEED_TAXONOMY } from '../../data/taxonomy'
import { instrument, measureOf, type MeasureRecord } from '../measures/measures'
import type { BenefitRating, ReferralOutcome } from '../outcomes/outcome'
import { computeClocks, DEFAULT_CLOCK_TARGETS, overdueSteps, type ClockTargets } from '../../domain/referral-clocks'
import type { DeclineReason } from '../../domain/referral-status'
import { sharedDetails } from '../referral-submission'
import { applyAction, applyChange, submittedReferral, type ActionRequest } from '../../domain/referral-machine'
import { createRandom, type Random } from '../../data/demo/prng'
import type { SyntheticBatch, SyntheticService } from '../../data/repositories/synthetic-referrals.repository'
import { createPersonMaker, weighted, type SyntheticPerson, type Weighted } from './synthetic-people'

export { syntheticCareOrganisations } from './synthetic-people'

const HOUR = 3_600_000
const DAY = 24 * HOUR

export interface SyntheticReferralOptions {
  seed: number
  /** How many referrals (signpostings come on top, about `signpostingRate` per referral). */
  count: number
  services: readonly SyntheticService[]
  practices: readonly CareOrganisationRecord[]
  teams: readonly CareOrganisationRecord[]
  now: Date
  /** How far back referrals go. */
  months?: number
  batchSize?: number
  signpostingRate?: number
  targets?: ClockTargets
}

const DECLINES: Weighted<DeclineReason> = [
  ['no_capacity', 35],
  ['not_eligible', 20],
  ['could_not_contact', 15],
  ['person_declined', 15],
  ['referred_elsewhere', 10],
  ['other', 5],
]
const NOTES = [
  'Would prefer morning sessions.',
  'Keen to try something new; a little anxious about the first visit.',
  'Has asked for a phone call rather than a letter.',
  'Would like to go with a friend the first time.',
  'Uses a walking stick: step-free access please.',
]
/** Needs that go unmet more often than others (recorded on outcomes). */
const OFTEN_UNMET = ['housing', 'debt-money', 'mental-health-crisis', 'welfare-benefits', 'befriending', 'carers']

/** A working-hours moment: weekend times move to the Friday before or the Monday after. */
function workingTime(rnd: Random, at: number): Date {
  const d = new Date(at)
  d.setUTCHours(rnd.int(8, 17), rnd.int(0, 59), 0, 0)
  if (d.getUTCDay() === 6) d.setTime(d.getTime() + (rnd.chance(0.5) ? -DAY : 2 * DAY))
  else if (d.getUTCDay() === 0) d.setTime(d.getTime() + (rnd.chance(0.5) ? -2 * DAY : DAY))
  return d
}

function swemwbs(rnd: Random, id: string, timing: MeasureRecord['timing'], at: Date, raw: number): MeasureRecord {
  const measure = instrument('swemwbs')
  const total = Math.max(7, Math.min(35, raw))
  const values = measure.items.map(() => 1)
  for (let left = total - 7; left > 0;) {
    const i = rnd.int(0, values.length - 1)
    if (values[i]! < 5) {
      values[i]!++
      left--
    }
  }
  return measureOf(measure, values, { id, timing, at, source: 'worker', by: null })
}

/** How SWEMWBS raw totals move, by the benefit reported: [lowest, highest] change. */
const CHANGE_BY_BENEFIT: Record<BenefitRating, readonly [number, number]> = {
  a_lot: [3, 9],
  a_little: [1, 5],
  not_sure: [-1, 3],
  not_really: [-2, 1],
  not_at_all: [-4, 0],
}

export function* generateSyntheticReferrals(options: SyntheticReferralOptions): Generator<SyntheticBatch> {
  const { seed, now, practices, teams } = options
  const referrable = options.services.filter((s) => s.acceptsReferrals)
  if (referrable.length === 0) throw new Error('no services that accept referrals to generate referrals for')
  if (practices.length === 0 || teams.length === 0) throw new Error('synthetic referrals need practices and teams')
  const targets = options.targets ?? DEFAULT_CLOCK_TARGETS
  const span = (options.months ?? 18) * 30.44 * DAY
  const batchSize = options.batchSize ?? 1000
  const signpostingRate = options.signpostingRate ?? 0.35
  const rnd = createRandom(seed)
  const needIds = new Map(NEED_TAXONOMY.map((t) => [t.code, t.id] as const))
  const allNeeds = NEED_TAXONOMY.filter((t) => t.parentCode !== null).map((t) => t.id)
  const oftenUnmet = OFTEN_UNMET.map((c) => needIds.get(c)).filter((id): id is string => Boolean(id))
  const vcoActor = (s: SyntheticService): ActorSnapshot => ({
    userId: nameUuid(`synthetic:user:vco:${s.organisationId}`),
    name: `${s.organisationName} staff (synthetic)`,
  })
  const makePerson = createPersonMaker({ seed, rnd, practices, teams })
  let signpostingCount = 0

  const makeReferral = (i: number, who: SyntheticPerson, submittedAt: Date): ReferralRecord => {
    const id = nameUuid(`synthetic:referral:${seed}:${i}`)
    const service = rnd.pick(referrable)
    const lw = { userId: who.referrer.userId, name: who.referrer.name }
    const vm = vcoActor(service)
    const p = who.record
    const needs = service.needs.length ? rnd.sample(service.needs, rnd.int(1, 2)) : [rnd.pick(allNeeds)]
    for (const need of needs) if (!p.needs.includes(need)) p.needs.push(need)
    const consent: ConsentEvent = {
      id: nameUuid(`synthetic:consent:${id}:share`),
      type: 'given',
      scope: 'share_with_organisation',
      organisationId: service.organisationId,
      organisationName: service.organisationName,
      how: rnd.chance(0.8) ? 'verbal' : 'written',
      at: submittedAt,
      by: lw,
    }
    p.consents.push(consent)
    const clocks = computeClocks(submittedAt, targets)
    let record = submittedReferral(
      {
        id,
        idempotencyKey: `synthetic:${seed}:${i}`,
        personId: p.id,
        teamId: who.team.id,
        teamName: who.team.name,
        referrer: who.referrer,
        serviceId: service.id,
        serviceName: service.name,
        organisationId: service.organisationId,
        organisationName: service.organisationName,
        practiceId: p.practiceId,
        gpFeedbackConsent: p.consents.some((c) => c.scope === 'feedback_to_gp'),
        consentEventId: consent.id,
        shared: sharedDetails(p, p.contactPreference, submittedAt),
        needs,
        note: rnd.pick(NOTES),
        supportToAttend: weighted(rnd, [
          ['none', 80],
          ['walk_alongside', 12],
          ['first_visit_together', 8],
        ]),
        submittedAt,
        clocks,
        origin: 'demo',
      },
      lw,
    )
    // Event times only move forward: each step is at least a minute after the one before.
    let last = submittedAt.getTime()
    const later = (ms: number) => new Date(Math.max(ms, last + 60_000))
    /** Takes an action through the state machine, as the service would have stored it. */
    const step = (request: ActionRequest, at: Date) => {
      const change = applyAction(record, request, request.type === 'return' ? null : vm, at)
      if (!change) throw new Error(`Synthetic referral: ${request.type} cannot follow ${record.status}`)
      record = applyChange(record, change)
      last = at.getTime()
      return at
    }
    const reached = (at: Date) => at.getTime() <= now.getTime()
    const deprived = (p.equality.deprivationDecile ?? 5) <= 3
    walk: {
      // Returned unanswered: never acknowledged within the return window.
      if (rnd.chance(0.03)) {
        if (reached(clocks.returnAt)) {
          step({ type: 'return', reason: `not acknowledged within ${targets.returnDays} days` }, clocks.returnAt)
        }
        break walk
      }
      const ackHours = weighted(rnd, [
        [rnd.int(1, 20), 70],
        [rnd.int(20, 60), 20],
        [rnd.int(60, 200), 10],
      ])
      const ackAt = later(submittedAt.getTime() + ackHours * HOUR)
      if (!reached(ackAt)) break walk
      const straightToAccept = rnd.chance(0.3)
      if (!straightToAccept) step({ type: 'acknowledge' }, ackAt)
      const declineChance = service.capacity === 'full' || service.capacity === 'paused' ? 0.3 : 0.12
      if (rnd.chance(declineChance)) {
        const reason: DeclineReason =
          service.capacity === 'full' || service.capacity === 'paused' ? 'no_capacity' : weighted(rnd, DECLINES)
        const at = later(ackAt.getTime() + rnd.int(0, 72) * HOUR)
        if (!reached(at)) break walk
        if (reason === 'could_not_contact') {
          step({ type: 'accept' }, later(ackAt.getTime()))
          for (let k = 1; k <= 3; k++) {
            const tried = later(ackAt.getTime() + k * 12 * HOUR)
            if (!reached(tried)) break walk
            step({ type: 'contact-attempt', note: 'No answer; left a message.' }, tried)
          }
        }
        const declineAt = reason === 'could_not_contact' ? later(ackAt.getTime() + 5 * DAY) : at
        if (!reached(declineAt)) break walk
        step({ type: 'decline', reason, text: reason === 'other' ? 'Outside the service area.' : null }, declineAt)
        break walk
      }
      const acceptAt = straightToAccept ? ackAt : later(ackAt.getTime() + rnd.int(1, 48) * HOUR)
      if (!reached(acceptAt)) break walk
      step({ type: 'accept' }, acceptAt)
      if (rnd.chance(0.03)) {
        const at = later(acceptAt.getTime() + rnd.int(1, 10) * DAY)
        if (reached(at)) {
          step({ type: 'withdraw', reason: 'The person changed their mind' }, at)
        }
        break walk
      }
      const attempts = weighted(rnd, [
        [0, 60],
        [1, 25],
        [2, 15],
      ])
      for (let k = 1; k <= attempts; k++) {
        const at = later(acceptAt.getTime() + k * rnd.int(6, 30) * HOUR)
        if (!reached(at)) break walk
        step({ type: 'contact-attempt', note: 'No answer; left a message.' }, at)
      }
      const contactAt = later(workingTime(rnd, acceptAt.getTime() + (attempts + 1) * rnd.int(1, 4) * DAY).getTime())
      if (!reached(contactAt)) break walk
      step({ type: 'first-contact' }, contactAt)
      // A baseline wellbeing measure at first contact for most people.
      const baselineRaw = rnd.int(11, 24) - (deprived ? 1 : 0)
      const baseline = rnd.chance(0.75)
        ? swemwbs(rnd, nameUuid(`synthetic:measure:${id}:baseline`), 'baseline', contactAt, baselineRaw)
        : null
      if (baseline) record.measures.push(baseline as unknown as Record<string, unknown>)
      if (rnd.chance(deprived ? 0.16 : 0.1)) {
        const at = later(contactAt.getTime() + rnd.int(7, 21) * DAY)
        if (reached(at)) {
          step({ type: 'did-not-engage' }, at)
        }
        break walk
      }
      const attendingAt = later(contactAt.getTime() + rnd.int(2, 10) * DAY)
      if (!reached(attendingAt)) break walk
      step({ type: 'attending' }, attendingAt)
      const sessionCount = rnd.int(2, 8)
      let lastSession = attendingAt
      for (let k = 0; k < sessionCount; k++) {
        const date = later(attendingAt.getTime() + k * 7 * DAY)
        if (!reached(date)) break
        lastSession = date
        const attended = k === 0 || rnd.chance(0.85)
        step({ type: 'session', date: date.toISOString().slice(0, 10), attended }, date)
        const task = record.tasks.at(-1)
        if (!attended && task && rnd.chance(0.8)) {
          const done = later(date.getTime() + 2 * DAY)
          if (reached(done)) step({ type: 'task-done', taskId: task.id }, done)
        }
      }
      const completeAt = later(lastSession.getTime() + rnd.int(1, 14) * DAY)
      if (!reached(completeAt) || record.sessions.length < sessionCount) break walk
      if (rnd.chance(0.06)) {
        step({ type: 'did-not-engage' }, completeAt)
        break walk
      }
      step({ type: 'complete' }, completeAt)
      const helped: BenefitRating = weighted(rnd, [
        ['a_lot', 38],
        ['a_little', 32],
        ['not_sure', 14],
        ['not_really', 10],
        ['not_at_all', 6],
      ])
      if (baseline && rnd.chance(0.7)) {
        const [lo, hi] = CHANGE_BY_BENEFIT[helped]
        const followUp = swemwbs(
          rnd,
          nameUuid(`synthetic:measure:${id}:follow-up`),
          'follow-up',
          completeAt,
          baselineRaw + rnd.int(lo, hi),
        )
        record.measures.push(followUp as unknown as Record<string, unknown>)
      }
      const personSaid = rnd.chance(0.55)
      const unmet = rnd.chance(0.15) ? [rnd.chance(0.7) ? rnd.pick(oftenUnmet) : rnd.pick(allNeeds)] : []
      const outcome: ReferralOutcome = {
        person: personSaid
          ? { at: completeAt, went: rnd.chance(0.8) ? 'yes' : 'some', helped, anythingElse: '' }
          : null,
        worker: rnd.chance(0.95) ? { at: completeAt, by: vm, helped, note: '' } : null,
        goals: [
          {
            text: 'Feel more connected',
            result: weighted(rnd, [
              ['met', 55],
              ['partly', 30],
              ['not', 15],
            ]),
          },
        ],
        unmetNeeds: unmet,
        unmetNote: '',
        gpNotifiedAt: record.gpFeedbackConsent ? completeAt : null,
      }
      record.outcome = outcome as unknown as Record<string, unknown>
    }
    if (record.open)
      record.overdue = overdueSteps(record, now).map((step) => ({
        step,
        since: step === 'acknowledge' ? clocks.acknowledgeBy : step === 'contact' ? clocks.contactBy : clocks.outcomeBy,
        vcoEmailedAt: null,
        referrerEmailedAt: null,
      }))
    return record
  }

  let made = 0
  while (made < options.count) {
    const batch: SyntheticBatch = { people: [], referrals: [], signpostings: [] }
    // A person's referrals stay in one batch, so a batch may run over its size by two: the documents made do not
    // depend on the batch size.
    while (batch.referrals.length < batchSize && made < options.count) {
      // More referrals recently than long ago (a growing service).
      const firstAt = workingTime(rnd, now.getTime() - span * Math.pow(rnd.next(), 1.3))
      if (firstAt > now) continue
      const who = makePerson(firstAt)
      batch.people.push(who.record)
      const referrals = Math.min(
        options.count - made,
        weighted(rnd, [
          [1, 70],
          [2, 22],
          [3, 8],
        ]),
      )
      for (let k = 0; k < referrals; k++) {
        const at = k === 0 ? firstAt : workingTime(rnd, firstAt.getTime() + k * rnd.int(14, 90) * DAY)
        if (at > now) break
        batch.referrals.push(makeReferral(made++, who, at))
      }
      while (rnd.chance(signpostingRate / (1 + signpostingRate))) {
        const service = rnd.pick(options.services)
        const at = workingTime(rnd, firstAt.getTime() + rnd.int(0, 30) * DAY)
        if (at > now) break
        const sid = nameUuid(`synthetic:signposting:${seed}:${signpostingCount++}`)
        batch.signpostings.push({
          id: sid,
          idempotencyKey: `synthetic:${sid}`,
          personId: who.record.id,
          teamId: who.team.id,
          serviceId: service.id,
          serviceName: service.name,
          organisationId: service.organisationId,
          needs: service.needs.length ? rnd.sample(service.needs, 1) : [],
          note: '',
          at,
          by: { userId: who.referrer.userId, name: who.referrer.name },
          origin: 'demo',
        })
      }
    }
    yield batch
  }
}
