// What the episode service's parts share: their ports, the clock and targets, and who may see which episode.
// Scope: the link worker team holds its episodes; a GP practice sees its patients' messages only with the person's
// consent to feedback; anyone else gets NotFoundError.
import type { Mailer } from '../../data/mail/mailer'
import type { EpisodeRepository } from '../../data/repositories/episode.repository'
import type { PersonRepository } from '../../data/repositories/person.repository'
import { NotFoundError } from '../../errors'
import type { AuditService } from '../audit.service'
import type { PersonActor } from '../person.service'
import { hasRole, organisationIds } from '../../domain/roles'
import { DEFAULT_EPISODE_TARGETS, type EpisodeRecord, type EpisodeTargets } from '../../domain/episode'
import type { EpisodeConnection } from './episode-message'
import type { EpisodeFact } from './episode-report'

export interface CareOrganisation {
  id: string
  name: string
  odsCode: string | null
}

export interface EpisodeDeps {
  episodes: EpisodeRepository
  people: PersonRepository
  audit: AuditService
  mailer: Mailer
  findCareOrganisation: (id: string) => Promise<(CareOrganisation & { kind: string }) | null>
  listCareOrganisations: (kind: 'team' | 'practice') => Promise<CareOrganisation[]>
  /** The VCO referrals and signpostings made within an episode. */
  connections: (episode: Pick<EpisodeRecord, 'id' | 'personId' | 'teamId'>) => Promise<EpisodeConnection[]>
  /** Email addresses of the practice's GP users, told (without personal details) that a message is ready. */
  practiceEmails: (practiceId: string) => Promise<string[]>
  /** Every episode's de-identified fact (episode-facts.ts): the caseload's counts and closed pages. */
  facts: () => Promise<readonly EpisodeFact[]>
  needLabel: (id: string) => string
  publicUrl: string
  caseloadBenchmark?: number
  /** Days to triage, to the first conversation and between contacts before an episode shows as overdue. */
  targets?: EpisodeTargets
  clock?: () => Date
}

export type EpisodeContext = ReturnType<typeof createEpisodeContext>

export function createEpisodeContext(deps: EpisodeDeps) {
  const { episodes } = deps
  const teamsOf = (actor: PersonActor) => (hasRole(actor, 'link_worker') ? organisationIds(actor, 'team') : [])
  const practicesOf = (actor: PersonActor) => (hasRole(actor, 'gp_user') ? organisationIds(actor, 'practice') : [])

  /** An episode of one of the actor's teams; NotFoundError for any other. */
  async function load(actor: PersonActor, id: string): Promise<EpisodeRecord> {
    const episode = await episodes.get(id)
    if (!episode || !teamsOf(actor).includes(episode.teamId)) throw new NotFoundError('Episode not found')
    return episode
  }

  return {
    deps,
    clock: deps.clock ?? (() => new Date()),
    targets: deps.targets ?? DEFAULT_EPISODE_TARGETS,
    teamsOf,
    practicesOf,
    load,
  }
}
