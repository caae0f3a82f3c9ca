// Reports for commissioners and admins: the index, each report with its filter form, and a CSV of every table.
// Every figure passes small-number suppression in the report service; pages and files show only aggregates.
import { Router, type Request, type Response } from 'express'
import type { Services } from '../../../container'
import { NotFoundError } from '../../../errors'
import { paths, pathFor } from '../../../paths'
import type { FilterOptions } from '../../../services/reports/report.service'
import { formatCell, SUPPRESSION_NOTE } from '../../../services/reports/format'
import { tableCsv } from '../../../services/reports/report-csv'
import { dateParts, formatDate, formatDateTime, parseDateParts, partsOf, type DateParts } from '../../../services/dates'
import { wholeMonths, type Report, type ReportFilters } from '../../../services/reports/report-types'
import { hasSuppressed } from '../../../services/reports/suppression'
import { parseFormPage, type FormErrors } from '../../form-page'
import { barChartSvg } from './bar-chart'
import { isoDate, reportFilterSchema } from './reports.schemas'
import { actorOf, ipOf } from '../../actor'

type Query = Record<string, string>

function queryOf(req: Request): Query {
  const out: Query = {}
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') out[k] = v
  return out
}

/** The default period: this month and the eleven before it. */
function defaultPeriod(now: Date) {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 11, 1))
  return { from, to }
}

/** What the form shows: the choices as typed, and each date as its day, month and year fields. */
interface Values {
  from: DateParts
  to: DateParts
  practiceId?: string
  pcn?: string
  organisationId?: string
  need?: string
}

type Parsed = { ok: true; filters: ReportFilters; values: Values } | ({ ok: false; values: Values } & FormErrors)

const FIELD_ORDER = ['from', 'to', 'practiceId', 'pcn', 'organisationId', 'need']

function parseFilters(query: Query, options: FilterOptions, now: Date): Parsed {
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

const select = (list: { value: string; text: string }[], chosen: string | undefined) =>
  list.map((o) => ({ ...o, selected: o.value === chosen }))

/** The query that asks for `filters` again (the CSV links): the form's own fields. */
function filterQuery(filters: ReportFilters): string {
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

function describeFilters(filters: ReportFilters, options: FilterOptions): string[] {
  const name = (list: { value: string; text: string }[], v?: string) => list.find((o) => o.value === v)?.text ?? v
  const out = [
    `Referrals and signpostings made from ${formatDate(filters.from)} to ${formatDate(filters.to)} (inclusive)`,
    WHOLE_MONTHS,
  ]
  if (filters.practiceId) out.push(`GP practice: ${name(options.practices, filters.practiceId)}`)
  if (filters.pcn) out.push(`Primary care network: ${filters.pcn}`)
  if (filters.organisationId) out.push(`Organisation: ${name(options.organisations, filters.organisationId)}`)
  if (filters.need) out.push(`Need (and the needs within it): ${name(options.needs, filters.need)}`)
  return out
}

const WHOLE_MONTHS =
  'Reports cover whole calendar months: the dates chosen are widened to the first and last days of their months, so that two reports never differ by a few days, which could reveal one person.'

/** A page shows at most this many rows of a table (the largest first); its CSV has them all. */
export const PAGE_ROWS = 100

/** What the page template draws of a report: every cell already in words, the chart as SVG. */
function presentReport(report: Report, query: string) {
  return report.tables.map((table) => ({
    id: table.id,
    title: table.title,
    description: table.description,
    headers: table.columns.map((c) => ({ label: c.label, numeric: c.kind !== 'label' })),
    truncated:
      table.rows.length > PAGE_ROWS ? { shown: PAGE_ROWS, total: table.rows.length.toLocaleString('en-GB') } : null,
    rows: table.rows.slice(0, PAGE_ROWS).map((row) =>
      table.columns.map((c, i) => ({
        text: formatCell(c, row[c.key]),
        numeric: c.kind !== 'label',
        header: i === 0,
      })),
    ),
    chart: barChartSvg(table, `chart-${table.id}`),
    csv: `${pathFor(paths.reportCsv, { report: report.id, table: table.id })}?${query}`,
    suppressed: hasSuppressed(table),
  }))
}

export function reportsRouter(services: Services): Router {
  const router = Router()
  const reports = services.reports

  router.get(paths.reports, (_req, res) => {
    res.render('pages/reports/index', {
      title: 'Reports',
      reports: reports.list().map((r) => ({ ...r, href: pathFor(paths.report, { report: r.id }) })),
    })
  })

  async function filtered(req: Request) {
    const definition = reports.list().find((r) => r.id === String(req.params.report))
    if (!definition) throw new NotFoundError('There is no report with that name')
    const options = await reports.filterOptions()
    return { definition, options, parsed: parseFilters(queryOf(req), options, new Date()) }
  }

  function formLocals(options: FilterOptions, values: Values) {
    return {
      values,
      practiceOptions: select(options.practices, values.practiceId),
      pcnOptions: select(options.pcns, values.pcn),
      organisationOptions: select(options.organisations, values.organisationId),
      needOptions: select(options.needs, values.need),
    }
  }

  router.get(paths.report, async (req: Request, res: Response) => {
    const { definition, options, parsed } = await filtered(req)
    const base = { title: definition.title, report: definition, backLink: paths.reports, action: req.path }
    if (!parsed.ok) {
      return res.status(400).render('pages/reports/report', {
        ...base,
        ...formLocals(options, parsed.values),
        errors: parsed.errors,
        errorList: parsed.errorList,
      })
    }
    const report = await reports.build(definition.id, parsed.filters)
    const query = filterQuery(parsed.filters)
    const tables = presentReport(report, query)
    res.render('pages/reports/report', {
      ...base,
      ...formLocals(options, parsed.values),
      summary: report.summary,
      asOf: report.asOf,
      asOfIso: report.asOf.toISOString(),
      manyTables: tables.length > 1,
      scope: describeFilters(parsed.filters, options),
      tables,
      anySuppressed: tables.some((t) => t.suppressed),
      suppressionNote: SUPPRESSION_NOTE,
    })
  })

  router.get(paths.reportCsv, async (req: Request, res: Response) => {
    const { definition, options, parsed } = await filtered(req)
    if (!parsed.ok) {
      res.status(400).type('text/plain; charset=utf-8')
      return res.send(
        `There is a problem with the filters:\n${parsed.errorList.map((e) => `- ${e.text}`).join('\n')}\n`,
      )
    }
    const report = await reports.build(definition.id, parsed.filters)
    const table = report.tables.find((t) => t.id === String(req.params.table))
    if (!table) throw new NotFoundError('This report has no table with that name')
    const notes = [...describeFilters(parsed.filters, options), `Figures as of ${formatDateTime(report.asOf)}`]
    await services.audit.record({
      actor: actorOf(req),
      action: 'export.downloaded',
      recordType: 'report',
      recordId: `${report.id}/${table.id}`,
      ip: ipOf(req),
    })
    const filename = `loopwell-${report.id}-${table.id}-${isoDate(parsed.filters.from)}-to-${isoDate(parsed.filters.to)}.csv`
    res.set('Content-Type', 'text/csv; charset=utf-8')
    res.set('Content-Disposition', `attachment; filename="${filename}"`)
    res.send(tableCsv(report, table, notes))
  })

  return router
}
