// The clock job over open referrals: returns those nobody acknowledged in time to the referrer as "no response"
// (through the state machine's return action), and flags overdue steps, emailing the VCO when a step first becomes
// overdue and the referrer if it is still overdue `escalateHours` later.
import type { OverdueFlag } from '../domain/referral-records'
import { applyAction } from '../domain/referral-machine'
import { clockHourOf, type ReferralRepository } from '../data/repositories/referral.repository'
import { hoursBetween } from '../data/hour-buckets'
import { createLogger } from '../logger'
import { OVERDUE_LABELS, overdueSteps, type ClockTargets, type OverdueStep } from '../domain/referral-clocks'
import { closeStands } from '../domain/referral-closing'
import type { ReferralNotices } from './referral-notices'

const log = createLogger('referral-clocks')

export function createReferralClockSweep(deps: {
  referrals: ReferralRepository
  notices: Pick<ReferralNotices, 'tellVco' | 'tellReferrer'>
  /** Runs once a referral closes; never throws. */
  closed: (referralId: string) => Promise<void>
  targets: ClockTargets
  clock: () => Date
}) {
  return {
    /**
     * The clock job. For each open referral: returns it to the referrer as "no response" once unacknowledged past the
     * return time; otherwise flags each overdue step, emailing the VCO when the step first becomes overdue and the
     * referrer if it is still overdue `escalateHours` later. Each claim is a version-guarded update made before the
     * email is sent, so two instances running at once never send the same email twice; a failed send is unclaimed
     * so the next run tries again.
     */
    async run(now: Date = deps.clock()) {
      const result = { checked: 0, returned: 0, vcoEmails: 0, referrerEmails: 0, conflicts: 0 }
      const escalateMs = deps.targets.escalateHours * 3_600_000
      // Closes that now stand (their reopen window has passed): tell the GP practice, once.
      const reopenHours = deps.targets.reopenHours ?? 0
      for (const r of await deps.referrals.listGpNotePending()) {
        if (r.open || !r.closedAt || !closeStands(r.closedAt, reopenHours, now)) continue
        if (await deps.referrals.transition(r.id, r, { set: { gpNotePending: false } })) await deps.closed(r.id)
      }
      // The referrals whose next check fell in an hour since the last run (and the hour before, for instances' clocks
      // a little apart). Every open one on a first run, after more than a fortnight stopped, or when the last run is
      // later than now (the clock was put back).
      const since = await deps.referrals.clockSweptAt()
      const hours = since && since <= now ? hoursBetween(new Date(since.getTime() - 3_600_000), now) : null
      const candidates = hours ? await deps.referrals.listClockDue(hours) : await deps.referrals.listOpen()
      /** A referral the job leaves as it is: its clock hour is brought up to date if it was stale. */
      const leave = async (r: (typeof candidates)[number]) => {
        const clockHour = clockHourOf(r, deps.targets.escalateHours, now)
        if (r.clockHour !== clockHour) await deps.referrals.setClockHour(r.id, r.version, clockHour)
      }
      for (const r of candidates) {
        if (!r.open) continue
        result.checked++
        const at = (d: Date | string) => new Date(d)
        const clocks = {
          acknowledgeBy: at(r.clocks.acknowledgeBy),
          contactBy: at(r.clocks.contactBy),
          outcomeBy: at(r.clocks.outcomeBy),
          reviewAt: at(r.clocks.reviewAt),
          returnAt: at(r.clocks.returnAt),
        }
        if (r.status === 'new' && now >= clocks.returnAt) {
          const change = applyAction(
            r,
            { type: 'return', reason: `not acknowledged within ${deps.targets.returnDays} days` },
            null,
            now,
          )
          // The referring team's worklist shows the return until they deal with it.
          const returned = change && {
            set: { ...change.set, referrerAttention: true },
            push: { ...change.push, attention: { kind: 'no-response', at: now, dueAt: null } },
          }
          const ok = returned && (await deps.referrals.transition(r.id, r, returned))
          if (!ok) {
            result.conflicts++
            continue
          }
          result.returned++
          await deps.closed(r.id)
          await deps.notices
            .tellReferrer(r, 'referral-returned', {
              serviceName: r.serviceName,
              organisationName: r.organisationName,
              returnDays: deps.targets.returnDays,
            })
            .catch((error: unknown) => log.warn({ err: error, referralId: r.id }, 'no-response email failed'))
          continue
        }
        const steps = overdueSteps(
          { status: r.status, clocks, acknowledgedAt: r.acknowledgedAt, firstContactAt: r.firstContactAt },
          now,
        )
        if (!steps.length) {
          await leave(r)
          continue
        }
        const flags: OverdueFlag[] = r.overdue.map((f) => ({ ...f }))
        const toVco: OverdueStep[] = []
        const toReferrer: OverdueStep[] = []
        for (const step of steps) {
          const flag = flags.find((f) => f.step === step)
          if (!flag) {
            flags.push({ step, since: now, vcoEmailedAt: now, referrerEmailedAt: null })
            toVco.push(step)
          } else if (
            flag.vcoEmailedAt &&
            !flag.referrerEmailedAt &&
            now.getTime() - at(flag.vcoEmailedAt).getTime() >= escalateMs
          ) {
            flag.referrerEmailedAt = now
            toReferrer.push(step)
          }
        }
        if (!toVco.length && !toReferrer.length) {
          await leave(r)
          continue
        }
        const claimed = await deps.referrals.transition(r.id, r, { set: { overdue: flags } })
        if (!claimed) {
          result.conflicts++
          continue
        }
        const about = (step: OverdueStep) => ({
          serviceName: r.serviceName,
          organisationName: r.organisationName,
          step: OVERDUE_LABELS[step].toLowerCase(),
        })
        try {
          for (const step of toVco) {
            if (!(await deps.notices.tellVco(r, 'referral-overdue', about(step)))) throw new Error('not sent')
            result.vcoEmails++
          }
          for (const step of toReferrer) {
            if (!(await deps.notices.tellReferrer(r, 'referral-still-overdue', about(step))))
              throw new Error('not sent')
            result.referrerEmails++
          }
        } catch (error) {
          log.warn({ err: error, referralId: r.id }, 'overdue email failed; will retry')
          await deps.referrals
            .transition(r.id, { status: r.status, version: r.version + 1 }, { set: { overdue: r.overdue } })
            .catch(() => undefined)
        }
      }
      // Never later than the clock the writers use: a run for a moment ahead of it (a test, a catch-up) must not hide
      // the referrals written meanwhile, whose hours are worked out from that clock.
      const clockNow = deps.clock()
      await deps.referrals.setClockSweptAt(now < clockNow ? now : clockNow)
      return result
    },
  }
}
