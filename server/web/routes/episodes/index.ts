// Social prescribing episodes: referral into the link worker service (GP practice staff and other professionals
// signed in; the public through an open, rate-limited form), the team's caseload and triage queue, one episode's page,
// a page per action, the message back to the GP and referrer (letter and FHIR document), and the practice's list of
// messages. Scope is checked in the episode service (NotFoundError outside it).
import { Router, type Request, type Response } from 'express'
import type { Services } from '../../../container'
import { newId } from '../../../domain/ids'
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../../../errors'
import { paths, pathFor } from '../../../paths'
import {
  availableEpisodeActions,
  CONTACT_MODES,
  DISCHARGE_REASONS,
  EPISODE_STAGES,
  GOAL_STATUSES,
  REFERRAL_SOURCES,
  STAGE_LABELS,
  STAGE_TAGS,
  TRIAGE_DECLINE_REASONS,
  type EpisodeRecord,
  type EpisodeStage,
} from '../../../domain/episode'
import {
  episodeFhirDocument,
  letterSections,
  letterText,
  ukDate,
  type EpisodeMessage,
} from '../../../services/episodes/episode-message'
import type { TaxonomyTerm } from '../../../data/taxonomy'
import type { ActInput } from '../../../services/episodes/episode.service'
import { findInstrument, measureFormView, MEASURES } from '../../../services/measures/measures'
import { hasRole } from '../../../domain/roles'
import { parseForm, toFormErrors } from '../../form-page'
import {
  contactSchema,
  contactError,
  conversationSchema,
  declineSchema,
  dischargeSchema,
  planSchema,
  readDate,
  REFER_FIELD_ORDER,
  referInSchema,
  taskDoneSchema,
  taskSchema,
  versionSchema,
} from './episodes.schemas'
import { actorOf, ipOf } from '../../actor'
import { formBody, idParam } from '../../request-params'
import { limitPerAddress } from '../../middleware/rate-limit'
import { pageParam, pagination } from '../../pagination'

/** The pages of an episode's actions, and what each is called on buttons and in titles. */
const ACTION_PAGES = {
  accept: 'Accept the referral',
  decline: 'Close without taking on',
  'assign-to-me': 'Take this episode on',
  conversation: 'Record the first conversation',
  plan: 'Agree the plan',
  contact: 'Record a contact',
  task: 'Add a task',
  'task-done': 'Mark a task done',
  measure: 'Record a wellbeing measure',
  discharge: 'Discharge',
} as const
type ActionPage = keyof typeof ACTION_PAGES
const isActionPage = (v: string): v is ActionPage => v in ACTION_PAGES

/** Which rule of the pure transition function each page applies (its availability follows the stage). */
const RULE_OF: Record<ActionPage, ReturnType<typeof availableEpisodeActions>[number]> = {
  accept: 'accept',
  decline: 'decline',
  'assign-to-me': 'assign',
  conversation: 'conversation',
  plan: 'plan',
  contact: 'contact',
  task: 'task',
  'task-done': 'task-done',
  measure: 'measure',
  discharge: 'discharge',
}

const options = <T extends Record<string, string>>(labels: T, chosen: unknown) =>
  Object.entries(labels).map(([value, text]) => ({
    value,
    text,
    checked: chosen === value,
    selected: chosen === value,
  }))

