// The messages back to the GP practice and the referrer: made and kept on the episode at triage and discharge (once
// per kind), the practice and referrer told one is ready; read by the team, and by the practice for its patients who
// consented to feedback to their GP.
import { ConflictError, NotFoundError } from '../../errors'
import { paths } from '../../paths'
import { createNotifier } from '../notifier'
import { snapshot, type PersonActor } from '../person.service'
import { pageOf } from '../../domain/paging'
import { applyEpisodeAction, type EpisodeRecord } from '../../domain/episode'
import { buildEpisodeMessage, type EpisodeMessage } from './episode-message'
import type { EpisodeContext } from './episode-context'

export function createEpisodeMessaging({ deps, clock, load, practicesOf }: EpisodeContext) {
  const { episodes, audit } = deps
  const notifier = createNotifier(deps)

  return {
    /** Makes a message, keeps it on the episode (once per kind) and tells the practice and referrer it is ready. */
    async send(actor: PersonActor, episode: EpisodeRecord, type: 'triage' | 'discharge') {
      const connections = type === 'discharge' ? await deps.connections(episode) : []
      const team = actor.memberships.find((m) => m.kind === 'team' && m.organisationId === episode.teamId)
      const content = buildEpisodeMessage({
        episode,
        type,
        connections,
        needLabel: deps.needLabel,
        sender: { name: actor.name, team: team?.organisationName ?? episode.teamName, email: actor.email },
        now: clock(),
      })
      const next = applyEpisodeAction(
        episode,
        { type: 'message', message: { id: content.id, kind: type, at: clock(), content: { ...content } } },
        snapshot(actor),
        clock(),
      )
      if (next === episode) return episode
      if (!(await episodes.replace(next))) throw new ConflictError('Someone else has just updated this episode.')
      const to = [
        ...(episode.gpFeedbackConsent && episode.person.practiceId
          ? await deps.practiceEmails(episode.person.practiceId)
          : []),
        ...(episode.referrer.source === 'professional' && episode.referrer.email ? [episode.referrer.email] : []),
      ]
      await notifier.send('episode-message-ready', to, {
        title: content.title.toLowerCase(),
        path: paths.practiceEpisodes,
      })
      return next
    },

    /** A message as a link worker of the team sees it. */
    async teamMessage(actor: PersonActor, id: string, messageId: string, ip: string | null) {
      const episode = await load(actor, id)
      const message = episode.messages.find((m) => m.id === messageId)
      if (!message) throw new NotFoundError('Message not found')
      await audit.record({ actor, action: 'person.viewed', recordType: 'episode-message', recordId: messageId, ip })
      return message.content as unknown as EpisodeMessage
    },

    /**
     * One page of the practice's messages (25, newest first), with the total: its patients' episodes with consent to
     * feedback to the GP. Which messages, and their order, come from the episode facts in memory; only the page's
     * episodes are read.
     */
    async practiceMessages(actor: PersonActor, ip: string | null, page = 1) {
      const practices = new Set(practicesOf(actor))
      const all = (await deps.facts())
        .filter((f) => f.gpFeedbackConsent && f.practiceId !== null && practices.has(f.practiceId))
        .flatMap((f) => f.messages.map((m) => ({ episodeId: f.id, messageId: m.id, at: m.at })))
        .sort((a, b) => b.at.localeCompare(a.at))
      const shown = pageOf(all, page)
      const read = await Promise.all([...new Set(shown.items.map((m) => m.episodeId))].map((id) => episodes.get(id)))
      const byId = new Map(read.flatMap((e) => (e ? [[e.id, e] as const] : [])))
      const messages = shown.items.flatMap(({ episodeId, messageId }) => {
        const e = byId.get(episodeId)
        const m = e?.messages.find((x) => x.id === messageId)
        if (!e || !m) return []
        return [
          {
            episodeId,
            messageId,
            kind: m.kind,
            at: new Date(m.at),
            person: `${e.person.givenName} ${e.person.familyName}`,
            nhsNumber: e.person.nhsNumber,
            title: String((m.content as { title?: unknown }).title ?? ''),
          },
        ]
      })
      await audit.recordOn(actor, 'person.viewed', 'practice-episode-messages', [...practices].join(','), ip)
      return { ...shown, items: messages }
    },

    /** One message for the practice (consent to GP feedback, this practice's patient); NotFoundError otherwise. */
    async practiceMessage(actor: PersonActor, episodeId: string, messageId: string, ip: string | null) {
      const episode = await episodes.get(episodeId)
      const practices = practicesOf(actor)
      const message = episode?.messages.find((m) => m.id === messageId)
      if (
        !episode ||
        !message ||
        !episode.gpFeedbackConsent ||
        !episode.person.practiceId ||
        !practices.includes(episode.person.practiceId)
      ) {
        throw new NotFoundError('Message not found')
      }
      await audit.record({ actor, action: 'person.viewed', recordType: 'episode-message', recordId: messageId, ip })
      return message.content as unknown as EpisodeMessage
    },
  }
}
