// Demo mode: puts the need taxonomy and the demo directory in the database. Idempotent: records are inserted by fixed
// id only when missing, so a restart never duplicates them and never undoes a curator's edits.
import type { Directory } from '../data/demo/generate'
import type { DirectoryRepository } from '../data/repositories/directory.repository'
import type { TaxonomyTerm } from '../data/taxonomy'
import { createLogger } from '../logger'

const log = createLogger('demo')

export interface DemoDeps {
  directory: DirectoryRepository
  taxonomy: readonly TaxonomyTerm[]
  /** Builds the demo directory (server/data/demo/generate.ts buildDemoDirectory). */
  buildDemoDirectory: (options: { now: Date }) => Directory
  clock?: () => Date
}

export function createDemoService(deps: DemoDeps) {
  const clock = deps.clock ?? (() => new Date())
  return {
    /** The taxonomy alone: every deployment needs it, demo or not. */
    async ensureTaxonomy(): Promise<number> {
      return deps.directory.ensureTaxonomy(deps.taxonomy)
    },

    /** Returns how many records were added (0 when the demo directory is already there). */
    async seedDemoDirectory(): Promise<{ terms: number; records: number }> {
      const terms = await deps.directory.ensureTaxonomy(deps.taxonomy)
      const records = await deps.directory.insertAll(deps.buildDemoDirectory({ now: clock() }), { skipExisting: true })
      log.info({ terms, records }, 'demo directory seeded')
      return { terms, records }
    },
  }
}

export type DemoService = ReturnType<typeof createDemoService>