export function episodesRouter(
  services: Services,
  settings: { selfReferralsPerHour: number; publicUrl: string },
): Router {
  const router = Router()
  const { episodes } = services

  // Self-referrals: a few an hour from one address (per instance), on top of the site-wide limit.
  const selfReferralLimit = limitPerAddress({
    windowMs: 60 * 60_000,
    limit: settings.selfReferralsPerHour,
    message: 'We have had several referrals from here. Wait an hour and try again.',
    skip: (req) => req.method !== 'POST',
  })

  // Referral into the service ────────────────────────────────────────────────────────────────────────────────

  async function referLocals(req: Request, values: Record<string, unknown>, self: boolean) {
    const [teams, practices] = await Promise.all([episodes.teams(), episodes.practices()])
    const gp = !self && hasRole(req.user, 'gp_user')
    const teamId = values.teamId ?? (teams.length === 1 ? teams[0]!.id : undefined)
    return {
      title: self ? 'Refer yourself to social prescribing' : 'Refer to social prescribing',
      self,
      gp,
      practiceLabel: self ? 'Your GP practice (if you know it)' : 'Their GP practice',
      action: self ? paths.selfReferral : paths.socialPrescribingRefer,
      values: { idempotencyKey: newId(), ...values },
      teamOptions: teams.map((t) => ({ value: t.id, text: t.name, selected: teamId === t.id })),
      practiceOptions: practices.map((p) => ({
        value: p.id,
        text: `${p.name}${p.odsCode ? ` (${p.odsCode})` : ''}`,
        selected: values.practiceId === p.id,
      })),
    }
  }

  async function referPost(req: Request, res: Response, self: boolean) {
    const values = formBody(req)
    const invalid = async (fields: FieldErrors) =>
      res.status(400).render('pages/episodes/refer', {
        ...(await referLocals(req, values, self)),
        ...toFormErrors(fields, REFER_FIELD_ORDER),
      })
    const form = parseForm(referInSchema, values)
    const dob = readDate(values, 'dob', { past: true, label: 'the date of birth', example: '15 3 1948' }, new Date())
    const errors: FieldErrors = {
      ...contactError(values),
      ...(form.ok ? {} : form.errors),
      ...(dob.ok ? {} : { dateOfBirth: dob.message }),
    }
    if (!form.ok || !dob.ok || Object.keys(errors).length) return invalid(errors)
    try {
      await episodes.refer(
        self ? null : actorOf(req),
        { ...form.value, dateOfBirth: dob.value, consentToRefer: true },
        ipOf(req),
      )
    } catch (error) {
      if (error instanceof ValidationError) return invalid(error.fields)
      throw error
    }
    res.redirect(303, `${paths.referralReceived}${self ? '?self=1' : ''}`)
  }

  router.get(paths.socialPrescribingRefer, async (req, res) => {
    res.render('pages/episodes/refer', await referLocals(req, {}, false))
  })
  router.post(paths.socialPrescribingRefer, (req, res) => referPost(req, res, false))
  router.get(paths.selfReferral, selfReferralLimit, async (req, res) => {
    res.render('pages/episodes/refer', await referLocals(req, {}, true))
  })
  router.post(paths.selfReferral, selfReferralLimit, (req, res) => referPost(req, res, true))
  router.get(paths.referralReceived, (req, res) => {
    res.render('pages/episodes/received', { title: 'Referral sent', self: req.query.self === '1' })
  })

  // The caseload and triage queue ────────────────────────────────────────────────────────────────────────────

  router.get(paths.episodes, async (req, res) => {
    const stageParam = String(req.query.stage ?? 'triage')
    const stage: EpisodeStage = (EPISODE_STAGES as readonly string[]).includes(stageParam)
      ? (stageParam as EpisodeStage)
      : 'triage'
    const mine = req.query.mine === '1'
    const pageParam = Number(req.query.page ?? 1)
    const page = Number.isInteger(pageParam) && pageParam > 0 && pageParam < 100_000 ? pageParam : 1
    const data = await episodes.caseload(actorOf(req), { stage, mine, page }, ipOf(req))
    const link = (s: EpisodeStage, p = 1, m = mine) =>
      `${paths.episodes}?stage=${s}${m ? '&mine=1' : ''}${p > 1 ? `&page=${p}` : ''}`
    res.render('pages/episodes/caseload', {
      title: mine ? 'Your caseload' : "Your team's caseload",
      mine,
      stage,
      stageLabel: STAGE_LABELS[stage],
      tabs: EPISODE_STAGES.map((s) => ({
        href: link(s),
        text: STAGE_LABELS[s],
        count: data.counts[s],
        current: s === stage,
      })),
      toggle: { href: link(stage, 1, !mine), text: mine ? "Show the whole team's" : 'Show only yours' },
      rows: data.rows.map((r) => ({
        href: pathFor(paths.episode, { episodeId: r.episode.id }),
        name: `${r.episode.person.givenName} ${r.episode.person.familyName}`,
        source: REFERRAL_SOURCES[r.episode.referrer.source],
        referredAt: r.episode.referredAt,
        owner: r.episode.ownerName ?? 'No one yet',
        nextContactDue: r.nextContactDue ? ukDate(r.nextContactDue) : null,
        overdue: r.overdue,
      })),
      total: data.total,
      overdueCount: data.overdueCount,
      thisYear: data.thisYear,
      benchmark: data.benchmark,
      overBenchmark: data.thisYear > data.benchmark,
      waiting: data.counts.triage,
      pagination: {
        previous:
          data.page > 1 ? { href: link(stage, data.page - 1), text: `Page ${data.page - 1} of ${data.pages}` } : null,
        next:
          data.page < data.pages
            ? { href: link(stage, data.page + 1), text: `Page ${data.page + 1} of ${data.pages}` }
            : null,
      },
    })
  })

  // One episode ──────────────────────────────────────────────────────────────────────────────────────────────

  function presentEpisode(e: EpisodeRecord, taxonomy: readonly TaxonomyTerm[]) {
    const terms = new Map(taxonomy.map((t) => [t.id, t.name]))
    const open = availableEpisodeActions(e.stage)
    const can = (page: ActionPage) => open.includes(RULE_OF[page])
    const href = (page: ActionPage, query = '') =>
      `${pathFor(paths.episodeAction, { episodeId: e.id, action: page })}${query}`
    return {
      id: e.id,
      version: e.version,
      name: `${e.person.givenName} ${e.person.familyName}`,
      person: e.person,
      stageLabel: STAGE_LABELS[e.stage],
      stageTag: STAGE_TAGS[e.stage],
      source: REFERRAL_SOURCES[e.referrer.source],
      referrer: e.referrer,
      reason: e.reason,
      gpFeedbackConsent: e.gpFeedbackConsent,
      referredAt: e.referredAt,
      owner: e.ownerName,
      declineReason: e.declineReason ? TRIAGE_DECLINE_REASONS[e.declineReason] : null,
      firstConversationAt: e.firstConversationAt,
      conversationNote: e.conversationNote,
      whatMatters: e.whatMatters,
      needs: e.needs.map((n) => terms.get(n) ?? n),
      goals: e.goals.map((g) => ({ text: g.text, status: GOAL_STATUSES[g.status] })),
      contacts: e.contacts.map((c) => ({ ...c, date: ukDate(c.date), mode: CONTACT_MODES[c.mode] })),
      tasks: e.tasks.map((t) => ({ ...t, due: ukDate(t.due), done: Boolean(t.doneAt) })),
      codes: e.codes,
      dischargedAt: e.dischargedAt,
      dischargeReason: e.dischargeReason ? DISCHARGE_REASONS[e.dischargeReason] : null,
      messages: e.messages.map((m) => ({
        href: pathFor(paths.episodeMessage, { episodeId: e.id, messageId: m.id }),
        title: String((m.content as { title?: unknown }).title ?? m.kind),
        at: m.at,
      })),
      personHref: e.personId ? pathFor(paths.person, { personId: e.personId }) : null,
      links: {
        accept: can('accept') ? href('accept') : null,
        decline: can('decline') ? href('decline') : null,
        assign: can('assign-to-me') && !e.ownerId ? href('assign-to-me') : null,
        conversation: can('conversation') ? href('conversation') : null,
        plan: can('plan') ? href('plan') : null,
        contact: can('contact') ? href('contact') : null,
        task: can('task') ? href('task') : null,
        discharge: can('discharge') ? href('discharge') : null,
        measures: can('measure')
          ? MEASURES.flatMap((m) => [
              { href: href('measure', `?measure=${m.id}&timing=baseline`), text: `${m.shortName} at the start` },
              { href: href('measure', `?measure=${m.id}&timing=follow-up`), text: `${m.shortName} at the end` },
            ])
          : [],
        find: e.personId && e.open && e.stage !== 'triage' ? paths.directorySearch : null,
      },
      taskDone: can('task-done') ? pathFor(paths.episodeAction, { episodeId: e.id, action: 'task-done' }) : null,
    }
  }

  router.get(paths.episode, async (req, res) => {
    const { episode, connections, clock } = await episodes.get(actorOf(req), idParam(req, 'episodeId'), ipOf(req))
    const shown = presentEpisode(episode, await services.directory.taxonomy())
    res.render('pages/episodes/episode', {
      title: shown.name,
      backLink: `${paths.episodes}?stage=${episode.stage}`,
      episode: shown,
      measures: episode.measures.map((m) => ({
        name: findInstrument(m.instrumentId)?.shortName ?? m.instrumentId,
        timing: m.timing === 'baseline' ? 'At the start' : 'At the end',
        at: m.at,
        scores: m.scores,
      })),
      connections: connections.map((c) => ({ ...c, date: ukDate(c.date) })),
      clock: { ...clock, nextContactDue: clock.nextContactDue ? ukDate(clock.nextContactDue) : null },
      done: typeof req.query.done === 'string' && isActionPage(req.query.done) ? ACTION_PAGES[req.query.done] : null,
    })
  })

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
    const errors = (extra.errors as FieldErrors | undefined) ?? {}
    const measureId = String(req.query.measure ?? values.instrumentId ?? '')
    const timing = String(req.query.timing ?? values.timing ?? '')
    const instrument = page === 'measure' ? findInstrument(measureId) : undefined
    if (page === 'measure' && (!instrument || (timing !== 'baseline' && timing !== 'follow-up')))
      throw new NotFoundError()
    const terms = await services.directory.taxonomy()
    const chosenNeeds = Array.isArray(values.needs) ? values.needs : values.needs ? [values.needs] : episode.needs
    const goals = [0, 1, 2].map((i) => ({
      n: i + 1,
      text: values[`goal${i + 1}`] ?? episode.goals[i]?.text ?? '',
      statusOptions: options(GOAL_STATUSES, values[`goal${i + 1}Status`] ?? episode.goals[i]?.status ?? 'open'),
      error: errors[`goal${i + 1}`],
    }))
    res.status(status).render('pages/episodes/action', {
      title: `${ACTION_PAGES[page]}: ${episode.person.givenName} ${episode.person.familyName}`,
      heading: ACTION_PAGES[page],
      backLink: pathFor(paths.episode, { episodeId: episode.id }),
      action:
        pathFor(paths.episodeAction, { episodeId: episode.id, action: page }) +
        (page === 'measure' ? `?measure=${measureId}&timing=${timing}` : ''),
      page: { [page.replace(/-/g, '_')]: true },
      episode: presentEpisode(episode, terms),
      values: { whatMatters: episode.whatMatters, ...values, version: episode.version },
      declineOptions: options(TRIAGE_DECLINE_REASONS, values.declineReason),
      dischargeOptions: options(DISCHARGE_REASONS, values.dischargeReason),
      modeOptions: options(CONTACT_MODES, values.contactMode),
      needOptions: terms
        .filter((t) => t.parentCode)
        .map((t) => ({ value: t.id, text: t.name, checked: (chosenNeeds as unknown[]).includes(t.id) })),
      goals,
      measure: instrument ? measureFormView(instrument, values, errors) : null,
      timingLabel: timing === 'baseline' ? 'at the start of the episode' : 'at the end of the episode',
      instrumentId: instrument?.id,
      timing,
      ...extra,
    })
  }

  router.get(paths.episodeAction, async (req, res) => {
    const page = String(req.params.action)
    if (!isActionPage(page) || page === 'task-done') throw new NotFoundError()
    await actionPage(req, res, page)
  })

  router.post(paths.episodeAction, async (req, res) => {
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
  })

  // Messages back to the GP and referrer ─────────────────────────────────────────────────────────────────────

  function letterLocals(message: EpisodeMessage) {
    return {
      title: message.title,
      message,
      madeOn: ukDate(message.madeAt),
      sections: letterSections(message),
      copyrights: [...new Set(message.measures.map((m) => m.copyright))],
    }
  }

  router.get(paths.episodeMessage, async (req, res) => {
    const episodeId = idParam(req, 'episodeId')
    const message = await episodes.teamMessage(actorOf(req), episodeId, idParam(req, 'messageId'), ipOf(req))
    res.render('pages/episodes/message', {
      ...letterLocals(message),
      backLink: pathFor(paths.episode, { episodeId }),
    })
  })

  router.get(paths.practiceEpisodes, async (req, res) => {
    const shown = await episodes.practiceMessages(actorOf(req), ipOf(req), pageParam(req))
    res.render('pages/episodes/practice', {
      title: 'Social prescribing messages',
      pagination: pagination(req, shown),
      messages: shown.items.map((m) => ({
        ...m,
        href: pathFor(paths.practiceEpisodeMessage, { episodeId: m.episodeId, messageId: m.messageId }),
      })),
    })
  })

  router.get(paths.practiceEpisodeMessage, async (req, res) => {
    const episodeId = idParam(req, 'episodeId')
    const messageId = idParam(req, 'messageId')
    const message = await episodes.practiceMessage(actorOf(req), episodeId, messageId, ipOf(req))
    if (req.query.format === 'txt') {
      res.set('Cache-Control', 'no-store')
      res.attachment(`social-prescribing-${message.type}-${message.madeAt.slice(0, 10)}.txt`)
      return res.type('text/plain').send(letterText(message))
    }
    res.render('pages/episodes/message', {
      ...letterLocals(message),
      backLink: paths.practiceEpisodes,
      fhirHref: pathFor(paths.practiceEpisodeFhir, { episodeId, messageId }),
      textHref: `${pathFor(paths.practiceEpisodeMessage, { episodeId, messageId })}?format=txt`,
    })
  })

  router.get(paths.practiceEpisodeFhir, async (req, res) => {
    const message = await episodes.practiceMessage(
      actorOf(req),
      idParam(req, 'episodeId'),
      idParam(req, 'messageId'),
      ipOf(req),
    )
    res.set('Cache-Control', 'no-store')
    res.attachment(`social-prescribing-${message.type}-${message.madeAt.slice(0, 10)}.fhir.json`)
    res.type('application/fhir+json').send(JSON.stringify(episodeFhirDocument(message, settings.publicUrl), null, 2))
  })

  return router
}
