// The report filter form (a GET form, so a report's URL says what it shows): a period typed as day, month and year
// (NHS.UK date input, read by services/dates.ts) and optionally one practice, primary care network, organisation or
// need. parseFilters reads the query into report filters, checking each choice against the lists offered;
// filterQuery writes filters back as the same query (the CSV links).
import { z } from 'zod'
import type { FilterOptions } from '../../../services/reports/report.service'
import { dateParts, parseDateParts, partsOf, type DateParts } from '../../../services/dates'
import { wholeMonths, type ReportFilters } from '../../../services/reports/report-types'
import { parseFormPage, type FormErrors } from '../../form-page'

export const isoDate = (d: Date) => d.toISOString().slice(0, 10)

const text = z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().max(200))

export const reportFilterSchema = z.object({
  practiceId: text,
  pcn: text,
  organisationId: text,
  need: text,
})

export type Query = Record<string, string>

/** The default period: this month and the eleven before it. */
function defaultPeriod(now: Date) {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 11, 1))
  return { from, to }
}

/** What the form shows: the choices as typed, and each date as its day, month and year fields. */
export interface Values {
  from: DateParts
  to: DateParts
  practiceId?: string
  pcn?: string
  organisationId?: string
  need?: string
}

type Parsed = { ok: true; filters: ReportFilters; values: Values } | ({ ok: false; values: Values } & FormErrors)

const FIELD_ORDER = ['from', 'to', 'practiceId', 'pcn', 'organisationId', 'need']

export function parseFilters(query: Query, options: FilterOptions, now: Date): Parsed {
  const form = parseFormPage(reportFilterSchema, query)
  const typed = { from: dateParts(query, 'from'), to: dateParts(query, 'to') }
  const { practiceId, pcn, organisationId, need } = query
  const values: Values = { practiceId, pcn, organisationId, need, ...typed }
  const fields: Record<string, string> = {}
  const start = parseDateParts(typed.from, 'Start date')
  const end = parseDateParts(typed.to, 'End date')
  if (!start.ok) fields.from = start.message
  if (!end.ok) fields.to = end.message
  if (start.ok && end.ok && start.iso && end.iso && end.iso < start.iso)
    fields.to = 'End date must be the same as or after the start date'
  if (!form.ok) Object.assign(fields, form.errors)
  const check = (field: string, list: { value: string }[], message: string) => {
    if (query[field] && !list.some((o) => o.value === query[field])) fields[field] ??= message
  }
  check('practiceId', options.practices, 'Choose a GP practice from the list')
  check('pcn', options.pcns, 'Choose a primary care network from the list')
  check('organisationId', options.organisations, 'Choose an organisation from the list')
  check('need', options.needs, 'Choose a need from the list')
  if (!form.ok || !start.ok || !end.ok || Object.keys(fields).length) {
    const errorList = Object.entries(fields)
      .sort(([a], [b]) => FIELD_ORDER.indexOf(a) - FIELD_ORDER.indexOf(b))
      .map(([field, text]) => ({ field, text }))
    return { ok: false, values, errors: fields, errorList }
  }
  const period = defaultPeriod(now)
  const typedFrom = start.iso ? new Date(`${start.iso}T00:00:00Z`) : null
  const typedTo = end.iso ? new Date(`${end.iso}T00:00:00Z`) : null
  let from = typedFrom ?? period.from
  let to = typedTo ?? period.to
  // One date given: the other defaults around it (the eleven months before an end; this month, or the start's).
  if (!typedFrom && from > to) from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 11, 1))
  if (!typedTo && to < from) to = from
  // The report service counts whole months; the form, the page and the file say so by showing the months' dates.
  const filters: ReportFilters = wholeMonths({ from, to })
  if (form.data.practiceId) filters.practiceId = form.data.practiceId
  if (form.data.pcn) filters.pcn = form.data.pcn
  if (form.data.organisationId) filters.organisationId = form.data.organisationId
  if (form.data.need) filters.need = form.data.need
  return {
    ok: true,
    filters,
    values: { ...values, from: partsOf(isoDate(filters.from)), to: partsOf(isoDate(filters.to)) },
  }
}

/** The query that asks for `filters` again (the CSV links): the form's own fields. */
export function filterQuery(filters: ReportFilters): string {
  const q = new URLSearchParams()
  for (const [name, date] of [
    ['from', filters.from],
    ['to', filters.to],
  ] as const) {
    const parts = partsOf(isoDate(date))
    q.set(`${name}-day`, parts.day)
    q.set(`${name}-month`, parts.month)
    q.set(`${name}-year`, parts.year)
  }
  for (const key of ['practiceId', 'pcn', 'organisationId', 'need'] as const) {
    const v = filters[key]
    if (v) q.set(key, v)
  }
  return q.toString()
}
