// Every job the app runs on a timer, in one list. The scheduler runs each on one instance at a time (a lease in the
// database), so a job may assume nobody else runs it at the same moment.
import type { Scheduler } from './scheduler'

type Run = (now: Date) => Promise<unknown>

export function registerJobs(
  scheduler: Pick<Scheduler, 'register'>,
  jobs: {
    referralClockEveryMs: number
    referralClocks: Run
    removeSpentClaims: Run
    removeExpiredSessions: Run
    removeOldSignInAttempts: Run
    listingFreshness: Run
  },
): void {
  // Overdue flags and emails, and unanswered referrals returned to the referrer. Each email is also claimed on the
  // referral's next version, so it goes once even if two runs overlap.
  scheduler.register({ name: 'referral-clocks', everyMs: jobs.referralClockEveryMs, run: jobs.referralClocks })
  scheduler.register({ name: 'claim-cleanup', everyMs: 60 * 60_000, run: jobs.removeSpentClaims })
  scheduler.register({ name: 'session-cleanup', everyMs: 15 * 60_000, run: jobs.removeExpiredSessions })
  scheduler.register({ name: 'auth-attempt-cleanup', everyMs: 15 * 60_000, run: jobs.removeOldSignInAttempts })
  // A run over a large directory can take minutes (one email at a time): a long lease keeps it on one instance.
  scheduler.register({
    name: 'listing-freshness',
    everyMs: 60 * 60_000,
    leaseMs: 55 * 60_000,
    run: jobs.listingFreshness,
  })
}
