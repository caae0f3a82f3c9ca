// Builds the data adapters into services by hand. `Services` is what routers receive.
import path from 'node:path'
import type { Config } from './config'
import type { Database } from './data/db'
import { buildDemoDirectory } from './data/demo/generate'
import { createCompositeGeocoder } from './data/geo/composite-geocoder'
import { loadLocalGeocoder } from './data/geo/local-geocoder'
import { createPostcodesIoGeocoder } from './data/geo/postcodes-io-geocoder'
import { newId } from './data/ids'
import { createDirectoryRepository, isPublic } from './data/repositories/directory.repository'
import { toSearchDocument } from './data/search/documents'
import type { SearchIndex } from './data/search/search-index'
import { NEED_TAXONOMY } from './data/taxonomy'
import { createLogger } from './logger'
import { createDemoService } from './services/demo.service'
import { createDirectoryService } from './services/directory.service'
import { createHealthService } from './services/health.service'

const log = createLogger('container')

/** The local postcode table: the demo borough's postcodes, so postcode search works offline. */
export const LOCAL_POSTCODES_CSV = path.resolve(import.meta.dirname, 'data/demo/postcodes.csv')

export interface Infrastructure {
  config: Config
  db: Database
  search: SearchIndex
  clock?: () => Date
}

export function createServices(infra: Infrastructure) {
  const { config, db, search } = infra
  const clock = infra.clock ?? (() => new Date())
  const directoryRepository = createDirectoryRepository(db.connection)
  const local = loadLocalGeocoder(LOCAL_POSTCODES_CSV)
  const geocoder = config.postcodesUrl
    ? createCompositeGeocoder(local, createPostcodesIoGeocoder({ baseUrl: config.postcodesUrl }))
    : local

  const health = createHealthService({ pingDatabase: () => db.ping(), pingSearch: () => search.healthy() })
  const directory = createDirectoryService({
    directory: directoryRepository,
    search,
    geocoder,
    toSearchDocument: (view, taxonomy) => toSearchDocument(view.service, view.organization, view.locations, taxonomy),
    isPublic: (view) => isPublic(view.service, view.organization),
    newId,
    clock,
  })
  const demo = createDemoService({
    directory: directoryRepository,
    taxonomy: NEED_TAXONOMY,
    buildDemoDirectory,
    clock,
  })

  return {
    health,
    directory,
    demo,
    /** Work done once at start, before the app accepts requests: reference data, demo data, the search index. */
    async startup(): Promise<void> {
      if (config.demo) await demo.seedDemoDirectory()
      else await demo.ensureTaxonomy()
      const started = Date.now()
      const indexed = await directory.rebuildIndex()
      log.info({ indexed, ms: Date.now() - started }, 'search index ready')
    },
    /** What `npm start` prints in demo mode. */
    demoBanner(): string {
      return '\nDemo mode: the directory holds demonstration data for the London Borough of Barnet.\n'
    },
  }
}

export type Services = ReturnType<typeof createServices>
