// Work done once at start, before the app accepts requests: list fields on old documents, reference or demo data,
// report facts, and the search index.
import type { createListFieldsRepository } from '../data/repositories/list-fields.repository'
import { createLogger } from '../logger'
import type { DirectoryService } from './directory.service'
import type { createEpisodeFacts } from './episodes/episode-facts'
import type { ReportService } from './reports/report.service'

const log = createLogger('startup')

export function createStartup(deps: {
  listFields: ReturnType<typeof createListFieldsRepository>
  /** Demo mode seeds the demo data; otherwise only the needs taxonomy is made sure of. */
  seedDemo: (() => Promise<void>) | null
  ensureTaxonomy: () => Promise<unknown>
  reports: Pick<ReportService, 'ensureFacts' | 'warm'>
  episodeFacts: Pick<ReturnType<typeof createEpisodeFacts>, 'ensure' | 'facts'>
  directory: Pick<DirectoryService, 'loadIndex'>
  /**
   * Read the report and episode facts into memory in the background, so the first report, worklist or caseload does
   * not wait for it.
   */
  warmReports: boolean
}) {
  return async function startup(): Promise<void> {
    // Documents stored before lists paged by month get their list fields (once; later starts read nothing).
    const listFields = await deps.listFields.ensure()
    if (listFields) log.info({ updated: listFields }, 'list fields set')
    if (deps.seedDemo) await deps.seedDemo()
    else await deps.ensureTaxonomy()
    // Facts for reports: built from referrals once, when a deployment first has reports.
    const factsBuilt = await deps.reports.ensureFacts()
    if (factsBuilt) log.info({ facts: factsBuilt }, 'report facts built')
    const episodeFactsBuilt = await deps.episodeFacts.ensure()
    if (episodeFactsBuilt) log.info({ facts: episodeFactsBuilt }, 'episode facts built')
    if (deps.warmReports)
      deps.reports
        .warm()
        .catch((error: unknown) =>
          log.warn({ err: error instanceof Error ? error.name : 'error' }, 'report facts not read at start'),
        )
    if (deps.warmReports)
      deps.episodeFacts
        .facts()
        .catch((error: unknown) =>
          log.warn({ err: error instanceof Error ? error.name : 'error' }, 'episode facts not read at start'),
        )
    const started = Date.now()
    // From the stored search documents when they are current; from every service after a bulk write.
    const { count: indexed, from, rechecked } = await deps.directory.loadIndex()
    log.info({ indexed, from, rechecked, ms: Date.now() - started }, 'search index ready')
    // Loading the index leaves its working garbage (every batch read and sent) in the heap until the next full
    // collection, which can be many minutes away: 730 MB resident after a cold start at 100k services, 610 MB once
    // collected. When the process has `--expose-gc` (npm start), one collection now hands that memory back.
    globalThis.gc?.()
  }
}
