// Scheduled work that runs exactly once across app instances. Each job has a lease document (leases collection,
// _id = job name) holding who runs it now and when it last finished. `runDueJobs(now)` is called on a timer by every
// instance; a job runs when its interval has passed since its last finished run, on the one instance whose
// conditional update takes the lease. A run missed while every instance was down is caught up on the next tick
// (once: a job does everything due up to `now`, so one run covers the gap).
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
}

export interface SchedulerDeps {
  leases: Pick<LeaseRepository, 'acquire' | 'release'>
  /** This instance's name in lease documents; a random one by default. */
  holder?: string
}

export function createScheduler(deps: SchedulerDeps) {
  const holder = deps.holder ?? `instance-${crypto.randomUUID()}`
  const jobs = new Map<string, ScheduledJob>()
  let running: Promise<JobOutcome[]> | null = null

  async function runJob(job: ScheduledJob, now: Date): Promise<JobOutcome> {
    const acquired = await deps.leases.acquire(job.name, holder, now, job.leaseMs ?? 5 * 60_000, {
      notRunSince: new Date(now.getTime() - job.everyMs),
    })
    if (!acquired) return { name: job.name, ran: false }
    try {
      const result = await job.run(now)
      await deps.leases.release(job.name, holder, { ranAt: now })
      return { name: job.name, ran: true, ok: true, result }
    } catch (error) {
      log.error({ err: error, job: job.name }, 'scheduled job failed')
      // Not marked as run: it is tried again on the next tick.
      await deps.leases.release(job.name, holder).catch(() => undefined)
      return { name: job.name, ran: true, ok: false }
    }
  }

  /** Runs every job that is due at `now` and not held by another instance. Never throws for a failing job. */
  async function runDueJobs(now: Date): Promise<JobOutcome[]> {
    const outcomes: JobOutcome[] = []
    for (const job of jobs.values()) {
      try {
        outcomes.push(await runJob(job, now))
      } catch (error) {
        log.warn({ err: error, job: job.name }, 'could not take a job lease')
        outcomes.push({ name: job.name, ran: false })
      }
    }
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
     * Calls runDueJobs on a timer (a first tick soon after start catches up missed runs; a tick is skipped while the
     * previous one still runs). Returns the interval, for clearInterval at shutdown.
     */
    start(everyMs: number, clock: () => Date = () => new Date()): NodeJS.Timeout {
      const tick = () => {
        if (running) return
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
