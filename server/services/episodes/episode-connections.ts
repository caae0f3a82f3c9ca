// What a person's episode connected them to, for the discharge message: each referral with how it went, and each
// signposting, oldest first.
import type { EpisodeRepository } from '../../data/repositories/episode.repository'
import { STATUS_LABELS } from '../../domain/referral-status'
import type { EpisodeRecord } from '../../domain/episode'
import { BENEFIT_RATINGS, benefitOf, engagementOf } from '../outcomes/outcome'
import type { EpisodeConnection } from './episode-message'

const ENGAGED = { engaged: 'yes', 'not-engaged': 'no' } as const

export function createEpisodeConnections(deps: {
  episodes: Pick<EpisodeRepository, 'connections'>
  /** The name of the organisation running a listed service; rejects when it is no longer listed. */
  organisationOf: (serviceId: string) => Promise<string>
}) {
  return async (episode: Pick<EpisodeRecord, 'id'>): Promise<EpisodeConnection[]> => {
    const { referrals, signpostings } = await deps.episodes.connections(episode.id)
    const referred = referrals.map((r): EpisodeConnection => {
      const state = engagementOf(r).state
      const benefit = benefitOf(r)
      return {
        kind: 'referral',
        service: r.serviceName,
        organisation: r.organisationName,
        date: r.submittedAt.toISOString().slice(0, 10),
        status: STATUS_LABELS[r.status],
        engaged: state in ENGAGED ? ENGAGED[state as keyof typeof ENGAGED] : 'not yet known',
        benefited: benefit ? BENEFIT_RATINGS[benefit.rating] : null,
      }
    })
    const signposted = await Promise.all(
      signpostings.map(async (s): Promise<EpisodeConnection> => ({
        kind: 'signposting',
        service: s.serviceName,
        organisation: await deps.organisationOf(s.serviceId).catch(() => 'organisation no longer listed'),
        date: s.at.toISOString().slice(0, 10),
        status: 'Signposted',
        engaged: 'not recorded',
        benefited: null,
      })),
    )
    return [...referred, ...signposted].sort((a, b) => a.date.localeCompare(b.date))
  }
}
