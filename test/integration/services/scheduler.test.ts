import { expect } from 'chai'
import { createLeaseRepository, type LeaseRepository } from '../../../server/data/repositories/lease.repository'
import { createScheduler } from '../../../server/services/scheduler'
import { useTestDatabase } from '../../helpers/database'

const T0 = new Date('2026-03-02T09:00:00Z')
const MINUTE = 60_000
const HOUR = 60 * MINUTE

function at(ms: number): Date {
  return new Date(T0.getTime() + ms)
}

describe('LeaseRepository', () => {
  const db = useTestDatabase('lease.repository')
  let leases: LeaseRepository

  before(() => {
    leases = createLeaseRepository(db.connection)
  })

  describe('acquire', () => {
    it('gives a new lease to exactly one of several instances racing for it', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => leases.acquire('race-new', `instance-${i}`, T0, MINUTE)),
      )
      expect(results.filter(Boolean)).to.have.length(1)
      const stored = await leases.get('race-new')
      expect(stored?.holder).to.equal(`instance-${results.indexOf(true)}`)
    })

    it('gives an expired lease to exactly one of several instances racing for it, round after round', async () => {
      await leases.acquire('race-expired', 'old', T0, MINUTE)
      for (let round = 1; round <= 10; round++) {
        const now = at(round * 2 * MINUTE)
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => leases.acquire('race-expired', `instance-${i}`, now, MINUTE)),
        )
        expect(results.filter(Boolean), `round ${round}`).to.have.length(1)
      }
    })

    it('refuses a lease that another holder still holds, and grants it once released', async () => {
      expect(await leases.acquire('held', 'a', T0, HOUR)).to.equal(true)
      expect(await leases.acquire('held', 'b', at(MINUTE), HOUR)).to.equal(false)
      await leases.release('held', 'a')
      expect(await leases.acquire('held', 'b', at(MINUTE), HOUR)).to.equal(true)
    })

    it('refuses a lease that is not due yet when asked for a job not run since a time', async () => {
      await leases.acquire('due', 'a', T0, MINUTE)
      await leases.release('due', 'a', { ranAt: T0 })
      expect(
        await leases.acquire('due', 'b', at(30 * MINUTE), MINUTE, { notRunSince: at(-HOUR + 30 * MINUTE) }),
      ).to.equal(false)
      expect(await leases.acquire('due', 'b', at(HOUR), MINUTE, { notRunSince: T0 })).to.equal(true)
    })
  })

  describe('renew', () => {
    it('extends a held lease and refuses once another instance has taken it over', async () => {
      await leases.acquire('renew', 'a', T0, MINUTE)
      expect(await leases.renew('renew', 'a', at(30_000), MINUTE)).to.equal(true)
      expect(await leases.acquire('renew', 'b', at(2 * MINUTE), MINUTE)).to.equal(true)
      expect(await leases.renew('renew', 'a', at(2 * MINUTE), MINUTE)).to.equal(false)
    })
  })
})

describe('Scheduler', () => {
  const db = useTestDatabase('scheduler')

  describe('idle', () => {
    it('waits for the job running on a tick to end, and starts no tick after it', async () => {
      const leases = createLeaseRepository(db.connection)
      const scheduler = createScheduler({ leases, holder: 'shutting-down' })
      let finish: () => void = () => undefined
      const started = new Promise<void>((resolve) => {
        scheduler.register({
          name: 'slow',
          everyMs: 10,
          run: () =>
            new Promise<void>((done) => {
              finish = done
              resolve()
            }),
        })
      })
      const timer = scheduler.start(20, () => new Date())
      await started
      let idle = false
      const waiting = scheduler.idle(10_000).then(() => (idle = true))
      await new Promise((r) => setTimeout(r, 50))
      expect(idle, 'still running').to.equal(false)
      finish()
      await waiting
      expect(idle).to.equal(true)
      let again = false
      scheduler.register({ name: 'after', everyMs: 10, run: async () => void (again = true) })
      await new Promise((r) => setTimeout(r, 100))
      clearInterval(timer)
      expect(again, 'no tick after idle').to.equal(false)
    })
  })

  describe('runDueJobs', () => {
    it('runs each due job on exactly one of several instances ticking at the same moment', async () => {
      const leases = createLeaseRepository(db.connection)
      const runs: string[] = []
      const instances = Array.from({ length: 4 }, (_, i) => {
        const scheduler = createScheduler({ leases, holder: `instance-${i}` })
        scheduler.register({ name: 'reminders', everyMs: HOUR, run: async () => runs.push(`instance-${i}`) })
        return scheduler
      })
      await Promise.all(instances.map((s) => s.runDueJobs(T0)))
      expect(runs).to.have.length(1)
      await Promise.all(instances.map((s) => s.runDueJobs(at(10 * MINUTE))))
      expect(runs, 'not due again within the hour').to.have.length(1)
      await Promise.all(instances.map((s) => s.runDueJobs(at(HOUR))))
      expect(runs).to.have.length(2)
    })

    it('catches up a missed run once, with the time of the tick, after the instances were down', async () => {
      const leases = createLeaseRepository(db.connection)
      const seen: Date[] = []
      const scheduler = createScheduler({ leases, holder: 'one' })
      scheduler.register({ name: 'escalations', everyMs: HOUR, run: async (now) => seen.push(now) })
      await scheduler.runDueJobs(T0)
      // Down for a day: a fresh instance starts and ticks.
      const restarted = createScheduler({ leases, holder: 'two' })
      restarted.register({ name: 'escalations', everyMs: HOUR, run: async (now) => seen.push(now) })
      await restarted.runDueJobs(at(24 * HOUR))
      await restarted.runDueJobs(at(24 * HOUR + MINUTE))
      expect(seen.map((d) => d.toISOString())).to.deep.equal([T0.toISOString(), at(24 * HOUR).toISOString()])
      expect((await leases.get('escalations'))?.lastRunAt?.toISOString()).to.equal(at(24 * HOUR).toISOString())
    })

    it('tries a failed run again on the next tick and keeps running the other jobs', async () => {
      const leases = createLeaseRepository(db.connection)
      const scheduler = createScheduler({ leases, holder: 'one' })
      let attempts = 0
      let other = 0
      scheduler.register({
        name: 'flaky',
        everyMs: HOUR,
        run: async () => {
          attempts++
          if (attempts === 1) throw new Error('first run fails')
        },
      })
      scheduler.register({ name: 'steady', everyMs: HOUR, run: async () => other++ })
      const first = await scheduler.runDueJobs(T0)
      expect(first.map((o) => [o.name, o.ran, o.ok])).to.deep.equal([
        ['flaky', true, false],
        ['steady', true, true],
      ])
      await scheduler.runDueJobs(at(MINUTE))
      expect(attempts).to.equal(2)
      expect(other).to.equal(1)
    })

    it('does not start a job whose lease another instance holds for a long run', async () => {
      const leases = createLeaseRepository(db.connection)
      await leases.acquire('long', 'someone-else', T0, HOUR)
      let ran = 0
      const scheduler = createScheduler({ leases, holder: 'me' })
      scheduler.register({ name: 'long', everyMs: MINUTE, run: async () => ran++ })
      await scheduler.runDueJobs(at(5 * MINUTE))
      expect(ran).to.equal(0)
      await scheduler.runDueJobs(at(HOUR + MINUTE))
      expect(ran).to.equal(1)
    })
  })
})
