// Builds the data adapters into services by hand. `Services` is what routers receive.
import type { Config } from './config'
import type { Database } from './data/db'
import type { SearchIndex } from './data/search/search-index'
import { createHealthService } from './services/health.service'

export interface Infrastructure {
  config: Config
  db: Database
  search: SearchIndex
}

export function createServices(infra: Infrastructure) {
  const health = createHealthService({
    pingDatabase: () => infra.db.ping(),
    pingSearch: () => infra.search.healthy(),
  })

  return {
    health,
    /** Work done once at start, before the app accepts requests. */
    async startup(): Promise<void> {},
    /** What `npm start` prints in demo mode. */
    demoBanner(): string {
      return '\nDemo mode: the directory is filled with demonstration data.\n'
    },
  }
}

export type Services = ReturnType<typeof createServices>
