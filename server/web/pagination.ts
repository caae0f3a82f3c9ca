// Lists are paged 25 at a time. `?page=` is read here, and the NHS.UK pagination component's links are made here,
// keeping the rest of the query (a tab, a filter) as it was. A page showing several lists names each list's page
// parameter (`?requests=2&overdue=3`).
import type { Request } from 'express'
import { BadRequestError } from '../errors'

/** The requested page: 1 when absent; a whole number from 1 up, or a 400 saying so. */
export function pageParam(req: Request, name = 'page'): number {
  const raw = req.query[name]
  if (raw === undefined || raw === '') return 1
  if (typeof raw !== 'string' || !/^[0-9]{1,7}$/.test(raw) || Number(raw) < 1)
    throw new BadRequestError('The page number must be a whole number, 1 or more')
  return Number(raw)
}

/** What views/partials/pagination.hbs shows: "Showing 26 to 50 of 312", and Previous/Next links. */
export function pagination(req: Request, shown: { page: number; total: number; perPage: number }, name = 'page') {
  const totalPages = Math.max(1, Math.ceil(shown.total / shown.perPage))
  const link = (page: number) => {
    const query = new URLSearchParams()
    for (const [key, value] of Object.entries(req.query))
      if (key !== name && typeof value === 'string') query.set(key, value)
    if (page > 1) query.set(name, String(page))
    const search = query.toString()
    return `${req.path}${search ? `?${search}` : ''}`
  }
  return {
    total: shown.total,
    from: shown.total ? (shown.page - 1) * shown.perPage + 1 : 0,
    to: Math.min(shown.total, shown.page * shown.perPage),
    page: shown.page,
    totalPages,
    several: totalPages > 1,
    previousPage: shown.page - 1,
    nextPage: shown.page + 1,
    previous: shown.page > 1 ? link(shown.page - 1) : null,
    next: shown.page < totalPages ? link(shown.page + 1) : null,
  }
}
