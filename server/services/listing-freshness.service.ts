// Freshness: each public listing is checked every review interval (default from config, per listing if set). When a
// check is due the organisation is emailed a single-use link ("still accurate" / "closed", no password) and a
// "make changes" link (sign in). Up to MAX_REMINDERS reminders, REMINDER_GAP apart; then curators are told and the
// listing is flagged as not recently checked, which the search index ranks lower. Run by the scheduler (one
// instance at a time); a link can be used exactly once (its use is an insert keyed by the token's hash).
// A run reads only what it must look at: the services written since the last run (whose next due month it works out
// and stores) and those due in this month or an earlier one still listed (listing.repository.ts), never the whole
// directory.
import crypto from 'node:crypto'
import type { FreshnessAnswer, ListingTokenRecord } from '../data/listing-records'
import type { Mailer } from '../data/mail/mailer'
import type { DirectoryRepository, ServicePatch } from '../data/repositories/directory.repository'
import {
  FRESHNESS_ESCALATED,
  FRESHNESS_NONE,
  type FreshnessCandidate,
  type ListingRepository,
} from '../data/repositories/listing.repository'
import { dayOf } from '../data/repositories/month-pages'
import { NotFoundError } from '../errors'
import { paths, pathFor } from '../paths'
import type { AuditService } from './audit.service'
import { createNotifier } from './notifier'
import type { ListingService } from './listing.service'

export const MAX_REMINDERS = 3

export interface FreshnessSettings {
  publicUrl: string
  /** Months between checks unless a listing sets its own. */
  reviewMonths: number
  /** Days between reminders. */
  reminderDays: number
  /** How long a reminder's link works. */
  linkDays: number
}

export interface FreshnessDeps {
  directory: Pick<DirectoryRepository, 'getService' | 'updateService'>
  listings: ListingRepository
  listingService: Pick<ListingService, 'markChecked' | 'tellReferrers'>
  reindex: (serviceId: string) => Promise<void>
  audit: Pick<AuditService, 'record' | 'recordOn'>
  mailer: Mailer
  curatorEmails: () => Promise<string[]>
  memberEmails: (organisationId: string) => Promise<string[]>
  settings: FreshnessSettings
  clock?: () => Date
}

export function hashToken(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex')
}

export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime())
  d.setUTCMonth(d.getUTCMonth() + months)
  return d
}

export type TokenState =
  | { state: 'valid'; serviceId: string; serviceName: string }
  | { state: 'used'; serviceId: string; serviceName: string; answer: FreshnessAnswer; at: Date }
  | { state: 'expired'; serviceId: string; serviceName: string }

