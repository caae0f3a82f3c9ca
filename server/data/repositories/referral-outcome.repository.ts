// Outcomes live on the referral document under `outcome` and `measures`. This repository reads what outcome pages
// need and writes only those two fields, each write guarded by the referral's version and raising it (as every
// referral change does), so it never overwrites a transition. A write claims the referral's next version with the same
// key a status change claims (atomic.ts): of an outcome save and a transition racing for one version, exactly one
// wins and the other is told. Reads are _id lookups, a person's referrals, a practice's referrals a month at a
// time (month-pages.ts), or a service's referrals.
import type { Connection } from 'mongoose'
import { createLogger } from '../../logger'
import { createModels, type Models } from '../models'
import { findRecord, findRecords } from './records'
import { versionedUpdate } from '../atomic'
import type { GpFilterFlags } from '../../domain/gp-filters'
import type { OutcomeSource } from '../../domain/referral-records'
import { monthPagesFor, PER_PAGE, type Page } from './month-pages'
import { refreshDerived, type WriteHook } from './referral.repository'

const log = createLogger('referrals-data')

type Doc = Record<string, unknown> & { _id: unknown }

/** What outcome pages read of a referral: no event history, no messages. */
const PROJECTION = { events: 0, messages: 0 } as const

export interface OutcomeReferral extends OutcomeSource {
  version: number
  teamId: string
  organisationId: string
  /** Who referred (absent on records made before referrers were kept). */
  referrer?: { email: string }
  shared: { name: string; email: string | null; phone: string | null }
  needs: string[]
  sessions: { date: string; attended: boolean }[]
  tasks: { kind: string }[]
  contactAttempts: unknown[]
}

export interface OutcomePerson {
  id: string
  givenName: string
  familyName: string
  dateOfBirth: string
  nhsNumber: string | null
  practiceId: string | null
  practiceName: string | null
  practiceOdsCode: string | null
  whatMatters: string
}

function toReferral(doc: Doc): OutcomeReferral {
  const { _id, ...rest } = doc
  const r = rest as unknown as OutcomeReferral
  return {
    ...r,
    id: String(_id),
    sessions: r.sessions ?? [],
    tasks: r.tasks ?? [],
    contactAttempts: r.contactAttempts ?? [],
    measures: r.measures ?? [],
    outcome: r.outcome ?? null,
  }
}

export function createReferralOutcomeRepository(
  connection: Connection,
  models: Models = createModels(connection),
  /** Told after every saved outcome; it must not throw. */
  onWrite: WriteHook = () => undefined,
) {
  const referrals = () => connection.collection<Doc>('referrals')
  const months = monthPagesFor(connection, models)
  return {
    async get(id: string): Promise<OutcomeReferral | null> {
      const doc = await referrals().findOne({ _id: id } as never, { projection: PROJECTION })
      return doc ? toReferral(doc) : null
    },

    /**
     * One page of the referrals a practice may see (the person agreed to feedback to their GP), newest first,
     * optionally only those a GP filter flag marks (domain/gp-filters.ts), selected by that flag's equality.
     */
    async pageByPractice(
      practiceId: string,
      page: number,
      perPage = PER_PAGE,
      flag?: keyof GpFilterFlags,
    ): Promise<Page<OutcomeReferral>> {
      const result = await months.page<Doc>({
        model: models.Referral,
        scope: { practiceId, gpFeedbackConsent: true },
        volatile: flag ? { [flag]: true } : undefined,
        projection: PROJECTION,
        order: 'submittedAt',
        page,
        perPage,
      })
      return { ...result, items: result.items.map(toReferral) }
    },

    /** A person's referrals, newest first (a handful). */
    async listByPerson(personId: string): Promise<OutcomeReferral[]> {
      const docs = await referrals()
        .find({ personId } as never, { projection: PROJECTION })
        .toArray()
      return docs.map(toReferral).sort((a, b) => new Date(b.submittedAt).getTime() - new Date(a.submittedAt).getTime())
    },

    async listByService(serviceId: string): Promise<OutcomeReferral[]> {
      const docs = await referrals()
        .find({ serviceId } as never, { projection: { ...PROJECTION, shared: 0, note: 0 } })
        .toArray()
      return docs.map(toReferral)
    },

    async getPerson(id: string): Promise<OutcomePerson | null> {
      return findRecord<OutcomePerson>(models.Person, id)
    },

    /** These people (a page's), in the order given; missing ones left out. */
    async getPeople(ids: readonly string[]): Promise<OutcomePerson[]> {
      return findRecords<OutcomePerson>(connection, models.Person, ids)
    },

    /** Replaces `outcome` and appends measures, only if the referral is still at `version`. */
    /** `attention`: an item for the referring team's worklist, saved in the same update. */
    async saveOutcome(
      id: string,
      version: number,
      outcome: unknown,
      measures: unknown[] = [],
      attention?: unknown,
    ): Promise<boolean> {
      const set: Record<string, unknown> = { outcome }
      const push: Record<string, unknown> = {}
      if (measures.length) push.measures = { $each: measures }
      if (attention) {
        set.referrerAttention = true
        push.attention = attention
      }
      const change: Record<string, unknown> = { $set: set, $inc: { version: 1 } }
      if (Object.keys(push).length) change.$push = push
      const saved = await versionedUpdate(models, referrals(), {
        id,
        claimKey: `referral:${id}`,
        version,
        guard: { version },
        update: change,
      })
      if (saved) {
        await refreshDerived(connection, months, id).catch((error: unknown) =>
          log.warn(
            { err: error instanceof Error ? error.name : 'error', referralId: id },
            'derived fields not refreshed',
          ),
        )
        onWrite({ kind: 'referral', id })
      }
      return saved
    },
  }
}

export type ReferralOutcomeRepository = ReturnType<typeof createReferralOutcomeRepository>
