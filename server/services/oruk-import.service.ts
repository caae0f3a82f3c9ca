// Imports Open Referral UK services from any source (our API or another's, a JSON file, the CSV data package), in
// batches so memory stays bounded. Taxonomy terms are mapped onto ours; unmapped ones are kept as terms of their own
// taxonomy and reported. A bad record is reported with where it was and why, and the rest carry on. Re-running updates
// what changed (by the provenance hash) and creates nothing twice (ids derive from source + their id).
import type { ReviewStatus } from '../domain/directory-records'
import { isUuid, nameUuid } from '../domain/ids'
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

function emptyBatch(): ImportBatch {
  return {
    organizations: { insert: [], update: [] },
    locations: { insert: [], update: [] },
    services: { insert: [], update: [] },
  }
}

export function createOrukImportService(deps: OrukImportDeps) {
  return {
    async importServices(records: AsyncIterable<SourceRecord>, options: ImportOptions): Promise<ImportSummary> {
      const started = performance.now()
      const now = options.now ?? new Date()
      const batchSize = options.batchSize ?? 500
      const taxonomy = await deps.listTaxonomy()
      // What is stored already is read while the source gets ready (a CSV package's join, an API's first page): the
      // database and this process work at once.
      const source = records[Symbol.asyncIterator]()
      let known: KnownRecords
      let first: IteratorResult<SourceRecord>
      try {
        ;[known, first] = await Promise.all([deps.oruk.knownRecords(), source.next()])
      } catch (error) {
        await source.return?.() // the source's own clean-up (a CSV package's temporary files)
        throw error
      }
      async function* all(): AsyncGenerator<SourceRecord> {
        try {
          if (first.done) return
          yield first.value
          for (let next = await source.next(); !next.done; next = await source.next()) yield next.value
        } finally {
          await source.return?.()
        }
      }
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
        // With --keep-ids a term of ours from another taxonomy (our own export) keeps its id and code.
        const keep = (options.keepIds ?? false) && isUuid(term.id)
        const id = keep ? term.id.toLowerCase() : nameUuid(`oruk:term:${taxonomyName}:${term.id}`)
        const seen = unmapped.get(id)
        if (seen) seen.count++
        else {
          unmapped.set(id, { taxonomy: taxonomyName, name: term.name, count: 1 })
          if (!known.terms.has(id)) {
            known.terms.add(id)
            newTerms.push({
              id,
              code:
                keep && term.code ? term.code : `${termKey(taxonomyName).replace(/ /g, '-')}:${term.code ?? term.id}`,
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
      let batch: ImportBatch = emptyBatch()
      // One batch is written while the next is read and mapped: the database and this process work at once.
      let writing: Promise<void> = Promise.resolve()

      async function flush() {
        const terms = newTerms.splice(0)
        const current = batch
        batch = emptyBatch()
        await writing
        writing = (async () => {
          await deps.oruk.insertTerms(terms)
          await deps.oruk.writeBatch(current)
        })()
        // Awaited before the next write and at the end; until then a failure must not go unhandled.
        writing.catch(() => undefined)
      }

      /**
       * Puts a record in the batch as an insert (new id), an update (stored with another hash) or nowhere (stored, or
       * already staged, with the same hash). `known` is updated here, not after the write, so a record repeated in a
       * later batch is not staged again while this one is still being written.
       */
      function stage<T extends { id: string; provenance?: { hash: string } | null }>(
        writes: { insert: T[]; update: T[] },
        record: T,
        known: Map<string, string>,
        counts?: { created: number; updated: number },
      ): boolean {
        const hash = record.provenance?.hash ?? ''
        const stored = known.get(record.id)
        if (stored !== undefined && stored === hash) return false
        known.set(record.id, hash)
        if (stored === undefined) {
          writes.insert.push(record)
          if (counts) counts.created++
        } else {
          writes.update.push(record)
          if (counts) counts.updated++
        }
        return true
      }

      try {
        for await (const { where, record } of all()) {
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
          stage(batch.organizations, parsed.organization, known.organizations, summary.organizations)
          for (const location of parsed.locations) stage(batch.locations, location, known.locations, summary.locations)
          if (!stage(batch.services, parsed.service, known.services, summary.services)) summary.services.unchanged++
          if (batch.services.insert.length + batch.services.update.length >= batchSize) await flush()
          options.onProgress?.(summary.read)
        }
        await flush()
      } finally {
        // Never leave a write running behind a failure (the caller may close the database next).
        await writing
      }
      summary.unmappedTerms = [...unmapped.values()].sort((a, b) => b.count - a.count)
      // A CSV package's services are read grouped by the join's temporary files: list problems in line order.
      summary.problems.sort((a, b) => a.where.localeCompare(b.where, 'en', { numeric: true }))
      summary.seconds = (performance.now() - started) / 1000
      return summary
    },
  }
}

export type OrukImportService = ReturnType<typeof createOrukImportService>
