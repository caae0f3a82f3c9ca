// The social prescribing episode service: referrals into the link worker service (GP practice staff, other
// professionals, the public), the team's triage queue and caseloads, each change to an episode (read, apply the pure
// rules, write the next version), the messages back to the GP and referrer, and the practice's view of them.
// Scope: the link worker team holds its episodes; a GP practice sees its patients' messages only with the person's
// consent to feedback; anyone else gets NotFoundError.
import { nameUuid } from '../../domain/ids'
import type { Mailer } from '../../data/mail/mailer'
import type { PersonRecord } from '../../domain/referral-records'
import type { EpisodeRepository, EpisodeSummary } from '../../data/repositories/episode.repository'
import type { PersonRepository } from '../../data/repositories/person.repository'
import { ConflictError, NotFoundError, ValidationError } from '../../errors'
import { paths } from '../../paths'
import type { AuditService } from '../audit.service'
import { createNotifier } from '../notifier'
import { findInstrument, scoreMeasure, type MeasureRecord } from '../measures/measures'
import { isValidNhsNumber, normaliseNhsNumber } from '../nhs-number'
import { ageBand, snapshot, type PersonActor } from '../person.service'
import { hasRole, organisationIds } from '../../domain/roles'
import { pageOf } from '../../domain/paging'
import {
  applyEpisodeAction,
  DEFAULT_EPISODE_TARGETS,
  episodeClock,
  episodeUrgency,
  type EpisodeTargets,
  EPISODE_STAGES,
  isOpenStage,
  newEpisode,
  type EpisodeAction,
  type EpisodeActor,
  type EpisodePerson,
  type EpisodeRecord,
  type EpisodeStage,
  type ReferralSource,
} from '../../domain/episode'
import { buildEpisodeMessage, type EpisodeConnection, type EpisodeMessage } from './episode-message'
import type { EpisodeFact } from './episode-report'

export const EPISODE_PAGE_SIZE = 25
export const DEFAULT_CASELOAD_BENCHMARK = 250

export interface CareOrganisation {
  id: string
  name: string
  odsCode: string | null
}

export interface ReferInInput {
  idempotencyKey: string
  teamId: string
  givenName: string
  familyName: string
  dateOfBirth: string
  nhsNumber: string | null
  phone: string | null
  email: string | null
  address: string | null
  postcode: string | null
  /** The practice: the GP user's own; chosen by other referrers and the public. */
  practiceId: string | null
  reason: string
  consentToRefer: boolean
  gpFeedbackConsent: boolean
}

export type ActInput =
  | Exclude<EpisodeAction, { type: 'measure' } | { type: 'message' } | { type: 'assign' } | { type: 'link-person' }>
  | { type: 'measure'; instrumentId: string; timing: 'baseline' | 'follow-up'; answers: Record<string, unknown> }
  | { type: 'assign-to-me' }

