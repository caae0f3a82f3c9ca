// Messages back to the GP and referrer: the team's view of one from the episode's page, and the practice's list of
// messages with each as a page, a text file and a FHIR document.
import type { RequestHandler } from 'express'
import type { Services } from '../../../container'
import { paths, pathFor } from '../../../paths'
import { episodeFhirDocument, letterText } from '../../../services/episodes/episode-message'
import { actorOf, ipOf } from '../../actor'
import { idParam } from '../../request-params'
import { pageParam } from '../../pagination'
import { presentLetter, presentPracticeMessages } from './episodes.presenter'

export function episodeMessageController({ episodes }: Pick<Services, 'episodes'>, settings: { publicUrl: string }) {
  const teamMessage: RequestHandler = async (req, res) => {
    const episodeId = idParam(req, 'episodeId')
    const message = await episodes.teamMessage(actorOf(req), episodeId, idParam(req, 'messageId'), ipOf(req))
    res.render('pages/episodes/message', {
      ...presentLetter(message),
      backLink: pathFor(paths.episode, { episodeId }),
    })
  }

  const practiceMessages: RequestHandler = async (req, res) => {
    const shown = await episodes.practiceMessages(actorOf(req), ipOf(req), pageParam(req))
    res.render('pages/episodes/practice', presentPracticeMessages(req, shown))
  }

  const practiceMessage: RequestHandler = async (req, res) => {
    const episodeId = idParam(req, 'episodeId')
    const messageId = idParam(req, 'messageId')
    const message = await episodes.practiceMessage(actorOf(req), episodeId, messageId, ipOf(req))
    if (req.query.format === 'txt') {
      res.set('Cache-Control', 'no-store')
      res.attachment(`social-prescribing-${message.type}-${message.madeAt.slice(0, 10)}.txt`)
      return res.type('text/plain').send(letterText(message))
    }
    res.render('pages/episodes/message', {
      ...presentLetter(message),
      backLink: paths.practiceEpisodes,
      fhirHref: pathFor(paths.practiceEpisodeFhir, { episodeId, messageId }),
      textHref: `${pathFor(paths.practiceEpisodeMessage, { episodeId, messageId })}?format=txt`,
    })
  }

  const practiceFhir: RequestHandler = async (req, res) => {
    const message = await episodes.practiceMessage(
      actorOf(req),
      idParam(req, 'episodeId'),
      idParam(req, 'messageId'),
      ipOf(req),
    )
    res.set('Cache-Control', 'no-store')
    res.attachment(`social-prescribing-${message.type}-${message.madeAt.slice(0, 10)}.fhir.json`)
    res.type('application/fhir+json').send(JSON.stringify(episodeFhirDocument(message, settings.publicUrl), null, 2))
  }

  return { teamMessage, practiceMessages, practiceMessage, practiceFhir }
}
