// One episode's page, and a page per action on it (accept, decline, take on, first conversation, plan, contact,
// task, task done, wellbeing measure, discharge): each shown only while the episode's stage allows its rule, and each
// form read by its schema into the action the episode service applies. Scope is checked in the episode service
// (NotFoundError outside it).
import type { Request, RequestHandler, Response } from 'express'
import type { Services } from '../../../container'
import { availableEpisodeActions } from '../../../domain/episode'
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../../../errors'
import { pathFor, paths } from '../../../paths'
import type { ActInput } from '../../../services/episodes/episode.service'
import { findInstrument } from '../../../services/measures/measures'
import { parseForm, toFormErrors } from '../../form-page'
import { actorOf, ipOf } from '../../actor'
import { formBody, idParam } from '../../request-params'
import {
  contactSchema,
  conversationSchema,
  declineSchema,
  dischargeSchema,
  planSchema,
  readDate,
  taskDoneSchema,
  taskSchema,
  versionSchema,
} from './episodes.schemas'
import { isActionPage, presentActionPage, presentEpisodePage, RULE_OF, type ActionPage } from './episodes.presenter'

export function episodeActionController({ episodes, directory }: Pick<Services, 'episodes' | 'directory'>) {
  const show: RequestHandler = async (req, res) => {
    const answer = await episodes.get(actorOf(req), idParam(req, 'episodeId'), ipOf(req))
    res.render('pages/episodes/episode', presentEpisodePage(answer, await directory.taxonomy(), req.query.done))
  }

  async function actionPage(
    req: Request,
    res: Response,
    page: ActionPage,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const { episode } = await episodes.get(actorOf(req), idParam(req, 'episodeId'), ipOf(req))
    if (!availableEpisodeActions(episode.stage).includes(RULE_OF[page])) throw new NotFoundError()
    const values = (extra.values as Record<string, unknown> | undefined) ?? {}
    const measureId = String(req.query.measure ?? values.instrumentId ?? '')
    const timing = String(req.query.timing ?? values.timing ?? '')
    const instrument = page === 'measure' ? findInstrument(measureId) : undefined
    if (page === 'measure' && (!instrument || (timing !== 'baseline' && timing !== 'follow-up')))
      throw new NotFoundError()
    const terms = await directory.taxonomy()
    res
      .status(status)
      .render(
        'pages/episodes/action',
        presentActionPage(episode, terms, page, { measureId, timing, instrument }, extra),
      )
  }

  const showAction: RequestHandler = async (req, res) => {
    const page = String(req.params.action)
    if (!isActionPage(page) || page === 'task-done') throw new NotFoundError()
    await actionPage(req, res, page)
  }

  const act: RequestHandler = async (req, res) => {
    const page = String(req.params.action)
    if (!isActionPage(page)) throw new NotFoundError()
    const episodeId = idParam(req, 'episodeId')
    const values = formBody(req)
    const invalid = (fields: FieldErrors) =>
      actionPage(req, res, page, { values, ...toFormErrors(fields, Object.keys(fields)) }, 400)
    const version = parseForm(versionSchema, values)
    if (!version.ok) return invalid(version.errors)
    const today = new Date()
    let input: ActInput
    switch (page) {
      case 'accept':
        if (values.acceptConfirm !== 'yes')
          return invalid({ acceptConfirm: 'Confirm that the person agrees to social prescribing support' })
        input = { type: 'accept' }
        break
      case 'decline': {
        const f = parseForm(declineSchema, values)
        if (!f.ok) return invalid(f.errors)
        input = { type: 'decline', reason: f.value.declineReason, note: f.value.declineNote }
        break
      }
      case 'assign-to-me':
        input = { type: 'assign-to-me' }
        break
      case 'conversation': {
        const f = parseForm(conversationSchema, values)
        const date = readDate(
          values,
          'conversation',
          { past: true, label: 'the date of the conversation', example: '8 12 2026' },
          today,
        )
        if (!f.ok || !date.ok)
          return invalid({ ...(date.ok ? {} : { conversationDate: date.message }), ...(f.ok ? {} : f.errors) })
        input = { type: 'conversation', date: date.value, note: f.value.conversationNote }
        break
      }
      case 'plan': {
        const f = parseForm(planSchema, values)
        if (!f.ok) return invalid(f.errors)
        input = { type: 'plan', ...f.value }
        break
      }
      case 'contact': {
        const f = parseForm(contactSchema, values)
        const date = readDate(
          values,
          'contact',
          { past: true, label: 'the date of the contact', example: '8 12 2026' },
          today,
        )
        if (!f.ok || !date.ok)
          return invalid({ ...(date.ok ? {} : { contactDate: date.message }), ...(f.ok ? {} : f.errors) })
        input = {
          type: 'contact',
          date: date.value,
          mode: f.value.contactMode,
          minutes: f.value.contactMinutes,
          note: f.value.contactNote,
        }
        break
      }
      case 'task': {
        const f = parseForm(taskSchema, values)
        const due = readDate(values, 'due', { past: false, label: 'the date it is due', example: '8 12 2026' }, today)
        if (!f.ok || !due.ok) return invalid({ ...(f.ok ? {} : f.errors), ...(due.ok ? {} : { dueDate: due.message }) })
        input = { type: 'task', text: f.value.taskText, due: due.value }
        break
      }
      case 'task-done': {
        const f = parseForm(taskDoneSchema, values)
        if (!f.ok) throw new ConflictError('That task is no longer there. Reload to see the latest.')
        input = { type: 'task-done', taskId: f.value.taskId }
        break
      }
      case 'measure': {
        const instrumentId = String(req.query.measure ?? '')
        const timing = String(req.query.timing ?? '')
        if (!findInstrument(instrumentId) || (timing !== 'baseline' && timing !== 'follow-up'))
          throw new NotFoundError()
        input = { type: 'measure', instrumentId, timing, answers: values }
        break
      }
      case 'discharge': {
        const f = parseForm(dischargeSchema, values)
        if (!f.ok) return invalid(f.errors)
        input = { type: 'discharge', reason: f.value.dischargeReason, note: f.value.dischargeNote }
        break
      }
    }
    try {
      await episodes.act(actorOf(req), episodeId, version.value.version, input, ipOf(req))
    } catch (error) {
      if (error instanceof ValidationError) return invalid(error.fields)
      throw error
    }
    res.redirect(303, `${pathFor(paths.episode, { episodeId })}?done=${page}`)
  }

  return { show, showAction, act }
}
