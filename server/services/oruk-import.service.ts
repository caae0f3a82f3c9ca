// Imports Open Referral UK services from any source (our API or another's, a JSON file, the CSV data package), in
// batches so memory stays bounded. Taxonomy terms are mapped onto ours; unmapped ones are kept as terms of their own
// taxonomy and reported. A bad record is reported with where it was and why, and the rest carry on. Re-running updates
// what changed (by the provenance hash) and creates nothing twice (ids derive from source + their id).
import type { ReviewStatus } from '../data/directory-records'
import { nameUuid } from '../data/ids'
import { OrukRecordError, parseOrukService, type ExternalTerm, type ParsedService } from '../data/oruk/oruk-parse'
import { ORUK_TERM_MAP, termKey } from '../data/oruk/oruk-taxonomy-map'
import type { ImportBatch, KnownRecords, OrukRepository } from '../data/repositories/oruk.repository'
import type { TaxonomyTerm } from '../data/taxonomy'

export interface SourceRecord {
  /** Where the record was: "services.csv line 12", "page 3 item 4", "item 7". */
  where: string
  record: unknown
}

export interface ImportOptions {
  /** Names the feed in provenance: the base URL or the file's name. */
  source: string
  keepIds?: boolean
  reviewStatus?: ReviewStatus
  batchSize?: number
  now?: Date
  onProgress?: (done: number) => void
}

export interface ImportProblem {
  where: string
  id: string | null
  reason: string
}

export interface ImportSummary {
  source: string
  read: number
  services: { created: number; updated: number; unchanged: number }
  organizations: { created: number; updated: number }
  locations: { created: number; updated: number }
  problems: ImportProblem[]
  unmappedTerms: { taxonomy: string; name: string; count: number }[]
  seconds: number
}

export interface OrukImportDeps {
  oruk: OrukRepository
  listTaxonomy: () => Promise<TaxonomyTerm[]>
}

export function createOrukImportService(deps: OrukImportDeps) {
  return {
    async importServices(records: AsyncIterable<SourceRecord>, options: ImportOptions): Promise<ImportSummary> {
      const started = performance.now()
      const now = options.now ?? new Date()
      const batchSize = options.batchSize ?? 500
      const taxonomy = await deps.listTaxonomy()
      const known: KnownRecords = await deps.oruk.knownRecords()
      const ours = new Map<string, string>()
      for (const t of taxonomy) {
        ours.set(t.id, t.id)
        ours.set(`code:${termKey(t.code)}`, t.id)
        ours.set(`name:${termKey(t.name)}`, t.id)
      }
      const byCode = new Map(taxonomy.map((t) => [t.code, t.id]))
      const unmapped = new Map<string, { taxonomy: string; name: string; count: number }>()
      const newTerms: TaxonomyTerm[] = []

      function resolveTerm(term: ExternalTerm): string {
        const direct =
          ours.get(term.id) ??
          (term.code ? ours.get(`code:${termKey(term.code)}`) : undefined) ??
          ours.get(`name:${termKey(term.name)}`)
        if (direct) return direct
        const mapped = ORUK_TERM_MAP[termKey(term.name)] ?? (term.code ? ORUK_TERM_MAP[termKey(term.code)] : undefined)
        const mappedId = mapped ? byCode.get(mapped) : undefined
        if (mappedId) return mappedId
        // Kept as a term of its own taxonomy, so nothing is lost and a curator can map it later.
        const taxonomyName = term.taxonomy ?? options.source
        const id = nameUuid(`oruk:term:${taxonomyName}:${term.id}`)
        const seen = unmapped.get(id)
        if (seen) seen.count++
        else {
          unmapped.set(id, { taxonomy: taxonomyName, name: term.name, count: 1 })
          if (!known.terms.has(id)) {
            known.terms.add(id)
            newTerms.push({
              id,
              code: `${termKey(taxonomyName).replace(/ /g, '-')}:${term.code ?? term.id}`,
              name: term.name,
              parentCode: null,
              description: term.description ?? '',
              crisis: false,
              taxonomy: taxonomyName,
            })
          }
        }
        return id
      }

      const summary: ImportSummary = {
        source: options.source,
        read: 0,
        services: { created: 0, updated: 0, unchanged: 0 },
        organizations: { created: 0, updated: 0 },
        locations: { created: 0, updated: 0 },
        problems: [],
        unmappedTerms: [],
        seconds: 0,
      }
      let batch: ImportBatch = { organizations: [], locations: [], services: [] }
      const inBatch = new Set<string>()

      async function flush() {
        await deps.oruk.insertTerms(newTerms.splice(0))
        const counts = await deps.oruk.writeBatch(batch, known)
        summary.services.created += counts.services.created
        summary.services.updated += counts.services.updated
        summary.organizations.created += counts.organizations.created
        summary.organizations.updated += counts.organizations.updated
        summary.locations.created += counts.locations.created
        summary.locations.updated += counts.locations.updated
        batch = { organizations: [], locations: [], services: [] }
        inBatch.clear()
      }

      /** Adds a record unless it is stored already with the same hash (or is already in this batch). */
      function stage<T extends { id: string; provenance?: { hash: string } | null }>(
        list: T[],
        record: T,
        stored: Map<string, string>,
      ): boolean {
        if (inBatch.has(record.id)) return false
        const hash = record.provenance?.hash
        if (hash && stored.get(record.id) === hash) return false
        inBatch.add(record.id)
        list.push(record)
        return true
      }

      for await (const { where, record } of records) {
        summary.read++
        let parsed: ParsedService
        try {
          parsed = parseOrukService(record, {
            source: options.source,
            keepIds: options.keepIds ?? false,
            reviewStatus: options.reviewStatus ?? 'approved',
            now,
            resolveTerm,
          })
        } catch (error) {
          const id = (record as { id?: unknown } | null)?.id
          summary.problems.push({
            where,
            id: typeof id === 'string' ? id : null,
            reason: error instanceof OrukRecordError ? error.message : 'could not be read',
          })
          options.onProgress?.(summary.read)
          continue
        }
        stage(batch.organizations, parsed.organization, known.organizations)
        for (const location of parsed.locations) stage(batch.locations, location, known.locations)
        if (!stage(batch.services, parsed.service, known.services)) summary.services.unchanged++
        if (batch.services.length >= batchSize) await flush()
        options.onProgress?.(summary.read)
      }
      await flush()
      summary.unmappedTerms = [...unmapped.values()].sort((a, b) => b.count - a.count)
      summary.seconds = (performance.now() - started) / 1000
      return summary
    },
  }
}

export type OrukImportService = ReturnType<typeof createOrukImportService>
