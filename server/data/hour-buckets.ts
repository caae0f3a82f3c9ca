// Hour buckets: a document stores the UTC hour of a time it is selected by ("2026-12-07T06"), and a reader selects
// the hours it wants by equality, which the embedded engine pushes down to an index, where a range on the time itself
// is evaluated after fetching every document.

/** A time's UTC hour, "2026-12-07T06". */
export function hourOf(date: Date): string {
  return date.toISOString().slice(0, 13)
}

/**
 * The hour buckets from `since` to `now`, oldest first; null when there are more than `max` (read everything). Two
 * weeks of hours by default: an app stopped for a fortnight still reads only what changed.
 */
export function hoursBetween(since: Date, now: Date, max = 14 * 24): string[] | null {
  const out: string[] = []
  const start = Math.floor(since.getTime() / 3_600_000)
  const end = Math.floor(now.getTime() / 3_600_000)
  if (end - start + 1 > max) return null
  for (let h = start; h <= end; h++) out.push(hourOf(new Date(h * 3_600_000)))
  return out
}

/** Runs `find` for each hour, a day's hours at a time (most are empty), and joins what they found. */
export async function readHours<T>(hours: readonly string[], find: (hour: string) => Promise<T[]>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < hours.length; i += 24)
    // One at a time, not push(...found): a bucket may hold more documents than a call takes arguments.
    for (const found of await Promise.all(hours.slice(i, i + 24).map(find))) for (const item of found) out.push(item)
  return out
}
