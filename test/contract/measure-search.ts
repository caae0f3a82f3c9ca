// Runs the search benchmark on synthetic documents: `npx tsx --expose-gc test/contract/measure-search.ts 100000 [queries]`.
import { benchSearchInProcess } from '../../scripts/bench/search-bench'
import { EmbeddedSearchIndex } from '../../server/data/search/embedded-index'
import { syntheticDocuments } from './synthetic-documents'

const count = Number(process.argv[2] ?? 10_000)
const docs = syntheticDocuments(count)
const index = new EmbeddedSearchIndex({ resultCache: 0 })
const queries = Number(process.argv[3] ?? 300)
const result = await benchSearchInProcess(index, docs, { now: new Date('2025-06-01T00:00:00Z'), queries })
process.stdout.write(`${JSON.stringify({ count, ...result })}\n`)
