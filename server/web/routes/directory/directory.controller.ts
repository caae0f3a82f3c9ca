import type { Request, RequestHandler } from 'express'
import type { Services } from '../../../container'
import { FACET_NAMES, type FacetName } from '../../../data/search/search-index'
import {
  type AccessRoute,
  type Capacity,
  type Day,
  type DeliveryMode,
  type TimeOfDay,
} from '../../../domain/directory-vocabulary'
import { NotFoundError, ValidationError } from '../../../errors'
import { pathFor, paths } from '../../../paths'
import { hasRole } from '../../../domain/roles'
import { errorList, parseForm } from '../../form-page'
import { RADIUS_MILES, SEARCH_FIELD_ORDER, searchQuerySchema, type SearchQueryForm } from './directory.schemas'
import { presentFilters, presentResult, presentService, type ChosenFilters } from './directory.presenter'
import { filterOptionsHtml } from './filter-options'
import { resultCardsHtml } from './result-card'

const PER_PAGE = 20
const FACETS: FacetName[] = [...FACET_NAMES]
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** What the user asked for, echoed back into the form even when it was invalid. */
function typedValues(req: Request) {
  const q = req.query as Record<string, string | string[] | undefined>
  const one = (k: string) => (typeof q[k] === 'string' ? q[k] : '')
  const many = (k: string) => {
    const v = q[k]
    return Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : []
  }
  return {
    q: one('q'),
    postcode: one('postcode'),
    radius: one('radius'),
    age: one('age'),
    sort: one('sort'),
    free: one('free') === 'yes',
    referrals: one('referrals') === 'yes',
    chosen: {
      need: many('need'),
      day: many('day'),
      time: many('time'),
      mode: many('mode'),
      route: many('route'),
      capacity: many('capacity'),
      language: many('language'),
      access: many('access'),
    } satisfies ChosenFilters,
  }
}

function pageLink(req: Request, page: number): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(req.query as Record<string, string | string[]>)) {
    if (key === 'page') continue
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v)
  }
  if (page > 1) params.set('page', String(page))
  const qs = params.toString()
  return qs ? `${paths.directorySearch}?${qs}` : paths.directorySearch
}

function toSearchParams(form: SearchQueryForm) {
  return {
    text: form.q,
    postcode: form.postcode || undefined,
    radiusMiles: form.radius ? Number(form.radius) : undefined,
    needs: form.need.length ? form.need : undefined,
    days: form.day.length ? (form.day as Day[]) : undefined,
    timesOfDay: form.time.length ? (form.time as TimeOfDay[]) : undefined,
    deliveryModes: form.mode.length ? (form.mode as DeliveryMode[]) : undefined,
    accessRoutes: form.route.length ? (form.route as AccessRoute[]) : undefined,
    capacity: form.capacity.length ? (form.capacity as Capacity[]) : undefined,
    languages: form.language.length ? form.language : undefined,
    accessibility: form.access.length ? form.access : undefined,
    freeOnly: form.free === 'yes' || undefined,
    acceptsReferrals: form.referrals === 'yes' || undefined,
    age: form.age,
    sort: form.sort,
    page: form.page ?? 1,
    perPage: PER_PAGE,
    facets: FACETS,
  }
}

export function searchPage(services: Services): RequestHandler {
  return async (req, res) => {
    const values = typedValues(req)
    const taxonomy = await services.directory.taxonomy()
    const now = new Date()
    // The filters stay open once one is in use (or has an error), so a change can be seen and undone.
    const filtersChosen =
      Object.values(values.chosen).some((list) => list.length > 0) ||
      values.free ||
      values.referrals ||
      values.age !== ''
    const render = (status: number, filters: ReturnType<typeof presentFilters>, extra: Record<string, unknown>) =>
      res.status(status).render('pages/directory/search', {
        title: values.q ? `Results for ${values.q}` : 'Find support',
        values,
        filtersOpen: filtersChosen,
        radiusOptions: RADIUS_MILES.map((r) => ({ value: r, selected: values.radius === r })),
        filters,
        filterHtml: filterOptionsHtml(filters),
        ...extra,
      })

    const parsed = parseForm(searchQuerySchema, req.query)
    if (!parsed.ok) {
      return render(400, presentFilters({}, values.chosen, taxonomy), {
        errors: parsed.errors,
        errorList: errorList(parsed.errors, SEARCH_FIELD_ORDER),
        urgentSupport: services.directory.urgentSupportFor(values.q),
      })
    }
    try {
      const result = await services.directory.search({ ...toSearchParams(parsed.value), now })
      const totalPages = Math.max(1, Math.ceil(result.total / result.perPage))
      return render(200, presentFilters(result.facets, values.chosen, taxonomy), {
        searched: true,
        total: result.total,
        resultsHtml: resultCardsHtml(result.results.map((r) => presentResult(r, now))),
        pagination: {
          page: result.page,
          previousPage: result.page - 1,
          nextPage: result.page + 1,
          totalPages,
          previous: result.page > 1 ? pageLink(req, result.page - 1) : null,
          next: result.page < totalPages ? pageLink(req, result.page + 1) : null,
        },
        nearPostcode: result.origin?.postcode ?? null,
        urgentSupport: result.urgentSupport,
      })
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      return render(400, presentFilters({}, values.chosen, taxonomy), {
        errors: error.fields,
        errorList: errorList(error.fields, SEARCH_FIELD_ORDER),
        urgentSupport: services.directory.urgentSupportFor(values.q),
      })
    }
  }
}

export function servicePage(services: Services): RequestHandler {
  return async (req, res) => {
    const id = String(req.params.id)
    if (!UUID.test(id)) throw new NotFoundError('Service not found')
    const [view, taxonomy] = await Promise.all([services.directory.getService(id), services.directory.taxonomy()])
    const service = presentService(view, taxonomy, new Date())
    // Link workers refer from a listing that takes referrals, and record a signposting from one that does not.
    const linkWorker = hasRole(req.user, 'link_worker')
    const accepts = view.service.referral.accepts_referrals
    // Service-level learning, for staff weighing where to refer; never for the public.
    const figures = hasRole(req.user, 'link_worker', 'vco_member', 'admin')
      ? await services.outcomes.figuresForService(id)
      : null
    res.render('pages/directory/service', {
      title: service.name,
      service,
      backLink: pathFor(paths.directorySearch),
      referLink: linkWorker && accepts ? pathFor(paths.referService, { id }) : null,
      signpostLink: linkWorker && !accepts ? pathFor(paths.signpostService, { id }) : null,
      figures,
    })
  }
}
