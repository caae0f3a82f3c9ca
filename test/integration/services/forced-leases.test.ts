// The scheduler's job leases under forced interleavings, not lucky timing: each race is made to happen by holding the
// instances at a chosen step (every one has read the lease before any claims it; one claims and then stalls before it
// writes the lease) until the others have reached theirs. The lease repository and the scheduler are the real ones
// over the real database; only their reads and writes of the lease documents are held, or made to fail.
//  - two instances ticking at once: a job runs once a period, also when one has read the lease before the other ran
//    and released it;
//  - a holder that crashed while running: its lease is taken over once it has run out, by one instance;
//  - a taker that claimed the lease and died before writing it: the claim is taken over once stale, and the taker,
//    if it was only slow, then finds the lease gone and does not run;
//  - a run longer than its lease: the holder renews it, so nobody else starts the job meanwhile;
//  - a lease the database fails to give: the job's outcome says so (and the log), not a race lost.
import { expect } from 'chai'
import { STALE_CLAIM_MS } from '../../../server/data/atomic'
import { createModels, type Models } from '../../../server/data/models'
import { createLeaseRepository } from '../../../server/data/repositories/lease.repository'
import { createScheduler } from '../../../server/services/scheduler'
import { barrier, type Barrier } from '../../helpers/barrier'
import { useTestDatabase } from '../../helpers/database'

const T0 = new Date('2026-03-02T09:00:00Z')
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const at = (ms: number) => new Date(T0.getTime() + ms)

interface Holds {
  /** After reading the lease document. */
  read?: Hold
  /** Before inserting a lease or a claim on it (the first write of taking a lease). */
  claim?: Barrier
  /** Before writing the lease after winning its claim. */
  write?: Hold
  /** Instead of inserting a claim: the database fails. */
  claimFails?: Error
  /** Instead of writing the lease after the claim: the process died (nothing more happens). */
  dieBeforeWrite?: boolean
}

/** Where a racer waits: a barrier, or a step of the test's own. */
type Hold = Barrier | (() => Promise<unknown>)

const pass = async (hold: Hold | undefined) => {
  if (!hold) return
  if (typeof hold === 'function') await hold()
  else await hold.arrive()
}

