// Scheduled work that runs exactly once across app instances. Each job has a lease document (leases collection,
// _id = job name) holding who runs it now and when it last finished. `runDueJobs(now)` is called on a timer by every
// instance; a job runs when its interval has passed since its last finished run, on the one instance whose claim
// takes the lease (lease.repository.ts), which renews it while the job runs; a crashed holder's lease runs out and
// another instance takes it. A run missed while every instance was down is caught up on the next tick (once: a job
// does everything due up to `now`, so one run covers the gap). A lease the database fails to give is an error in
// the job's outcome and the log, never taken for a race lost to another instance.
import crypto from 'node:crypto'
import type { LeaseRepository } from '../data/repositories/lease.repository'
import { createLogger } from '../logger'

const log = createLogger('scheduler')

export interface ScheduledJob {
  /** Unique, stable: the lease document's _id. */
  name: string
  /** Run again once this long has passed since the last finished run. */
  everyMs: number
  /** How long one run may hold the lease before another instance may take over (default 5 minutes). */
  leaseMs?: number
  run: (now: Date) => Promise<unknown>
}

export interface JobOutcome {
  name: string
  ran: boolean
  ok?: boolean
  result?: unknown
  /** What failed: the job itself, or taking or giving back its lease (a database error, never a lost race). */
  error?: 'job' | 'lease'
}

export interface SchedulerDeps {
  leases: Pick<LeaseRepository, 'acquire' | 'renew' | 'release'>
  /** This instance's name in lease documents; a random one by default. */
  holder?: string
}

export const DEFAULT_LEASE_MS = 5 * 60_000

export function createScheduler(deps: SchedulerDeps) {
  const holder = deps.holder ?? `instance-${crypto.randomUUID()}`
  const jobs = new Map<string, ScheduledJob>()
  let running: Promise<JobOutcome[]> | null = null
  /** Set by `idle` at shutdown: no tick starts after it. */
  let stopped = false

  /**
   * Renews the lease every third of its length while the job runs, so a run longer than its lease is not taken over
   * by another instance (a crashed holder stops renewing, and its lease runs out). Times are `now` plus the time
   * the run has taken, on the clock the tick was given.
   */
  function keepLease(job: ScheduledJob, now: Date, leaseMs: number): () => void {
    const started = Date.now()
    const timer = setInterval(() => {
      const at = new Date(now.getTime() + (Date.now() - started))
      deps.leases.renew(job.name, holder, at, leaseMs).then(
        (kept) => {
          if (!kept) log.warn({ job: job.name }, 'a job outlived its lease, which another instance may take')
        },
        (error: unknown) => log.error({ err: error, job: job.name }, 'could not renew a job lease'),
      )
    }, leaseMs / 3)
    timer.unref()
    return () => clearInterval(timer)
  }

  async function runJob(job: ScheduledJob, now: Date): Promise<JobOutcome> {
    const leaseMs = job.leaseMs ?? DEFAULT_LEASE_MS
    let acquired: boolean
    try {
      acquired = await deps.leases.acquire(job.name, holder, now, leaseMs, {
        notRunSince: new Date(now.getTime() - job.everyMs),
      })
    } catch (error) {
      // Not a lost race: the database failed. Said as an error, and the job is tried again on the next tick.
      log.error({ err: error, job: job.name }, 'could not take a job lease')
      return { name: job.name, ran: false, ok: false, error: 'lease' }
    }
    if (!acquired) return { name: job.name, ran: false }
    const stopKeeping = keepLease(job, now, leaseMs)
    let outcome: JobOutcome
    try {
      outcome = { name: job.name, ran: true, ok: true, result: await job.run(now) }
    } catch (error) {
      log.error({ err: error, job: job.name }, 'scheduled job failed')
      outcome = { name: job.name, ran: true, ok: false, error: 'job' }
    } finally {
      stopKeeping()
    }
    try {
      // A failed run is not marked as run: it is tried again on the next tick.
      await deps.leases.release(job.name, holder, outcome.ok ? { ranAt: now } : {})
    } catch (error) {
      // The lease runs out by itself; until then the job is not run, and without its finish recorded it runs again.
      log.error({ err: error, job: job.name }, 'could not release a job lease')
      return { ...outcome, ok: false, error: outcome.error ?? 'lease' }
    }
    return outcome
  }

  /** Runs every job that is due at `now` and not held by another instance. Never throws for a failing job. */
  async function runDueJobs(now: Date): Promise<JobOutcome[]> {
    const outcomes: JobOutcome[] = []
    for (const job of jobs.values()) outcomes.push(await runJob(job, now))
    return outcomes
  }

  return {
    holder,

    register(job: ScheduledJob): void {
      if (jobs.has(job.name)) throw new Error(`A job named ${job.name} is already registered`)
      jobs.set(job.name, job)
    },

    jobNames(): string[] {
      return [...jobs.keys()]
    },

    runDueJobs,

    /**
     * Resolves once the tick running now (if any) has ended, or after `withinMs`: shutdown waits for a job before it
     * closes the database under it (a job cut off so logged errors and left its lease to run out).
     */
    async idle(withinMs: number): Promise<void> {
      stopped = true
      if (!running) return
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        running.then(
          () => undefined,
          () => undefined,
        ),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs))),
      ])
      clearTimeout(timer)
    },

    /**
     * Calls runDueJobs on a timer (a first tick soon after start catches up missed runs; a tick is skipped while the
     * previous one still runs). Returns the interval, for clearInterval at shutdown.
     */
    start(everyMs: number, clock: () => Date = () => new Date()): NodeJS.Timeout {
      const tick = () => {
        if (running || stopped) return
        running = runDueJobs(clock())
        void running.finally(() => (running = null))
      }
      setTimeout(tick, 1_000).unref()
      const timer = setInterval(tick, everyMs)
      timer.unref()
      return timer
    },
  }
}

export type Scheduler = ReturnType<typeof createScheduler>
