// Picks the search adapter: Meilisearch when configured (several app instances share it), otherwise in-process, in a
// worker thread when asked (the app does; scripts and tests that only need an index keep it on their own thread).
import { EmbeddedSearchIndex } from './embedded-index'
import { MeilisearchIndex } from './meilisearch-index'
import type { SearchIndex } from './search-index'
import { WorkerSearchIndex } from './worker-index'

export function createSearchIndex(options: {
  meili?: { url: string; key?: string }
  inWorker?: boolean
  /** With `inWorker`: told if the worker stops unasked (see WorkerSearchIndex). */
  onFatal?: (error: Error) => void
}): SearchIndex {
  if (options.meili) return new MeilisearchIndex({ host: options.meili.url, apiKey: options.meili.key })
  return options.inWorker ? new WorkerSearchIndex({}, options.onFatal) : new EmbeddedSearchIndex()
}
