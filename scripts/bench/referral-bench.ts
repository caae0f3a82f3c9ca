// Referral submit latency on the real services and database: 200 submissions at once (distinct ones and retries of
// them, as in the reliability test), then one at a time. Service-level (no HTTP), so the figure is the referral's own
// cost: an _id lookup, the service and person reads, a consent claim when needed, the insert, the audit event and the
// email to the VCO (the database outbox here).
// Called from scripts/bench.ts; also runnable alone: npx tsx scripts/bench/referral-bench.ts <mongodb uri>
import { loadConfig } from '../../server/config'
import { createServices } from '../../server/container'
import { connect, wrapConnection } from '../../server/data/db'
import { nameUuid } from '../../server/domain/ids'
import { createSearchIndex } from '../../server/data/search/create-search-index'
import { DEMO_USERS } from '../../server/services/demo-accounts'
import { DEMO_PEOPLE, DEMO_REFERRALS } from '../../server/services/demo-referrals'
import type { SessionUser } from '../../server/domain/roles'
import { percentile, round, submission } from './figures'

export async function benchReferralSubmit(
  uri: string,
  options: { concurrent?: number; distinct?: number; sequential?: number; postgresUrl?: string } = {},
) {
  const concurrent = options.concurrent ?? 200
  const distinct = options.distinct ?? 80
  const sequential = options.sequential ?? 50
  const connection = await connect(uri, `bench_referrals_${Date.now()}`)
  try {
    // With the embedded engine's GIN indexes, as an app makes them at start (without, every _id lookup scans).
    const db = wrapConnection(connection, { postgresUrl: options.postgresUrl })
    await db.ensureIndexes()
    const services = createServices({
      config: loadConfig({ NODE_ENV: 'test', DEMO: 'true', LOG_LEVEL: 'silent' }),
      db,
      search: createSearchIndex({}),
    })
    await services.startup()
    const u = DEMO_USERS.find((d) => d.key === 'link-worker')!
    const actor: SessionUser = {
      id: nameUuid('demo:user:link-worker'),
      email: u.email,
      name: u.name,
      roles: [...u.roles],
      memberships: u.memberships.map((m) => ({ ...m })),
      sessionVersion: 0,
    }
    const serviceId = (await services.referrals.get(actor, DEMO_REFERRALS.new, null)).referral.serviceId
    const people = Object.values(DEMO_PEOPLE)
    const input = (i: number) => submission(serviceId, people[i % people.length]!, `bench-${i}`)
    const timed = async (fn: () => Promise<unknown>) => {
      const started = performance.now()
      await fn()
      return performance.now() - started
    }

    const firsts = Array.from({ length: distinct }, (_, i) => input(i))
    const batch = [...firsts, ...Array.from({ length: concurrent - distinct }, (_, i) => firsts[(i * 7) % distinct]!)]
    const wallStarted = performance.now()
    const concurrentMs = (
      await Promise.all(batch.map((b) => timed(() => services.referrals.submit(actor, b, null))))
    ).sort((a, b) => a - b)
    const wallMs = performance.now() - wallStarted
    // Counted in the database: the team's list is paged, so it shows only the newest page of them.
    const stored = await connection.collection('referrals').countDocuments({ note: { $in: firsts.map((f) => f.note) } })

    const sequentialMs: number[] = []
    for (let i = 0; i < sequential; i++) {
      sequentialMs.push(await timed(() => services.referrals.submit(actor, input(distinct + i), null)))
    }
    sequentialMs.sort((a, b) => a - b)
    return {
      submissions: concurrent,
      distinct,
      storedDistinct: stored,
      submitP50Ms: round(percentile(concurrentMs, 50)),
      submitP95Ms: round(percentile(concurrentMs, 95)),
      submitMaxMs: round(concurrentMs.at(-1)!),
      concurrentWallMs: Math.round(wallMs),
      sequential: {
        submissions: sequential,
        p50Ms: round(percentile(sequentialMs, 50)),
        p95Ms: round(percentile(sequentialMs, 95)),
      },
    }
  } finally {
    await connection.dropDatabase().catch(() => undefined)
    await connection.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const uri = process.argv[2]
  if (!uri) throw new Error('usage: npx tsx scripts/bench/referral-bench.ts <mongodb uri>')
  process.stdout.write(`${JSON.stringify(await benchReferralSubmit(uri), null, 2)}\n`)
}
