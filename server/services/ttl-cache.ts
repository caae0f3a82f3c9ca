// A small in-process cache: least-recently-used eviction past `max` entries, and entries expire after `ttlMs`.
// Used for read-mostly data on hot pages; writers call delete() so this instance sees its own changes at once.

export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; expires: number }>()

  constructor(private readonly options: { max: number; ttlMs: number; clock?: () => number }) {}

  private now(): number {
    return this.options.clock ? this.options.clock() : Date.now()
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (entry.expires <= this.now()) {
      this.entries.delete(key)
      return undefined
    }
    // Move to the most-recently-used end.
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry.value
  }

  set(key: K, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, { value, expires: this.now() + this.options.ttlMs })
    while (this.entries.size > this.options.max) {
      const oldest = this.entries.keys().next()
      if (oldest.done) break
      this.entries.delete(oldest.value)
    }
  }

  delete(key: K): void {
    this.entries.delete(key)
  }

  clear(): void {
    this.entries.clear()
  }

  get size(): number {
    return this.entries.size
  }
}
