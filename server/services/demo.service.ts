// Demo mode: puts the need taxonomy and the demo directory in the database. Idempotent: records are inserted by fixed
// id only when missing, so a restart never duplicates them and never undoes a curator's edits.
import { buildDemoDirectory, type Directory } from '../data/demo/generate'
import type { DirectoryRepository } from '../data/repositories/directory.repository'
import { NEED_TAXONOMY, type TaxonomyTerm } from '../data/taxonomy'
import { createLogger } from '../logger'

const log = createLogger('demo')

export interface DemoDeps {
  directory: DirectoryRepository
  /** The needs taxonomy (default: NEED_TAXONOMY). */
  taxonomy?: readonly TaxonomyTerm[]
  /** Builds the demo directory (default: server/data/demo/generate.ts buildDemoDirectory). */
  buildDemoDirectory?: (options: { now: Date }) => Directory
  clock?: () => Date
}

export function createDemoService(deps: DemoDeps) {
  const clock = deps.clock ?? (() => new Date())
  const taxonomy = deps.taxonomy ?? NEED_TAXONOMY
  const build = deps.buildDemoDirectory ?? buildDemoDirectory
  return {
    /** The taxonomy alone: every deployment needs it, demo or not. */
    async ensureTaxonomy(): Promise<number> {
      return deps.directory.ensureTaxonomy(taxonomy)
    },

    /** Returns how many records were added (0 when the demo directory is already there). */
    async seedDemoDirectory(): Promise<{ terms: number; records: number }> {
      const terms = await deps.directory.ensureTaxonomy(taxonomy)
      const records = await deps.directory.insertAll(build({ now: clock() }), { skipExisting: true })
      log.info({ terms, records }, 'demo directory seeded')
      return { terms, records }
    },
  }
}

export type DemoService = ReturnType<typeof createDemoService>