describe('Scheduler leases, forced', () => {
  const db = useTestDatabase('forced_leases')

  /** The real lease repository over the test database, with its lease reads and writes held as `holds` says. */
  function leasesWith(holds: Holds = {}) {
    const models = createModels(db.connection)
    const { Lease, LeaseClaim } = models
    const held = {
      ...models,
      Lease: {
        findById: (id: string) => ({
          async lean() {
            const doc = await Lease.findById(id).lean()
            await pass(holds.read)
            return doc
          },
        }),
        async create(doc: object) {
          await pass(holds.claim)
          return Lease.create(doc)
        },
        exists: (filter: object) => Lease.exists(filter),
        async updateOne(filter: object, update: object) {
          if ('generation' in filter) {
            await pass(holds.write)
            if (holds.dieBeforeWrite) return new Promise(() => undefined)
          }
          return Lease.updateOne(filter, update)
        },
      },
      LeaseClaim: {
        async create(doc: object) {
          await pass(holds.claim)
          if (holds.claimFails) throw holds.claimFails
          return LeaseClaim.create(doc)
        },
        exists: (filter: object) => LeaseClaim.exists(filter),
        findById: (id: string) => LeaseClaim.findById(id),
        deleteOne: (filter: object) => LeaseClaim.deleteOne(filter),
      },
    } as unknown as Models
    return createLeaseRepository(db.connection, held)
  }

  /** An instance of the scheduler with one job, `name`, every hour, recording which instance ran it. */
  function instance(holder: string, name: string, runs: string[], holds: Holds = {}, job: { leaseMs?: number } = {}) {
    const scheduler = createScheduler({ leases: leasesWith(holds), holder })
    scheduler.register({ name, everyMs: HOUR, ...job, run: async () => runs.push(holder) })
    return scheduler
  }

  it('runs a job once a period on two instances that both read the lease before either takes it', async () => {
    const runs: string[] = []
    for (const [i, now] of [T0, at(HOUR), at(2 * HOUR)].entries()) {
      // The first period creates the lease; the others take an expired one. Both instances read it, then both
      // insert (the lease, or the claim on its next generation) at once.
      const read = barrier(2)
      const claim = barrier(2)
      const [a, b] = [instance('a', 'hourly', runs, { read, claim }), instance('b', 'hourly', runs, { read, claim })]
      const outcomes = await Promise.all([a.runDueJobs(now), b.runDueJobs(now)])
      expect(read.reached && claim.reached, `period ${i}: both read, then both claimed`).to.equal(true)
      expect(runs, `period ${i}`).to.have.length(i + 1)
      expect(outcomes.flat().filter((o) => o.error)).to.deep.equal([])
      // Again within the period: nobody runs it.
      await Promise.all([
        a.runDueJobs(new Date(now.getTime() + MINUTE)),
        b.runDueJobs(new Date(now.getTime() + 59 * MINUTE)),
      ])
      expect(runs, `period ${i}, ticked again`).to.have.length(i + 1)
    }
  })

  it('does not run a job again for an instance that read the lease before another ran the job and released it', async () => {
    const runs: string[] = []
    await instance('first', 'released', runs).runDueJobs(T0)
    const now = at(HOUR)
    // b reads the lease (expired and due), then waits until a has taken it, run the job and given it back.
    let aDone!: () => void
    const aFinished = new Promise<void>((resolve) => (aDone = resolve))
    let bRead!: () => void
    const bHasRead = new Promise<void>((resolve) => (bRead = resolve))
    const b = instance('b', 'released', runs, {
      read: async () => {
        bRead()
        await aFinished
      },
    })
    const bOutcome = b.runDueJobs(now)
    await bHasRead
    const aOutcome = await instance('a', 'released', runs).runDueJobs(now)
    aDone()
    expect(aOutcome).to.deep.equal([{ name: 'released', ran: true, ok: true, result: 2 }])
    expect(await bOutcome).to.deep.equal([{ name: 'released', ran: false }])
    expect(runs).to.deep.equal(['first', 'a'])
  })

  it('takes over the lease of a holder that crashed while running, once the lease has run out, on one instance', async () => {
    const runs: string[] = []
    const leases = createLeaseRepository(db.connection)
    // The holder took the lease for its run and died: it neither finishes nor renews.
    expect(await leases.acquire('crashed', 'dead', T0, 10 * MINUTE)).to.equal(true)
    await Promise.all([instance('a', 'crashed', runs).runDueJobs(at(9 * MINUTE))])
    expect(runs, 'not while the lease lasts').to.deep.equal([])
    const read = barrier(2)
    const claim = barrier(2)
    const outcomes = await Promise.all([
      instance('a', 'crashed', runs, { read, claim }).runDueJobs(at(10 * MINUTE + 1)),
      instance('b', 'crashed', runs, { read, claim }).runDueJobs(at(10 * MINUTE + 1)),
    ])
    expect(read.reached && claim.reached).to.equal(true)
    expect(runs).to.have.length(1)
    expect(
      outcomes
        .flat()
        .map((o) => o.ran)
        .sort(),
    ).to.deep.equal([false, true])
    expect((await leases.get('crashed'))?.lastRunAt?.toISOString()).to.equal(at(10 * MINUTE + 1).toISOString())
  })

  it('takes over a claim whose taker died before writing the lease, once the claim is stale', async () => {
    const runs: string[] = []
    await instance('first', 'stalled', runs).runDueJobs(T0)
    const now = at(HOUR)
    // a claims the lease's next generation and dies before writing the lease.
    void instance('a', 'stalled', runs, { dieBeforeWrite: true }).runDueJobs(now)
    await claimed('stalled#2')
    // Not while the claim is fresh: a may still be about to write.
    expect(await instance('b', 'stalled', runs).runDueJobs(at(HOUR + 1_000))).to.deep.equal([
      { name: 'stalled', ran: false },
    ])
    const late = new Date(now.getTime() + STALE_CLAIM_MS + 1)
    expect(await instance('b', 'stalled', runs).runDueJobs(late)).to.deep.equal([
      { name: 'stalled', ran: true, ok: true, result: 2 },
    ])
    expect(runs).to.deep.equal(['first', 'b'])
    expect(await createLeaseRepository(db.connection).get('stalled')).to.include({ generation: 2, holder: null })
  })

  it('does not run for a taker that was only slow: its claim was taken over before it wrote the lease', async () => {
    const runs: string[] = []
    await instance('first', 'slow', runs).runDueJobs(T0)
    let resume!: () => void
    const resumed = new Promise<void>((resolve) => (resume = resolve))
    // a claims, then stalls before writing the lease until b has taken the stale claim over and run the job.
    const slow = instance('a', 'slow', runs, { write: () => resumed }).runDueJobs(at(HOUR))
    await claimed('slow#2')
    const taken = await instance('b', 'slow', runs).runDueJobs(new Date(at(HOUR).getTime() + STALE_CLAIM_MS + 1))
    expect(taken).to.deep.equal([{ name: 'slow', ran: true, ok: true, result: 2 }])
    resume()
    expect(await slow).to.deep.equal([{ name: 'slow', ran: false }])
    expect(runs).to.deep.equal(['first', 'b'])
  })

  it('renews the lease of a run longer than the lease, so no other instance starts the job meanwhile', async () => {
    const runs: string[] = []
    const leaseMs = 3_000
    const real = createLeaseRepository(db.connection)
    let renewed = 0
    let twice!: () => void
    const renewedTwice = new Promise<void>((resolve) => (twice = resolve))
    let finish!: () => void
    const finished = new Promise<void>((resolve) => (finish = resolve))
    const long = createScheduler({
      holder: 'long',
      leases: {
        ...real,
        async renew(...args: Parameters<typeof real.renew>) {
          const kept = await real.renew(...args)
          if (kept && ++renewed === 2) twice()
          return kept
        },
      },
    })
    long.register({
      name: 'long-run',
      everyMs: HOUR,
      leaseMs,
      run: async () => {
        runs.push('long')
        await finished
      },
    })
    const running = long.runDueJobs(T0)
    await renewedTwice
    // Past the lease as first taken (T0 + 3 s), inside the renewed one (at least T0 + 2 × 1 s + 3 s).
    expect(await instance('other', 'long-run', runs, {}, { leaseMs }).runDueJobs(at(leaseMs + 100))).to.deep.equal([
      { name: 'long-run', ran: false },
    ])
    finish()
    expect((await running)[0]).to.include({ name: 'long-run', ran: true, ok: true })
    expect(runs).to.deep.equal(['long'])
  })

  it('reports a lease the database failed to give as an error, not as a race lost to another instance', async () => {
    const runs: string[] = []
    await instance('first', 'failing', runs).runDueJobs(T0)
    const failure = new Error('connection reset by the database')
    const leases = leasesWith({ claimFails: failure })
    let thrown: unknown
    await leases.acquire('failing', 'a', at(HOUR), MINUTE).catch((error: unknown) => (thrown = error))
    expect(thrown, 'the repository throws').to.equal(failure)
    const outcomes = await instance('a', 'failing', runs, { claimFails: failure }).runDueJobs(at(HOUR))
    expect(outcomes).to.deep.equal([{ name: 'failing', ran: false, ok: false, error: 'lease' }])
    // A race really lost is still a plain "not run".
    const held = createLeaseRepository(db.connection)
    expect(await held.acquire('failing', 'someone-else', at(HOUR), HOUR)).to.equal(true)
    expect(await instance('b', 'failing', runs).runDueJobs(at(HOUR + MINUTE))).to.deep.equal([
      { name: 'failing', ran: false },
    ])
    expect(runs).to.deep.equal(['first'])
  })

  /** Waits until a racer running in the background has inserted the claim `id`. */
  async function claimed(id: string): Promise<void> {
    const claims = db.connection.collection('lease_claims')
    for (let i = 0; i < 400; i++) {
      if (await claims.countDocuments({ _id: id as never })) return
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    throw new Error(`${id} was never claimed`)
  }
})
