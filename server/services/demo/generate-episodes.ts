// Synthetic social prescribing episodes for the synthetic referrals (generate-referrals.ts beside this file): about one episode for
// every 2.5 referrals. A chosen person's episode starts a few days before their first VCO referral, is walked through
// the real rules (applyEpisodeAction: triage, conversation, ONS4, plan, contacts, discharge) and their referrals and
// signpostings in the batch join it. Deterministic from the seed, like the referrals.
import { nameUuid } from '../../domain/ids'
import { instrument, measureOf, type MeasureRecord } from '../measures/measures'
import {
  applyEpisodeAction,
  newEpisode,
  type ContactMode,
  type DischargeReason,
  type EpisodeRecord,
  type ReferralSource,
  type TriageDeclineReason,
} from '../../domain/episode'
import type { SyntheticBatch } from '../../data/repositories/synthetic-referrals.repository'
import { createRandom, type Random } from '../../data/demo/prng'

const DAY = 86_400_000
/** Of the people the generator makes (about 0.75 per referral), this share get an episode: about 1 per 2.5 referrals. */
const EPISODE_SHARE = 0.53

const DECLINES: [TriageDeclineReason, number][] = [
  ['person_declined', 50],
  ['could_not_contact', 20],
  ['not_eligible', 20],
  ['needs_other_service', 10],
]
const DISCHARGES: [DischargeReason, number][] = [
  ['goals_met', 55],
  ['declined_further', 15],
  ['not_engaging', 15],
  ['moved_away', 5],
  ['other', 10],
]
const MODES: ContactMode[] = ['phone', 'phone', 'face_to_face', 'face_to_face', 'home_visit', 'video', 'group']

function weighted<T>(rnd: Random, table: readonly [T, number][]): T {
  let r = rnd.next() * table.reduce((s, [, w]) => s + w, 0)
  for (const [value, w] of table) if ((r -= w) < 0) return value
  return table[0]![0]
}

function ons4(id: string, base: number, timing: 'baseline' | 'follow-up', at: Date, by: MeasureRecord['by']) {
  const measure = instrument('ons4')
  const clamp = (v: number) => Math.max(0, Math.min(10, Math.round(v)))
  const values = measure.items.map((i) => clamp(i.id === 'anxious' ? 10 - base : base))
  return measureOf(measure, values, { id, timing, at, source: 'worker', by })
}