export function createEpisodeService(deps: {
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
}) {
  const clock = deps.clock ?? (() => new Date())
  const notifier = createNotifier(deps)
  const benchmark = deps.caseloadBenchmark ?? DEFAULT_CASELOAD_BENCHMARK
  const targets = deps.targets ?? DEFAULT_EPISODE_TARGETS
  const clockOf = (e: Parameters<typeof episodeClock>[0], now: Date) => episodeClock(e, now, targets)
  const { episodes, audit } = deps

  const teamsOf = (actor: PersonActor) => (hasRole(actor, 'link_worker') ? organisationIds(actor, 'team') : [])
  const practicesOf = (actor: PersonActor) => (hasRole(actor, 'gp_user') ? organisationIds(actor, 'practice') : [])

  async function load(actor: PersonActor, id: string): Promise<EpisodeRecord> {
    const episode = await episodes.get(id)
    if (!episode || !teamsOf(actor).includes(episode.teamId)) throw new NotFoundError('Episode not found')
    return episode
  }

  async function organisation(id: string, kind: 'team' | 'practice', field: string, message: string) {
    const found = await deps.findCareOrganisation(id).catch(() => null)
    if (!found || found.kind !== kind) throw new ValidationError({ [field]: message })
    return found
  }

  /** Makes a message, keeps it on the episode (once per kind) and tells the practice and referrer it is ready. */
  async function sendMessage(actor: PersonActor, episode: EpisodeRecord, type: 'triage' | 'discharge') {
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
  }

  /** The caseload record an accepted episode's person gets: derived from the episode, so it is made once. */
  const personIdFor = (episode: Pick<EpisodeRecord, 'id' | 'personId'>) =>
    episode.personId ?? nameUuid(`episode-person:${episode.id}`)

  /**
   * On acceptance the person joins the team's caseload (so the link worker can refer and signpost them). Called by
   * the one caller whose acceptance was written; a record already there (a retry) is left as it is.
   */
  async function ensurePerson(actor: PersonActor, episode: EpisodeRecord): Promise<string> {
    const id = personIdFor(episode)
    if (await deps.people.get(id)) return id
    const p = episode.person
    const now = clock()
    const person: PersonRecord = {
      id,
      teamId: episode.teamId,
      givenName: p.givenName,
      familyName: p.familyName,
      dateOfBirth: p.dateOfBirth,
      nhsNumber: p.nhsNumber,
      phone: p.phone,
      email: p.email,
      address: p.address,
      postcode: p.postcode,
      contactPreference: p.phone ? 'phone' : p.email ? 'email' : 'letter',
      practiceId: p.practiceId,
      practiceName: p.practiceName,
      practiceOdsCode: p.practiceOdsCode,
      whatMatters: '',
      needs: [],
      equality: { ethnicity: null, sex: null, ageBand: ageBand(p.dateOfBirth, now), deprivationDecile: null },
      caresForId: null,
      consents:
        episode.gpFeedbackConsent && p.practiceId
          ? [
              {
                id: nameUuid(`consent:gp:episode:${episode.id}`),
                type: 'given',
                scope: 'feedback_to_gp',
                organisationId: p.practiceId,
                organisationName: p.practiceName ?? 'their GP practice',
                how: 'written',
                at: new Date(episode.referredAt),
                by: snapshot(actor),
              },
            ]
          : [],
      createdBy: snapshot(actor),
    }
    await deps.people.insert(person).catch(async (error: unknown) => {
      if (!(await deps.people.get(id))) throw error
    })
    return id
  }

  return {
    teams: () => deps.listCareOrganisations('team'),
    practices: () => deps.listCareOrganisations('practice'),

    /**
     * A referral into the social prescribing service, landing in the team's triage queue. `actor` null: the public.
     * The id comes from the form's idempotency key (and the user), so a double submit makes one episode.
     */
    async refer(
      actor: PersonActor | null,
      input: ReferInInput,
      ip: string | null,
    ): Promise<{ episode: EpisodeRecord; created: boolean }> {
      const id = nameUuid(`episode:${actor?.id ?? 'public'}:${input.idempotencyKey}`)
      const existing = await episodes.get(id)
      if (existing) return { episode: existing, created: false }
      const source: ReferralSource = !actor ? 'self' : hasRole(actor, 'gp_user') ? 'gp' : 'professional'
      if (source !== 'self' && !input.consentToRefer) {
        throw new ValidationError({ consentToRefer: 'Confirm that the person agreed to be referred' })
      }
      if (source === 'self' && !input.consentToRefer) {
        throw new ValidationError({ consentToRefer: 'Confirm that you agree to us holding these details' })
      }
      const nhsNumber = input.nhsNumber ? normaliseNhsNumber(input.nhsNumber) : null
      if (nhsNumber && !isValidNhsNumber(nhsNumber)) {
        throw new ValidationError({ nhsNumber: 'Enter a valid 10-digit NHS number, or leave it blank' })
      }
      const team = await organisation(input.teamId, 'team', 'teamId', 'Choose a social prescribing service')
      let practice: CareOrganisation | null = null
      if (source === 'gp') {
        const own = practicesOf(actor!)[0]
        if (!own) throw new NotFoundError()
        practice = await organisation(own, 'practice', 'practiceId', 'Your account has no GP practice')
      } else if (input.practiceId) {
        practice = await organisation(input.practiceId, 'practice', 'practiceId', 'Choose a GP practice from the list')
      }
      const now = clock()
      const person: EpisodePerson = {
        givenName: input.givenName,
        familyName: input.familyName,
        dateOfBirth: input.dateOfBirth,
        nhsNumber,
        phone: input.phone,
        email: input.email,
        address: input.address,
        postcode: input.postcode,
        practiceId: practice?.id ?? null,
        practiceName: practice?.name ?? null,
        practiceOdsCode: practice?.odsCode ?? null,
      }
      const membership = actor?.memberships.find((m) => m.kind !== 'vco') ?? actor?.memberships[0]
      const by: EpisodeActor | null = actor ? snapshot(actor) : null
      const record = newEpisode({
        id,
        teamId: team.id,
        teamName: team.name,
        person,
        referrer: {
          source,
          userId: actor?.id ?? null,
          name: actor?.name ?? `${input.givenName} ${input.familyName} (themselves)`,
          email: actor?.email ?? null,
          organisationName: membership?.organisationName ?? null,
        },
        reason: input.reason,
        consentToRefer: input.consentToRefer,
        gpFeedbackConsent: input.gpFeedbackConsent && Boolean(practice),
        by,
        now,
      })
      const created = await episodes.insertOnce(record)
      await audit.record({
        actor: actor ? { id: actor.id, email: actor.email } : null,
        action: 'person.changed',
        recordType: 'episode',
        recordId: id,
        ip,
        detail: { action: created ? 'refer' : 'refer-retry', source },
      })
      return { episode: created ? record : ((await episodes.get(id)) ?? record), created }
    },

    /**
     * The caseload: the actor's team's episodes (or only theirs), counts by stage, one stage's page of 25 sorted by
     * what is due, and this year's caseload against the benchmark. Selection is by teamId or ownerId equality.
     */
    async caseload(
      actor: PersonActor,
      options: { stage: EpisodeStage; mine: boolean; page: number },
      ip: string | null,
    ) {
      const teams = teamsOf(actor)
      const now = clock()
      // Counts, order and paging come from the episode facts in memory (a small fact per episode, kept up to date
      // after every write); only the page's 25 episodes are read, by id. No page reads a team's open episodes whole.
      const facts = (await deps.facts()).filter(
        (f) => teams.includes(f.teamId) && (!options.mine || f.ownerId === actor.id),
      )
      const counts = Object.fromEntries(EPISODE_STAGES.map((s) => [s, 0])) as Record<EpisodeStage, number>
      for (const f of facts) counts[f.stage]++
      const yearStart = new Date(Date.UTC(now.getUTCFullYear(), 0, 1))
      const thisYear = facts.filter(
        (f) => f.stage !== 'declined' && f.stage !== 'triage' && (f.triagedAt ?? f.referredAt) >= yearStart,
      ).length
      const urgency = (f: EpisodeFact) => episodeUrgency(f, now, targets)
      const overdueCount = facts.filter((f) => {
        if (!isOpenStage(f.stage)) return false
        const u = urgency(f)
        return u.stepOverdue !== null || u.tasksOverdue > 0
      }).length
      const inStage = facts.filter((f) => f.stage === options.stage)
      let ordered: EpisodeFact[]
      if (isOpenStage(options.stage)) {
        // Most urgent first: most overdue, then the next contact due, then the longest waiting.
        const keyed = inStage.map((f) => {
          const u = urgency(f)
          return { f, overdue: (u.stepOverdue ? 1 : 0) + u.tasksOverdue, next: u.nextContactDue ?? '9999' }
        })
        keyed.sort(
          (a, b) =>
            b.overdue - a.overdue ||
            a.next.localeCompare(b.next) ||
            a.f.referredAt.getTime() - b.f.referredAt.getTime(),
        )
        ordered = keyed.map((k) => k.f)
      } else {
        // Closed: newest first.
        ordered = inStage.sort((a, b) => b.referredAt.getTime() - a.referredAt.getTime())
      }
      const total = ordered.length
      const pages = Math.max(1, Math.ceil(total / EPISODE_PAGE_SIZE))
      const page = Math.min(Math.max(1, options.page), pages)
      const ids = ordered.slice((page - 1) * EPISODE_PAGE_SIZE, page * EPISODE_PAGE_SIZE).map((f) => f.id)
      // An episode another instance moved on since its fact was read is left off this page until the facts catch up.
      const shown = (await episodes.listByIds(ids)).filter((e) => e.stage === options.stage)
      const rows = shown.map((e) => ({ episode: e, ...clockOf(e, now) }))
      await audit.record({
        actor,
        action: 'person.viewed',
        recordType: 'episode-caseload',
        recordId: teams.join(','),
        ip,
        detail: { stage: options.stage, mine: options.mine },
      })
      return {
        counts,
        rows,
        total,
        page,
        pages,
        overdueCount,
        thisYear,
        benchmark,
        now,
      }
    },

    async get(actor: PersonActor, id: string, ip: string | null) {
      const episode = await load(actor, id)
      const connections = await deps.connections(episode)
      await audit.record({ actor, action: 'person.viewed', recordType: 'episode', recordId: id, ip })
      return { episode, connections, clock: clockOf(episode, clock()), now: clock() }
    },

    /**
     * The teams' open episodes with tasks due by `today` ("2026-12-07"), each with its earliest due day, from the
     * episode facts in memory: the worklist's task items, whose words are read for its page only (`taskDetail`).
     */
    async dueTasks(teamIds: readonly string[], today: string) {
      const teams = new Set(teamIds)
      return (await deps.facts()).flatMap((f) => {
        if (!teams.has(f.teamId) || !isOpenStage(f.stage)) return []
        const due = f.openTaskDues.filter((d) => d <= today).sort()
        return due.length ? [{ episodeId: f.id, due: due[0]! }] : []
      })
    },

    /** An episode's person, team and tasks, for a worklist item (the worklist checks the team by its own list). */
    async taskDetail(id: string) {
      const e = await episodes.get(id)
      if (!e) return null
      return { personName: `${e.person.givenName} ${e.person.familyName}`, teamName: e.teamName, tasks: e.tasks }
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
      if (action.type === 'accept') await ensurePerson(actor, next)
      await audit.record({
        actor,
        action: 'person.changed',
        recordType: 'episode',
        recordId: id,
        ip,
        detail: { action: action.type, from: current.stage, to: next.stage },
      })
      if (action.type === 'accept' || action.type === 'decline') next = await sendMessage(actor, next, 'triage')
      if (action.type === 'discharge') next = await sendMessage(actor, next, 'discharge')
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
      await audit.record({
        actor,
        action: 'person.viewed',
        recordType: 'practice-episode-messages',
        recordId: [...practices].join(','),
        ip,
      })
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
      await audit.record({
        actor,
        action: 'person.viewed',
        recordType: 'episode-message',
        recordId: messageId,
        ip,
      })
      return message.content as unknown as EpisodeMessage
    },

    listForPerson: (personId: string): Promise<EpisodeSummary[]> => episodes.listByPerson(personId),
  }
}

export type EpisodeService = ReturnType<typeof createEpisodeService>
