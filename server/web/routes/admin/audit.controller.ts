// Admin: search the audit log by user, action, record and date.
import type { RequestHandler } from 'express'
import type { Services } from '../../../container'
import { paths } from '../../../paths'
import { AUDIT_ACTIONS } from '../../../services/audit.service'
import { parseFormPage, renderInvalid } from '../../form-page'
import { auditSearchSchema } from './admin.schemas'

export function auditController(services: Services) {
  const search: RequestHandler = async (req, res) => {
    const query = req.query as Record<string, unknown>
    const values = {
      user: typeof query.user === 'string' ? query.user : '',
      action: typeof query.action === 'string' ? query.action : '',
      recordId: typeof query.recordId === 'string' ? query.recordId : '',
      from: typeof query.from === 'string' ? query.from : '',
      to: typeof query.to === 'string' ? query.to : '',
    }
    const actionOptions = [
      { value: '', text: 'Any action', selected: !values.action },
      ...AUDIT_ACTIONS.map((a) => ({ value: a, text: a, selected: a === values.action })),
    ]
    const locals = { title: 'Audit log', values, actionOptions }
    const form = parseFormPage(auditSearchSchema, query)
    if (!form.ok) return renderInvalid(res, 'pages/admin/audit', { ...locals, events: [] }, form)
    const to = form.data.to ? new Date(form.data.to.getTime() + 86_400_000) : undefined
    const result = await services.audit.search({ ...form.data, to })
    const pageLink = (page: number) => {
      const params = new URLSearchParams({ ...values, page: String(page) })
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
