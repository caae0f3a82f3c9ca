// The embedded index in a worker thread: the index and its documents live here, and the main thread sends each call
// as a message (worker-index.ts). A results page's search then runs beside the page's rendering, on the other core.
import { parentPort, workerData } from 'node:worker_threads'
import { EmbeddedSearchIndex, type EmbeddedSearchOptions } from './embedded-index'
import type { SearchDocument } from './search-index'
import type { WorkerReply, WorkerRequest } from './worker-index'

const port = parentPort!
const index = new EmbeddedSearchIndex(workerData as EmbeddedSearchOptions)

/** The documents of a replaceAll as they arrive, batch by batch, for the index to read as one stream. */
class Feed implements AsyncIterable<SearchDocument> {
  private readonly batches: SearchDocument[][] = []
  private wake: (() => void) | null = null
  private ended = false

  push(batch: SearchDocument[]): void {
    this.batches.push(batch)
    this.wake?.()
  }

  end(): void {
    this.ended = true
    this.wake?.()
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SearchDocument> {
    for (;;) {
      const batch = this.batches.shift()
      if (batch) yield* batch
      else if (this.ended) return
      else await new Promise<void>((resolve) => (this.wake = resolve))
    }
  }
}

let feed: Feed | null = null
let replacing: Promise<void> | null = null

async function answer(request: WorkerRequest): Promise<unknown> {
  switch (request.method) {
    case 'search':
      return index.searchEncoded(request.query)
    case 'replaceBegin':
      feed = new Feed()
      replacing = index.replaceAll(feed)
      // Kept from an unhandled rejection until replaceEnd awaits it.
      replacing.catch(() => undefined)
      return null
    case 'replaceAdd':
      feed!.push(request.documents)
      return null
    case 'replaceEnd': {
      feed!.end()
      const done = replacing!
      feed = null
      replacing = null
      await done
      // The batches and the arrays outgrown while building are garbage now: collected at once when the process has
      // `--expose-gc` (npm start), rather than held until the next full collection (see startup.ts).
      globalThis.gc?.()
      return null
    }
    case 'upsert':
      return index.upsert(request.documents)
    case 'remove':
      return index.remove(request.ids)
    case 'count':
      return index.count()
    case 'stats':
      return { ...index.cacheStats(), documents: await index.count() }
  }
}

port.on('message', (request: WorkerRequest) => {
  answer(request).then(
    (result) => port.postMessage({ id: request.id, result } satisfies WorkerReply),
    (error: unknown) =>
      port.postMessage({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies WorkerReply),
  )
})
