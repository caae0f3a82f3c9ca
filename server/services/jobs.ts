// Every job the app runs on a timer, in one list. The scheduler runs each on one instance at a time (a lease in the
// database), so a job may assume nobody else runs it at the same moment.
import { removeSpentClaims } from '../data/atomic'
import { removeExpiredSessions } from '../data/session-store'
import type { AccountService } from './account.service'
import type { FreshnessService } from './listing-freshness.service'
import type { ReferralService } from './referral.service'
import type { Scheduler } from './scheduler'

export function registerJobs(
  scheduler: Pick<Scheduler, 'register'>,
  deps: {
    referralClockEveryMs: number
    referrals: Pick<ReferralService, 'runClockSweep'>
    accounts: Pick<AccountService, 'removeOldAttempts'>
    freshness: Pick<FreshnessService, 'runReminders'>
    /** What the claim cleanup reads: the claims collection's model. */
    models: Parameters<typeof removeSpentClaims>[0]
    /** The database connection the session store writes through. */
    connection: Parameters<typeof removeExpiredSessions>[0]
  },
): void {
  // Overdue flags and emails, and unanswered referrals returned to the referrer. Each email is also claimed on the
  // referral's next version, so it goes once even if two runs overlap.
  scheduler.register({
    name: 'referral-clocks',
    everyMs: deps.referralClockEveryMs,
    run: (now) => deps.referrals.runClockSweep(now),
  })
  scheduler.register({ name: 'claim-cleanup', everyMs: 60 * 60_000, run: (now) => removeSpentClaims(deps.models, now) })
  scheduler.register({
    name: 'session-cleanup',
    everyMs: 15 * 60_000,
    run: (now) => removeExpiredSessions(deps.connection, now),
  })
  scheduler.register({
    name: 'auth-attempt-cleanup',
    everyMs: 15 * 60_000,
    run: (now) => deps.accounts.removeOldAttempts(now),
  })
  // A run over a large directory can take minutes (one email at a time): a long lease keeps it on one instance.
  scheduler.register({
    name: 'listing-freshness',
    everyMs: 60 * 60_000,
    leaseMs: 55 * 60_000,
    run: (now) => deps.freshness.runReminders(now),
  })
}