/** Episodes for one generated batch, with the batch's referrals and signpostings joined to them. */
export function addSyntheticEpisodes(
  batch: SyntheticBatch,
  seed: number,
  now: Date,
): SyntheticBatch & {
  episodes: EpisodeRecord[]
} {
  const episodes: EpisodeRecord[] = []
  const episodeOf = new Map<string, string>()
  for (const person of batch.people) {
    const rnd = createRandom(seed * 1_000_003 + parseInt(person.id.slice(0, 8), 16))
    if (!rnd.chance(EPISODE_SHARE)) continue
    const referrals = batch.referrals.filter((r) => r.personId === person.id)
    const first = referrals.map((r) => r.submittedAt.getTime()).sort((a, b) => a - b)[0]
    if (first === undefined) continue
    const id = nameUuid(`synthetic:episode:${seed}:${person.id}`)
    const start = new Date(first - rnd.int(3, 12) * DAY)
    const at = (days: number) => new Date(Math.min(now.getTime(), start.getTime() + days * DAY))
    const worker = { userId: person.createdBy.userId, name: person.createdBy.name }
    const source = weighted<ReferralSource>(rnd, [
      ['gp', 70],
      ['professional', 20],
      ['self', 10],
    ])
    let e = newEpisode({
      id,
      teamId: person.teamId,
      teamName: referrals[0]!.teamName,
      person: {
        givenName: person.givenName,
        familyName: person.familyName,
        dateOfBirth: person.dateOfBirth,
        nhsNumber: person.nhsNumber,
        phone: person.phone,
        email: person.email,
        address: person.address,
        postcode: person.postcode,
        practiceId: person.practiceId,
        practiceName: person.practiceName,
        practiceOdsCode: person.practiceOdsCode,
      },
      referrer:
        source === 'self'
          ? { source, userId: null, name: 'The person (synthetic)', email: null, organisationName: null }
          : {
              source,
              userId: nameUuid(`synthetic:user:${source}:${person.practiceId}`),
              name: source === 'gp' ? 'GP practice staff (synthetic)' : 'Housing officer (synthetic)',
              email: null,
              organisationName: source === 'gp' ? person.practiceName : 'Synthetic housing team',
            },
      reason: 'Synthetic referral',
      consentToRefer: true,
      gpFeedbackConsent: person.consents.some((c) => c.scope === 'feedback_to_gp'),
      by: null,
      now: start,
      origin: 'demo',
    })
    if (rnd.chance(0.08)) {
      e = applyEpisodeAction(e, { type: 'decline', reason: weighted(rnd, DECLINES), note: '' }, worker, at(1))
      episodes.push(e)
      continue
    }
    e = applyEpisodeAction(e, { type: 'accept' }, worker, at(1))
    e = { ...e, personId: person.id }
    const talk = rnd.int(2, 12)
    e = applyEpisodeAction(
      e,
      { type: 'conversation', date: at(talk).toISOString().slice(0, 10), note: '' },
      worker,
      at(talk),
    )
    const baseline = rnd.int(2, 7)
    e = applyEpisodeAction(
      e,
      { type: 'measure', record: ons4(nameUuid(`${id}:ons4:start`), baseline, 'baseline', at(talk), worker) },
      worker,
      at(talk),
    )
    e = applyEpisodeAction(
      e,
      {
        type: 'plan',
        whatMatters: 'Synthetic plan',
        needs: [...new Set(referrals.flatMap((r) => r.needs))],
        goals: [{ text: 'Synthetic goal', status: 'open' }],
      },
      worker,
      at(talk),
    )
    let day = talk
    for (let c = rnd.int(1, 6); c > 0; c--) {
      day += rnd.int(5, 21)
      if (at(day).getTime() >= now.getTime()) break
      e = applyEpisodeAction(
        e,
        {
          type: 'contact',
          date: at(day).toISOString().slice(0, 10),
          mode: rnd.pick(MODES),
          minutes: rnd.int(10, 90),
          note: '',
        },
        worker,
        at(day),
      )
    }
    const lastClose = Math.max(...referrals.map((r) => (r.closedAt ? r.closedAt.getTime() : Infinity)))
    const dischargeAt = new Date(Math.max(lastClose, at(day).getTime()) + rnd.int(7, 28) * DAY)
    if (Number.isFinite(lastClose) && dischargeAt.getTime() <= now.getTime()) {
      if (rnd.chance(0.7))
        e = applyEpisodeAction(
          e,
          {
            type: 'measure',
            record: ons4(nameUuid(`${id}:ons4:end`), baseline + rnd.int(-1, 3), 'follow-up', dischargeAt, worker),
          },
          worker,
          dischargeAt,
        )
      e = applyEpisodeAction(e, { type: 'discharge', reason: weighted(rnd, DISCHARGES), note: '' }, worker, dischargeAt)
    }
    episodes.push(e)
    episodeOf.set(person.id, id)
  }
  return {
    ...batch,
    referrals: batch.referrals.map((r) =>
      episodeOf.has(r.personId) ? { ...r, episodeId: episodeOf.get(r.personId)! } : r,
    ),
    signpostings: batch.signpostings.map((s) =>
      episodeOf.has(s.personId) ? { ...s, episodeId: episodeOf.get(s.personId)! } : s,
    ),
    episodes,
  }
}

/** The generator's batches with episodes added (scripts/generate-referrals.ts, the demo's report data). */
export function* withSyntheticEpisodes(
  batches: Iterable<SyntheticBatch>,
  seed: number,
  now: Date,
): Generator<SyntheticBatch & { episodes: EpisodeRecord[] }> {
  for (const batch of batches) yield addSyntheticEpisodes(batch, seed, now)
}
