// Admin: search the audit log by user, action, record and dates typed as day, month and year (NHS.UK date input).
import type { RequestHandler } from 'express'
import type { Services } from '../../../container'
import { paths } from '../../../paths'
import { AUDIT_ACTIONS } from '../../../services/audit.service'
import type { FieldErrors } from '../../../errors'
import { dateParts, parseDateParts, startOfLondonDay } from '../../../services/dates'
import { parseFormPage, renderInvalid, toFormErrors } from '../../form-page'
import { auditSearchSchema } from './admin.schemas'

export function auditController(services: Services) {
  const search: RequestHandler = async (req, res) => {
    const query = req.query as Record<string, unknown>
    const values = {
      user: typeof query.user === 'string' ? query.user : '',
      action: typeof query.action === 'string' ? query.action : '',
      recordId: typeof query.recordId === 'string' ? query.recordId : '',
    }
    const typed = { from: dateParts(query, 'from'), to: dateParts(query, 'to') }
    const actionOptions = [
      { value: '', text: 'Any action', selected: !values.action },
      ...AUDIT_ACTIONS.map((a) => ({ value: a, text: a, selected: a === values.action })),
    ]
    const locals = { title: 'Audit log', values: { ...values, ...typed }, actionOptions }
    const form = parseFormPage(auditSearchSchema, query)
    const from = parseDateParts(typed.from, 'Start date')
    const until = parseDateParts(typed.to, 'End date')
    const dateErrors: FieldErrors = {
      ...(from.ok ? {} : { from: from.message }),
      ...(until.ok ? {} : { to: until.message }),
    }
    if (from.ok && until.ok && from.iso && until.iso && until.iso < from.iso)
      dateErrors.to = 'End date must be the same as or after the start date'
    if (!form.ok || Object.keys(dateErrors).length) {
      const errors = { ...(form.ok ? {} : form.errors), ...dateErrors }
      const order = ['user', 'action', 'recordId', 'from', 'to']
      return renderInvalid(res, 'pages/admin/audit', { ...locals, events: [] }, toFormErrors(errors, order))
    }
    // UK days: from the start of the first to the start of the day after the last.
    const start = from.ok && from.iso ? startOfLondonDay(from.iso) : undefined
    const endDay = until.ok && until.iso ? new Date(`${until.iso}T12:00:00Z`) : null
    const end = endDay
      ? startOfLondonDay(new Date(endDay.getTime() + 86_400_000).toISOString().slice(0, 10))
      : undefined
    const result = await services.audit.search({ ...form.data, from: start, to: end })
    const pageLink = (page: number) => {
      const dates = Object.fromEntries(
        (['from', 'to'] as const).flatMap((name) =>
          (['day', 'month', 'year'] as const).map((part) => [`${name}-${part}`, typed[name][part]]),
        ),
      )
      const params = new URLSearchParams({ ...values, ...dates, page: String(page) })
      return `${paths.adminAudit}?${params.toString()}`
    }
    res.render('pages/admin/audit', {
      ...locals,
      ...result,
      previous: result.page > 1 ? pageLink(result.page - 1) : null,
      next: result.page < result.pages ? pageLink(result.page + 1) : null,
      events: result.events.map((e) => ({ ...e, detail: e.detail ? JSON.stringify(e.detail) : '' })),
    })
  }
  return { search }
}