export function createFreshnessService(deps: FreshnessDeps) {
  const { directory, listings, settings } = deps
  const clock = deps.clock ?? (() => new Date())
  const DAY = 86_400_000

  const notifier = createNotifier({ mailer: deps.mailer, publicUrl: settings.publicUrl })

  async function issueLink(serviceId: string, organisationId: string, now: Date): Promise<string> {
    const secret = crypto.randomBytes(32).toString('base64url')
    const token: ListingTokenRecord = {
      id: hashToken(secret),
      service_id: serviceId,
      organization_id: organisationId,
      created_at: now,
      expires_at: new Date(now.getTime() + settings.linkDays * DAY),
    }
    await listings.insertToken(token)
    return secret
  }

  async function tokenState(secret: string): Promise<TokenState> {
    const token = await listings.getToken(hashToken(secret))
    const service = token ? await directory.getService(token.service_id) : null
    if (!token || !service) throw new NotFoundError('This link is not valid')
    const use = await listings.getTokenUse(token.id)
    const base = { serviceId: service.id, serviceName: service.name }
    if (use) return { state: 'used', ...base, answer: use.answer, at: use.at }
    if (token.expires_at.getTime() <= clock().getTime()) return { state: 'expired', ...base }
    return { state: 'valid', ...base }
  }

  /** When a listing next needs the job: a day, FRESHNESS_ESCALATED, or FRESHNESS_NONE when it is not public. */
  function nextDue(c: FreshnessCandidate, now: Date): string {
    if (!c.public) return FRESHNESS_NONE
    if (c.freshness.escalated_at) return FRESHNESS_ESCALATED
    const months = c.freshness.review_interval_months ?? settings.reviewMonths
    let at = c.assured_date ? addMonths(c.assured_date, months).getTime() : now.getTime()
    const last = c.freshness.last_reminder_at
    if (last && c.freshness.reminders_sent > 0) at = Math.max(at, last.getTime() + settings.reminderDays * DAY)
    return dayOf(new Date(Math.max(at, now.getTime())))
  }

  return {
    /** Sends due reminders and escalates listings whose reminders went unanswered. */
    async runReminders(now: Date): Promise<{ reminded: number; escalated: number }> {
      let reminded = 0
      const escalated: { id: string; name: string }[] = []
      const membersByOrg = new Map<string, string[]>()
      // Services written since the last run: when are they next due?
      for (const c of await listings.listFreshnessPending())
        await listings.setFreshnessDue(c.id, nextDue(c, now), c.write)
      for (const c of await listings.listFreshnessDue(dayOf(now))) {
        if (!c.public || c.write) continue
        const months = c.freshness.review_interval_months ?? settings.reviewMonths
        const due = !c.assured_date || addMonths(c.assured_date, months).getTime() <= now.getTime()
        if (!due || c.freshness.escalated_at) continue
        const last = c.freshness.last_reminder_at
        if (last && now.getTime() - last.getTime() < settings.reminderDays * DAY) continue
        if (c.freshness.reminders_sent < MAX_REMINDERS) {
          // Counted before sending: a failed send loses one reminder rather than sending two.
          const next = dayOf(new Date(now.getTime() + settings.reminderDays * DAY))
          await listings.listDueMonth(next.slice(0, 7))
          await directory.updateService(c.id, {
            'freshness.reminders_sent': c.freshness.reminders_sent + 1,
            'freshness.last_reminder_at': now,
            freshness_due: next.slice(0, 7),
            freshness_due_day: next,
          } as unknown as ServicePatch)
          const secret = await issueLink(c.id, c.organization_id, now)
          // One read of the organisation's members per run, however many of its listings are due.
          if (!membersByOrg.has(c.organization_id)) {
            membersByOrg.set(c.organization_id, await deps.memberEmails(c.organization_id))
          }
          const members = membersByOrg.get(c.organization_id)!
          const to = members.length > 0 ? members : c.email ? [c.email] : []
          await notifier.send('listing-check', to, {
            serviceName: c.name,
            reminder: c.freshness.reminders_sent + 1,
            reminders: MAX_REMINDERS,
            checkPath: pathFor(paths.listingCheck, { token: secret }),
            editPath: pathFor(paths.listingEdit, { serviceId: c.id }),
            linkDays: settings.linkDays,
          })
          reminded++
        } else {
          await directory.updateService(c.id, {
            'freshness.escalated_at': now,
            freshness_due: FRESHNESS_ESCALATED,
          } as unknown as ServicePatch)
          await deps.reindex(c.id)
          escalated.push({ id: c.id, name: c.name })
        }
      }
      if (escalated.length > 0) {
        await notifier.send('listings-not-checked', await deps.curatorEmails(), {
          count: escalated.length,
          one: escalated.length === 1,
          reminders: MAX_REMINDERS,
          listings: escalated.map((e) => ({
            name: e.name,
            path: pathFor(paths.adminListingHistory, { serviceId: e.id }),
          })),
        })
      }
      return { reminded, escalated: escalated.length }
    },

    tokenState,

    /** Uses a reminder link once. Returns the state after: 'used' with this answer, or the earlier use. */
    async answer(secret: string, answer: FreshnessAnswer): Promise<{ applied: boolean; state: TokenState }> {
      const before = await tokenState(secret)
      if (before.state !== 'valid') return { applied: false, state: before }
      const id = hashToken(secret)
      if (!(await listings.useToken(id, answer, clock()))) return { applied: false, state: await tokenState(secret) }
      const service = await directory.getService(before.serviceId)
      if (!service) throw new NotFoundError('This link is not valid')
      if (answer === 'accurate') {
        await deps.listingService.markChecked(service.id, 'vco_confirmed', null)
      } else {
        await directory.updateService(service.id, {
          status: answer === 'closed' ? 'inactive' : 'temporarily closed',
        })
        await deps.reindex(service.id)
        await deps.listingService.tellReferrers(service, answer === 'closed' ? 'has closed' : 'is temporarily closed')
        await notifier.send('listing-says-closed', await deps.curatorEmails(), {
          serviceName: service.name,
          what: answer === 'closed' ? 'closed' : 'temporarily closed',
          path: pathFor(paths.adminListingHistory, { serviceId: service.id }),
        })
      }
      await deps.audit.recordOn(null, 'listing.changed', 'service', service.id, null, {
        what: `freshness link: ${answer}`,
      })
      return { applied: true, state: await tokenState(secret) }
    },

    /** Listings flagged as not recently checked, for the curators' queue. */
    async overdueListings() {
      return listings.listEscalated()
    },
  }
}

export type FreshnessService = ReturnType<typeof createFreshnessService>
