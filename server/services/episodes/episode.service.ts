// The social prescribing episode service: referrals into the link worker service (episode-intake.ts), the team's
// caseload (episode-caseload.ts), each change to an episode (read, apply the pure rules, write the next version),
// and the messages back to the GP and referrer (episode-messaging.ts). The parts share episode-context.ts, which says
// who may see which episode.
import { nameUuid } from '../../domain/ids'
import type { EpisodeSummary } from '../../data/repositories/episode.repository'
import { ConflictError, ValidationError } from '../../errors'
import { findInstrument, scoreMeasure, type MeasureRecord } from '../measures/measures'
import { snapshot, type PersonActor } from '../person.service'
import { applyEpisodeAction, episodeClock, isOpenStage, type EpisodeAction } from '../../domain/episode'
import { createEpisodeCaseload } from './episode-caseload'
import { createEpisodeContext, type EpisodeDeps } from './episode-context'
import { createEpisodeIntake, personIdFor } from './episode-intake'
import { createEpisodeMessaging } from './episode-messaging'

export { EPISODE_PAGE_SIZE, DEFAULT_CASELOAD_BENCHMARK } from './episode-caseload'
export type { CareOrganisation } from './episode-context'
export type { ReferInInput } from './episode-intake'

export type ActInput =
  | Exclude<EpisodeAction, { type: 'measure' } | { type: 'message' } | { type: 'assign' } | { type: 'link-person' }>
  | { type: 'measure'; instrumentId: string; timing: 'baseline' | 'follow-up'; answers: Record<string, unknown> }
  | { type: 'assign-to-me' }

export function createEpisodeService(deps: EpisodeDeps) {
  const context = createEpisodeContext(deps)
  const { clock, targets, load } = context
  const { episodes, audit } = deps
  const intake = createEpisodeIntake(context)
  const messaging = createEpisodeMessaging(context)
  const caseload = createEpisodeCaseload(context)

  return {
    teams: () => deps.listCareOrganisations('team'),
    practices: () => deps.listCareOrganisations('practice'),
    refer: intake.refer,
    caseload: caseload.caseload,
    dueTasks: caseload.dueTasks,
    taskDetail: caseload.taskDetail,
    teamMessage: messaging.teamMessage,
    practiceMessages: messaging.practiceMessages,
    practiceMessage: messaging.practiceMessage,

    async get(actor: PersonActor, id: string, ip: string | null) {
      const episode = await load(actor, id)
      const connections = await deps.connections(episode)
      await audit.record({ actor, action: 'person.viewed', recordType: 'episode', recordId: id, ip })
      return { episode, connections, clock: episodeClock(episode, clock(), targets), now: clock() }
    },

    /** The open episode a person on the caseload is in, if any: VCO referrals and signpostings join it. */
    async openEpisodeFor(personId: string): Promise<string | null> {
      const open = (await episodes.listByPerson(personId)).filter((e) => isOpenStage(e.stage))
      return open.sort((a, b) => +new Date(b.referredAt) - +new Date(a.referredAt))[0]?.id ?? null
    },

    /**
     * One change, applied to the version the user saw: ConflictError if someone changed it since. Acceptance puts
     * the person on the caseload; triage and discharge make the message back to the GP and referrer.
     */
    async act(actor: PersonActor, id: string, version: number, input: ActInput, ip: string | null) {
      const current = await load(actor, id)
      if (current.version !== version) {
        throw new ConflictError('Someone else has just updated this episode. Reload to see the latest.')
      }
      const now = clock()
      const by = snapshot(actor)
      let action: EpisodeAction
      if (input.type === 'assign-to-me') action = { type: 'assign', owner: by }
      else if (input.type === 'measure') {
        const instrument = findInstrument(input.instrumentId)
        if (!instrument) throw new ValidationError({ instrumentId: 'Choose a measure' })
        const scored = scoreMeasure(instrument, input.answers)
        if (!scored.ok) throw new ValidationError(scored.errors)
        const record: MeasureRecord = {
          id: nameUuid(`episode:${id}:measure:${version}`),
          instrumentId: instrument.id,
          timing: input.timing,
          at: now,
          answers: scored.answers,
          scores: scored.scores,
          source: 'worker',
          by,
        }
        action = { type: 'measure', record }
      } else action = input
      let next = applyEpisodeAction(current, action, by, now)
      if (action.type === 'accept') next = { ...next, personId: personIdFor(current) }
      if (!(await episodes.replace(next))) {
        throw new ConflictError('Someone else has just updated this episode. Reload to see the latest.')
      }
      if (action.type === 'accept') await intake.ensurePerson(actor, next)
      await audit.recordOn(actor, 'person.changed', 'episode', id, ip, {
        action: action.type,
        from: current.stage,
        to: next.stage,
      })
      if (action.type === 'accept' || action.type === 'decline') next = await messaging.send(actor, next, 'triage')
      if (action.type === 'discharge') next = await messaging.send(actor, next, 'discharge')
      return next
    },

    listForPerson: (personId: string): Promise<EpisodeSummary[]> => episodes.listByPerson(personId),
  }
}

export type EpisodeService = ReturnType<typeof createEpisodeService>
