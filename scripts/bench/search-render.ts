// Where a results page's main-thread time goes, in process: the search (demo directory, every facet), turning 20 hits
// into cards (presenter), and rendering the page with the production view engine (templates cached), with its cards
// and again without them, so the cards' share of the render shows. Each figure is a mean over many pages.
import path from 'node:path'
import { EmbeddedSearchIndex } from '../../server/data/search/embedded-index'
import { FACET_NAMES } from '../../server/data/search/search-index'
import { NEED_TAXONOMY } from '../../server/data/taxonomy'
import { createViewEngine, VIEWS_DIR } from '../../server/web/handlebars'
import {
  presentFilters,
  presentResult,
  type ChosenFilters,
} from '../../server/web/routes/directory/directory.presenter'
import { filterOptionsHtml } from '../../server/web/routes/directory/filter-options'
import { resultCardsHtml } from '../../server/web/routes/directory/result-card'
import { demoDocuments } from './search-relevance'

const QUERIES = ['walking group', 'befriending', 'debt advice', 'lonely since my wife died', 'carers', 'group']

export async function benchSearchRender(pages = 1500, warmUp = 100) {
  const now = new Date()
  const index = new EmbeddedSearchIndex()
  await index.replaceAll(demoDocuments(now))
  const engine = createViewEngine()
  const view = path.join(VIEWS_DIR, 'pages/directory/search.hbs')
  const chosen: ChosenFilters = {
    need: [],
    day: [],
    time: [],
    mode: [],
    route: [],
    capacity: [],
    language: [],
    access: [],
  }
  const total = { search: 0, present: 0, render: 0, renderWithoutCards: 0, bytes: 0 }
  for (let i = 0; i < warmUp + pages; i++) {
    const q = QUERIES[i % QUERIES.length]!
    const started = performance.now()
    const result = await index.search({ text: q, perPage: 20, facets: [...FACET_NAMES], now })
    const searched = performance.now()
    const results = result.hits.map((hit) => presentResult({ ...hit, distanceMiles: null }, now))
    const filters = presentFilters(result.facets, chosen, NEED_TAXONOMY)
    const presented = performance.now()
    // As res.render passes them in production: the view cache on, the layout, and what the middleware sets.
    const context = {
      cache: true,
      settings: { views: VIEWS_DIR, 'view cache': true },
      layout: 'main',
      cspNonce: 'nonce',
      csrfTokenFor: () => 'token',
      title: `Results for ${q}`,
      values: { q, postcode: '', radius: '', age: '', sort: '', free: false, referrals: false, chosen },
      filtersOpen: false,
      radiusOptions: [],
      searched: true,
      total: result.total,
      resultsHtml: resultCardsHtml(results),
      filters,
      filterHtml: filterOptionsHtml(filters),
      pagination: { page: 1, totalPages: 2, previous: null, next: '/services?page=2', previousPage: 0, nextPage: 2 },
    }
    const html = await engine.renderView(view, context as never)
    const rendered = performance.now()
    await engine.renderView(view, { ...context, resultsHtml: '' } as never)
    const bare = performance.now()
    if (i < warmUp) continue
    total.search += searched - started
    total.present += presented - searched
    total.render += rendered - presented
    total.renderWithoutCards += bare - rendered
    total.bytes += html.length
  }
  const mean = (n: number) => Math.round((n / pages) * 1000) / 1000
  return {
    pages,
    services: await index.count(),
    meanMs: {
      search: mean(total.search),
      present: mean(total.present),
      render: mean(total.render),
      renderWithoutCards: mean(total.renderWithoutCards),
    },
    meanBytes: Math.round(total.bytes / pages),
  }
}
