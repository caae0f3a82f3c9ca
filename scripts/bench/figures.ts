// What the benches share: how timings are reported, a progress bar for long runs, and the referral form the submit
// benches send.
import { newId } from '../../server/domain/ids'
import { termId } from '../../server/data/taxonomy'
import type { SubmitInput } from '../../server/services/referral.service'
import { progressBar } from '../script-database'

/** Milliseconds to one decimal place. */
export const round = (n: number) => Math.round(n * 10) / 10

/** The p-th percentile of timings already sorted in ascending order (NaN when there are none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/** How many requests, and their median and 95th percentile, from timings in any order. */
export function summary(ms: readonly number[]) {
  const sorted = [...ms].sort((a, b) => a - b)
  return { requests: ms.length, p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)) }
}

/** A referral of `personId` to `serviceId` with consent given, as the referral form sends it (`key` for retries). */
export function submission(serviceId: string, personId: string, note: string, key = newId()): SubmitInput {
  return {
    serviceId,
    personId,
    idempotencyKey: key,
    consentConfirmed: true,
    consentHow: 'verbal',
    gpFeedback: false,
    needs: [termId('loneliness-isolation')],
    note,
    contactPreference: 'phone',
    supportToAttend: 'none',
  }
}

/** A progress bar that also writes a line every 10 s when the output is a file (a long run's log says where it got to). */
export const benchBar = (format: string) => progressBar(format, { noTTYOutput: true, notTTYSchedule: 10_000 })
