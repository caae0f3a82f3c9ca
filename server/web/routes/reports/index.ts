// Reports for commissioners and admins: the index, each report with its filter form, and a CSV of every table
// (reports.controller.ts). What each page shows is built in reports.presenter.ts, the filter form is read in
// reports.schemas.ts, and the charts are drawn in bar-chart.ts. Every figure passes small-number suppression in the
// report service; pages and files show only aggregates.
import { Router } from 'express'
import type { Services } from '../../../container'
import { paths } from '../../../paths'
import { reportsController } from './reports.controller'

export function reportsRouter(services: Services): Router {
  const router = Router()
  const reports = reportsController(services)

  router.get(paths.reports, reports.index)
  router.get(paths.report, reports.report)
  router.get(paths.reportCsv, reports.csv)

  return router
}
