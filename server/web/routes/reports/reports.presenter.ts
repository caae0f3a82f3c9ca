// What the report pages show, from what the report service answers: the index's links, the filter form's choices,
// the words describing a report's scope (on the page and in each CSV's notes), and each table in words with its
// chart, CSV link and whether it hides small numbers.
import { paths, pathFor } from '../../../paths'
import type { FilterOptions } from '../../../services/reports/report.service'
import { formatCell, SUPPRESSION_NOTE } from '../../../services/reports/format'
import { formatDate } from '../../../services/dates'
import type { Report, ReportFilters } from '../../../services/reports/report-types'
import { hasSuppressed } from '../../../services/reports/suppression'
import type { FormErrors } from '../../form-page'
import { barChartSvg } from './bar-chart'
import { filterQuery, type Values } from './reports.schemas'

/** A report as the service lists it. */
export interface ReportDefinition {
  id: string
  title: string
  summary: string
}

export function presentIndex(list: ReportDefinition[]) {
  return {
    title: 'Reports',
    reports: list.map((r) => ({ ...r, href: pathFor(paths.report, { report: r.id }) })),
  }
}

const select = (list: { value: string; text: string }[], chosen: string | undefined) =>
  list.map((o) => ({ ...o, selected: o.value === chosen }))

function formLocals(options: FilterOptions, values: Values) {
  return {
    values,
    practiceOptions: select(options.practices, values.practiceId),
    pcnOptions: select(options.pcns, values.pcn),
    organisationOptions: select(options.organisations, values.organisationId),
    needOptions: select(options.needs, values.need),
  }
}

const WHOLE_MONTHS =
  'Reports cover whole calendar months: the dates chosen are widened to the first and last days of their months, so that two reports never differ by a few days, which could reveal one person.'

export function describeFilters(filters: ReportFilters, options: FilterOptions): string[] {
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

/** A page shows at most this many rows of a table (the largest first); its CSV has them all. */
export const PAGE_ROWS = 100

/** What the page template draws of a report: every cell already in words, the chart as SVG. */
function presentTables(report: Report, query: string) {
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

/** A report page: which report, the page's own address (the form's action), the filter choices and the form's values. */
export interface ReportPage {
  action: string
  definition: ReportDefinition
  options: FilterOptions
  values: Values
}

/** The locals every report page has: its title, the way back, and the filter form as typed or as read. */
function pageBase({ action, definition, options, values }: ReportPage) {
  return {
    title: definition.title,
    report: definition,
    backLink: paths.reports,
    action,
    ...formLocals(options, values),
  }
}

/** A report page whose filters do not read: the form again with its errors, and no figures. */
export function presentInvalidReport(page: ReportPage, form: FormErrors) {
  return { ...pageBase(page), errors: form.errors, errorList: form.errorList }
}

/** A report page with its figures for `filters`; each table's CSV link asks for the same filters. */
export function presentReport(page: ReportPage, filters: ReportFilters, report: Report) {
  const tables = presentTables(report, filterQuery(filters))
  return {
    ...pageBase(page),
    summary: report.summary,
    asOf: report.asOf,
    asOfIso: report.asOf.toISOString(),
    manyTables: tables.length > 1,
    scope: describeFilters(filters, page.options),
    tables,
    anySuppressed: tables.some((t) => t.suppressed),
    suppressionNote: SUPPRESSION_NOTE,
  }
}
