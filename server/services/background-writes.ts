// Writes a request should not wait for (derived data such as search misses and report facts): started at once,
// tracked until they end, so readers, tests and shutdown can wait for them. Writes with the same key run one after
// another, so an older write never lands after a newer one. A write must handle its own errors.

export interface BackgroundWrites {
  /** Starts `write` (after the last one with the same key, when a key is given) and returns at once. */
  start(write: () => Promise<void>, key?: string): void
  /** Resolves when every write started so far, and any started meanwhile, has ended. */
  settled(): Promise<void>
}

export function createBackgroundWrites(): BackgroundWrites {
  const pending = new Set<Promise<void>>()
  const lastByKey = new Map<string, Promise<void>>()
  return {
    start(write, key) {
      const next = key === undefined ? write() : (lastByKey.get(key) ?? Promise.resolve()).then(write)
      if (key !== undefined) lastByKey.set(key, next)
      const tracked = next.finally(() => {
        pending.delete(tracked)
        if (key !== undefined && lastByKey.get(key) === next) lastByKey.delete(key)
      })
      pending.add(tracked)
    },
    async settled() {
      while (pending.size) await Promise.all([...pending])
    },
  }
}
