// Reports for commissioners and admins: the index, each report with its filter form, and a CSV of every table.
// Every figure passes small-number suppression in the report service; pages and files show only aggregates.
import type { Request, RequestHandler } from 'express'
import type { Services } from '../../../container'
import { NotFoundError } from '../../../errors'
import { formatDateTime } from '../../../services/dates'
import { tableCsv } from '../../../services/reports/report-csv'
import { actorOf, ipOf } from '../../actor'
import { describeFilters, presentIndex, presentInvalidReport, presentReport } from './reports.presenter'
import { isoDate, parseFilters, type Query } from './reports.schemas'

function queryOf(req: Request): Query {
  const out: Query = {}
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') out[k] = v
  return out
}

export function reportsController({ reports, audit }: Pick<Services, 'reports' | 'audit'>) {
  /** The report the path names, the filter choices offered, and the query read against them. */
  async function filtered(req: Request) {
    const definition = reports.list().find((r) => r.id === String(req.params.report))
    if (!definition) throw new NotFoundError('There is no report with that name')
    const options = await reports.filterOptions()
    return { definition, options, parsed: parseFilters(queryOf(req), options, new Date()) }
  }

  const index: RequestHandler = (_req, res) => {
    res.render('pages/reports/index', presentIndex(reports.list()))
  }

  const report: RequestHandler = async (req, res) => {
    const { definition, options, parsed } = await filtered(req)
    const page = { action: req.path, definition, options, values: parsed.values }
    if (!parsed.ok) return res.status(400).render('pages/reports/report', presentInvalidReport(page, parsed))
    const built = await reports.build(definition.id, parsed.filters)
    res.render('pages/reports/report', presentReport(page, parsed.filters, built))
  }

  const csv: RequestHandler = async (req, res) => {
    const { definition, options, parsed } = await filtered(req)
    if (!parsed.ok) {
      res.status(400).type('text/plain; charset=utf-8')
      return res.send(
        `There is a problem with the filters:\n${parsed.errorList.map((e) => `- ${e.text}`).join('\n')}\n`,
      )
    }
    const built = await reports.build(definition.id, parsed.filters)
    const table = built.tables.find((t) => t.id === String(req.params.table))
    if (!table) throw new NotFoundError('This report has no table with that name')
    const notes = [...describeFilters(parsed.filters, options), `Figures as of ${formatDateTime(built.asOf)}`]
    await audit.record({
      actor: actorOf(req),
      action: 'export.downloaded',
      recordType: 'report',
      recordId: `${built.id}/${table.id}`,
      ip: ipOf(req),
    })
    const filename = `loopwell-${built.id}-${table.id}-${isoDate(parsed.filters.from)}-to-${isoDate(parsed.filters.to)}.csv`
    res.set('Content-Type', 'text/csv; charset=utf-8')
    res.set('Content-Disposition', `attachment; filename="${filename}"`)
    res.send(tableCsv(built, table, notes))
  }

  return { index, report, csv }
}
