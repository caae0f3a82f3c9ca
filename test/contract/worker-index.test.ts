// The embedded index run in a worker thread: the same contract as in process, and the very same results.
import { once } from 'node:events'
import type { Worker } from 'node:worker_threads'
import { expect } from 'chai'
import { demoDocuments, readRelevanceSet } from '../../scripts/bench/search-relevance'
import { EmbeddedSearchIndex } from '../../server/data/search/embedded-index'
import { FACET_NAMES, type SearchDocument, type SearchQuery } from '../../server/data/search/search-index'
import { WorkerSearchIndex } from '../../server/data/search/worker-index'
import { searchIndexContract } from './search-index.contract'
import { syntheticDocuments } from './synthetic-documents'

const failureOf = (promise: Promise<unknown>): Promise<Error | null> =>
  promise.then(
    () => null,
    (error: Error) => error,
  )

searchIndexContract('embedded, in a worker thread', async () => new WorkerSearchIndex())

describe('WorkerSearchIndex', function () {
  const now = new Date('2026-06-01T12:00:00Z')
  const opened: WorkerSearchIndex[] = []
  const made = (): WorkerSearchIndex => {
    const index = new WorkerSearchIndex({ resultCache: 0 })
    opened.push(index)
    return index
  }
  after(async function () {
    for (const index of opened) await index.close()
  })

  it('answers every search of the relevance set exactly as the index in process does', async function () {
    const docs = demoDocuments(now)
    const inProcess = new EmbeddedSearchIndex({ resultCache: 0 })
    const inWorker = made()
    await inProcess.replaceAll(docs)
    await inWorker.replaceAll(docs)
    for (const { q } of readRelevanceSet()) {
      for (const query of [
        { text: q, now, facets: [...FACET_NAMES], crisisFirst: true },
        { text: q, now, near: { lat: 53.8, lon: -1.55, radiusKm: 10 }, sort: 'distance', page: 2, perPage: 5 },
      ] satisfies SearchQuery[]) {
        expect(await inWorker.search(query), q).to.deep.equal(await inProcess.search(query))
      }
    }
  })

  it('takes the documents in batches from a stream, larger ones too', async function () {
    const docs = syntheticDocuments(12_000, 3)
    const index = made()
    async function* slowly(): AsyncGenerator<SearchDocument> {
      for (const doc of docs) {
        if (doc === docs[6000]) await new Promise((resolve) => setTimeout(resolve, 5))
        yield doc
      }
    }
    await index.replaceAll(slowly())
    expect(await index.count()).to.equal(12_000)
    const last = docs.at(-1)!
    const found = await index.search({ text: last.name, now, perPage: 100 })
    expect(found.hits.map((hit) => hit.id)).to.include(last.id)
  })

  it('keeps its index usable when the documents cannot be read, and says why', async function () {
    const index = made()
    async function* broken(): AsyncGenerator<SearchDocument> {
      yield* syntheticDocuments(10, 4)
      throw new Error('the stored documents could not be read')
    }
    expect((await failureOf(index.replaceAll(broken())))?.message).to.equal('the stored documents could not be read')
    expect(await index.healthy()).to.equal(true)
    await index.replaceAll(syntheticDocuments(20, 5))
    expect(await index.count()).to.equal(20)
  })

  it('says it is unhealthy once stopped, and refuses calls after', async function () {
    const index = new WorkerSearchIndex()
    await index.replaceAll(syntheticDocuments(5, 6))
    await index.close()
    expect(await index.healthy()).to.equal(false)
    expect((await failureOf(index.count()))?.message).to.match(/^the search worker stopped/)
  })

  it('tells its owner when the worker stops unasked, and not when it is closed', async function () {
    const told: string[] = []
    const lost = new WorkerSearchIndex({}, (error) => told.push(`lost: ${error.message}`))
    await lost.replaceAll(syntheticDocuments(5, 7))
    const worker = (lost as unknown as { worker: Worker }).worker
    const exited = once(worker, 'exit')
    await worker.terminate()
    await exited
    expect(told).to.deep.equal(['lost: the search worker stopped (exit code 1)'])
    expect(await lost.healthy()).to.equal(false)

    const closed = new WorkerSearchIndex({}, (error) => told.push(`closed: ${error.message}`))
    await closed.replaceAll(syntheticDocuments(5, 8))
    await closed.close()
    expect(told).to.have.length(1)
  })
})
