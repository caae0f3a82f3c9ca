// Forced interleavings for one-winner tests: hold racers at a chosen step until all have reached it, then let them
// all go at once, so a race is made to happen rather than hoped for.

/**
 * Holds the first `size` callers until all of them have arrived, then lets them all go at once; later callers pass
 * straight through. `leave` is for a racer that will never arrive (it lost earlier), so the others are not held.
 */
export function barrier(size: number) {
  let waiting = size
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  const count = () => {
    if (--waiting <= 0) open()
  }
  return {
    async arrive() {
      if (waiting <= 0) return
      count()
      await opened
    },
    leave: count,
    get reached() {
      return waiting <= 0
    },
  }
}

export type Barrier = ReturnType<typeof barrier>

type Holds<R> = { [K in keyof R]?: Barrier | undefined }

/**
 * A copy of `repository` whose methods named in `before` wait at their barrier before the real call (a write held
 * until every racer is about to make it), and whose methods named in `after` wait once the real call has returned (a
 * read held until every racer has read). A method given no barrier (undefined) runs as it is.
 */
export function holding<R extends object>(repository: R, hold: { before?: Holds<R>; after?: Holds<R> }): R {
  const real = repository as Record<string, (...args: unknown[]) => Promise<unknown>>
  const held = { ...repository } as Record<string, unknown>
  for (const [name, at] of Object.entries(hold.before ?? {}) as [string, Barrier | undefined][])
    held[name] = async (...args: unknown[]) => {
      await at?.arrive()
      return real[name]!(...args)
    }
  for (const [name, at] of Object.entries(hold.after ?? {}) as [string, Barrier | undefined][])
    held[name] = async (...args: unknown[]) => {
      const result = await real[name]!(...args)
      await at?.arrive()
      return result
    }
  return held as R
}
