// Rows spread over a number of files on disk by the hash of a key, so that a join over a large feed holds one file's
// worth of rows at a time instead of the whole feed. Values are written as JSON lines, buffered per file.
import { once } from 'node:events'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'

/** FNV-1a of the key, folded onto [0, count). */
export function bucketOf(key: string, count: number): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0) % count
}

const FLUSH_CHARS = 16 * 1024

export class DiskBuckets<T> {
  private readonly streams: (fs.WriteStream | null)[]
  private readonly pending: string[]

  constructor(
    private readonly dir: string,
    private readonly name: string,
    readonly count: number,
  ) {
    this.streams = Array.from({ length: count }, () => null)
    this.pending = Array.from({ length: count }, () => '')
  }

  private file(i: number): string {
    return path.join(this.dir, `${this.name}-${i}.ndjson`)
  }

  private async write(i: number, text: string): Promise<void> {
    let stream = this.streams[i]
    if (!stream) stream = this.streams[i] = fs.createWriteStream(this.file(i))
    if (!stream.write(text)) await once(stream, 'drain')
  }

  async add(key: string, value: T): Promise<void> {
    const i = bucketOf(key, this.count)
    const text = this.pending[i] + JSON.stringify(value) + '\n'
    if (text.length < FLUSH_CHARS) {
      this.pending[i] = text
      return
    }
    this.pending[i] = ''
    await this.write(i, text)
  }

  /** Writes what is buffered and closes every file; call once, before reading. */
  async close(): Promise<void> {
    for (let i = 0; i < this.count; i++) {
      if (this.pending[i]) await this.write(i, this.pending[i]!)
      this.pending[i] = ''
    }
    await Promise.all(
      this.streams.map(async (stream) => {
        if (!stream) return
        stream.end()
        await once(stream, 'close')
      }),
    )
  }

  /** One bucket's values in the order they were added, read a line at a time. */
  async *read(i: number): AsyncGenerator<T> {
    if (!this.streams[i]) return
    const lines = readline.createInterface({ input: fs.createReadStream(this.file(i)), crlfDelay: Infinity })
    for await (const line of lines) if (line) yield JSON.parse(line) as T
  }

  /** One bucket's values at once (a bucket is a bounded share of the feed). */
  async readAll(i: number): Promise<T[]> {
    const out: T[] = []
    for await (const value of this.read(i)) out.push(value)
    return out
  }
}
