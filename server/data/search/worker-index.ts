// The embedded adapter run in a worker thread (search-worker.ts): the same index, answering the same contract, but its
// work (matching, facet counts, the documents) is done beside the main thread, which renders pages meanwhile.
// Each hit's document comes back as its stored JSON and is parsed here (HitDecoder), as the in-process adapter does.
import { Worker } from 'node:worker_threads'
import { HitDecoder, type EmbeddedSearchOptions, type EncodedResult } from './embedded-index'
import type { SearchDocument, SearchIndex, SearchQuery, SearchResult } from './search-index'
import { createLogger } from '../../logger'

const log = createLogger('search')

/** Documents sent to the worker per message while the index is replaced. */
const BATCH = 5000

export type WorkerRequest = { id: number } & (
  | { method: 'search'; query: SearchQuery }
  | { method: 'replaceBegin' }
  | { method: 'replaceAdd'; documents: SearchDocument[] }
  | { method: 'replaceEnd' }
  | { method: 'upsert'; documents: SearchDocument[] }
  | { method: 'remove'; ids: string[] }
  | { method: 'count' }
  | { method: 'stats' }
)
type Method = WorkerRequest['method']
type Arguments<M extends Method> = Omit<Extract<WorkerRequest, { method: M }>, 'id' | 'method'>
export type WorkerReply = { id: number; result: unknown } | { id: number; error: string }

export class WorkerSearchIndex implements SearchIndex {
  readonly kind = 'embedded' as const
  private readonly worker: Worker
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  private nextId = 0
  private readonly decoder: HitDecoder
  /** Set when the worker has stopped: every call after it fails with this. */
  private stopped: Error | null = null

  /**
   * `onStopped`: told once if the worker stops without close() (an error in it, or it was killed). The index cannot
   * answer again, so the app treats it as fatal and exits for its supervisor to start it afresh.
   */
  constructor(
    options: EmbeddedSearchOptions = {},
    private readonly onStopped: (error: Error) => void = () => undefined,
  ) {
    this.decoder = new HitDecoder(options)
    this.worker = new Worker(new URL('./search-worker.mjs', import.meta.url), { workerData: options })
    // The worker never keeps the process alive on its own; close() stops it.
    this.worker.unref()
    this.worker.on('message', (reply: WorkerReply) => {
      const call = this.pending.get(reply.id)
      this.pending.delete(reply.id)
      if ('error' in reply) call?.reject(new Error(reply.error))
      else call?.resolve(reply.result)
    })
    this.worker.on('error', (error) => this.stop(error))
    this.worker.on('exit', (code) => this.stop(new Error(`the search worker stopped (exit code ${code})`)))
  }

  private closing = false

  private stop(error: Error): void {
    if (this.stopped) return
    this.stopped = error
    if (!this.closing) this.onStopped(error)
    if (this.pending.size > 0) log.error({ err: error }, 'search worker stopped')
    for (const call of this.pending.values()) call.reject(error)
    this.pending.clear()
  }

  private call<M extends Method>(method: M, args: Arguments<M>): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ id, method, ...args })
    })
  }

  async replaceAll(documents: Iterable<SearchDocument> | AsyncIterable<SearchDocument>): Promise<void> {
    await this.call('replaceBegin', {})
    let batch: SearchDocument[] = []
    try {
      for await (const doc of documents) {
        batch.push(doc)
        if (batch.length === BATCH) {
          // One batch on its way at a time: the worker indexes it while the next is read.
          await this.call('replaceAdd', { documents: batch })
          batch = []
        }
      }
      await this.call('replaceAdd', { documents: batch })
    } finally {
      // Ends the worker's stream even when reading the documents failed, so the index is usable again.
      await this.call('replaceEnd', {})
    }
  }

  async upsert(documents: SearchDocument[]): Promise<void> {
    await this.call('upsert', { documents })
  }

  async remove(ids: string[]): Promise<void> {
    await this.call('remove', { ids })
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    return this.decoder.decode((await this.call('search', { query })) as EncodedResult)
  }

  async count(): Promise<number> {
    return (await this.call('count', {})) as number
  }

  async healthy(): Promise<boolean> {
    return this.stopped == null
  }

  async close(): Promise<void> {
    if (this.stopped) return
    this.closing = true
    const stats = await this.call('stats', {})
    log.info(stats, 'search result cache')
    await this.worker.terminate()
  }
}
