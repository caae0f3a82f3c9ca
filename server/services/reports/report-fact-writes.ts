// Keeps each referral's and signposting's report fact in step with it: after any write to the record, its fact is
// worked out afresh and upserted, in the background. Writes for one record run one after another (each reads the
// record afresh), so an older fact never lands after a newer one. A failure is logged with the record's id only and
// never fails the user's action; a rebuild repairs it.
import type { FactPersonRecord, ReportFactRepository } from '../../data/repositories/report-fact.repository'
import { createLogger } from '../../logger'
import { createBackgroundWrites } from '../background-writes'
import type { ReportFactStore } from './report-fact-store'
import { toReportFact, toSignpostingFact, type ReportFact } from './report-facts'

const log = createLogger('reports')

export function createReportFactWrites(deps: {
  repo: ReportFactRepository
  store: ReportFactStore
  refreshMs: number
  clock: () => Date
}) {
  const { repo, store, clock } = deps

  /**
   * A person's equality fields and practice, kept for refreshMs: a referral's every step rewrites its fact, and the
   * clock job steps through many referrals at once, so this saves a read per write.
   */
  const people = new Map<string, { at: number; person: FactPersonRecord | null }>()
  async function personOf(id: string): Promise<FactPersonRecord | null> {
    const now = clock().getTime()
    const known = people.get(id)
    if (known && now - known.at < deps.refreshMs) return known.person
    const person = await repo.getPerson(id)
    if (people.size > 10_000) people.clear()
    people.set(id, { at: now, person })
    return person
  }

  async function save(fact: ReportFact): Promise<void> {
    await repo.upsert(fact)
    store.remember(fact)
  }

  async function writeReferralFact(id: string): Promise<void> {
    try {
      const referral = await repo.getReferral(id)
      if (!referral) return
      const person = await personOf(referral.personId)
      if (!store.practices().length || (referral.practiceId && !store.practiceOf(referral.practiceId)))
        await store.readPractices()
      await save(toReportFact(referral, person, store.practiceOf(referral.practiceId), clock()))
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.name : 'error', referralId: id }, 'report fact not written')
    }
  }

  async function writeSignpostingFact(id: string, names: { teamName?: string; organisationName?: string }) {
    try {
      const signposting = await repo.getSignposting(id)
      if (!signposting) return
      const person = await personOf(signposting.personId)
      await save(
        toSignpostingFact({ ...signposting, ...names }, person, store.practiceOf(person?.practiceId ?? null), clock()),
      )
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.name : 'error', signpostingId: id }, 'report fact not written')
    }
  }

  // Not awaited by the user's request (they tripled a submit's time); readers wait for those still pending, so a
  // report made here always includes this process's own writes.
  const writes = createBackgroundWrites()
  return {
    /** Resolves when every fact write started so far has ended. */
    settled: () => writes.settled(),
    referralChanged(id: string): void {
      writes.start(() => writeReferralFact(id), id)
    },
    signpostingChanged(id: string, names: { teamName?: string; organisationName?: string }): void {
      writes.start(() => writeSignpostingFact(id, names), id)
    },
  }
}
