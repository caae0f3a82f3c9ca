// Demo outcomes: the demo's completed referral gets what closing the loop records, so the GP demo login sees
// an outcome and a summary: SWEMWBS at first contact and at closure, the worker's and the person's view, goals.
// Idempotent: a referral that already has measures is left alone.
import { nameUuid } from '../domain/ids'
import type { ReferralOutcomeRepository } from '../data/repositories/referral-outcome.repository'
import { DEMO_USERS } from './demo-accounts'
import { DEMO_REFERRALS } from './demo-referrals'
import { instrument, measureOf, type MeasureRecord, type MeasureTiming } from './measures/measures'
import { readOutcome, type ReferralOutcome } from './outcomes/outcome'

const DAY = 86_400_000
const vcoMember = DEMO_USERS.find((u) => u.key === 'vco-member')!
const VM = { userId: nameUuid('demo:user:vco-member'), name: vcoMember.name }

function swemwbs(id: string, timing: MeasureTiming, at: Date, answers: number[]): MeasureRecord {
  const source = timing === 'baseline' ? 'worker' : 'person'
  return measureOf(instrument('swemwbs'), answers, { id, timing, at, source, by: source === 'worker' ? VM : null })
}

/** Returns how many referrals were given demo outcomes (0 when already there). */
export async function seedDemoOutcomes(deps: { outcomes: ReferralOutcomeRepository; now: Date }): Promise<number> {
  const { now } = deps
  const id = DEMO_REFERRALS.completed
  const r = await deps.outcomes.get(id)
  if (!r || r.status !== 'completed' || r.measures.length) return 0
  const closedAt = new Date(now.getTime() - 30 * DAY)
  const measures = [
    swemwbs(
      nameUuid(`demo:measure:${id}:baseline`),
      'baseline',
      new Date(now.getTime() - 57 * DAY),
      [2, 2, 3, 2, 3, 1, 3],
    ),
    swemwbs(nameUuid(`demo:measure:${id}:follow-up`), 'follow-up', closedAt, [3, 4, 3, 3, 4, 3, 4]),
  ]
  const outcome: ReferralOutcome = {
    ...readOutcome(r.outcome),
    person: {
      at: closedAt,
      went: 'yes',
      helped: 'a_lot',
      anythingElse: 'I would like to keep going to the lunch club.',
    },
    worker: {
      at: closedAt,
      by: VM,
      helped: 'a_little',
      note: 'Visited weekly for eight weeks; now has a regular visitor.',
    },
    goals: [{ text: 'Have company at home each week', result: 'met' }],
    unmetNeeds: [],
    unmetNote: 'Would like help getting to the lunch club.',
    gpNotifiedAt: closedAt,
  }
  return (await deps.outcomes.saveOutcome(id, r.version, outcome, measures)) ? 1 : 0
}
