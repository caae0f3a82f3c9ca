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
