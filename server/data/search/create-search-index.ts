// Picks the search adapter: Meilisearch when configured (several app instances share it), otherwise in-process.
import { EmbeddedSearchIndex } from './embedded-index'
import { MeilisearchIndex } from './meilisearch-index'
import type { SearchIndex } from './search-index'

export function createSearchIndex(options: { meili?: { url: string; key?: string } }): SearchIndex {
  if (options.meili) return new MeilisearchIndex({ host: options.meili.url, apiKey: options.meili.key })
  return new EmbeddedSearchIndex()
}
