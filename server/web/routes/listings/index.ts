// Keeping listings true: VCO members' quick actions and edits, the curators' review queue and history, the public
// "report a problem" form and the freshness reminder links. Services answer NotFoundError for listings outside the
// user's organisations, exactly as for listings that do not exist.
import { Router, type Request, type Response } from 'express'
import { rateLimit } from 'express-rate-limit'
import type { Services } from '../../../container'
import { NotFoundError, TooManyRequestsError, ValidationError } from '../../../errors'
import { paths, pathFor } from '../../../paths'
import { REPORT_KINDS } from '../../../data/listing-records'
import { CAPACITIES } from '../../../domain/directory-vocabulary'
import { fieldsOf } from '../../../services/listing-fields'
import { parseFormPage, renderInvalid, toFormErrors } from '../../form-page'
import { listingFormLocals, valuesFromBody, valuesFromFields } from './listing-form'
import {
  answerSchema,
  capacitySchema,
  checkSchema,
  decisionSchema,
  listingSchema,
  rejectSchema,
  reportSchema,
  restoreSchema,
  temporarilyClosedSchema,
  toListingFields,
} from './listings.schemas'
import { actorOf } from '../../actor'

const CAPACITY_LABELS: Record<string, string> = {
  open: 'Open: taking new people',
  waitlist: 'Waiting list',
  full: 'Full: not taking new people',
  paused: 'Paused: not taking new people for now',
}
const REPORT_LABELS: Record<string, string> = {
  wrong_details: 'Some details are wrong',
  closed: 'It has closed',
  other: 'Something else',
}
const METHOD_LABELS: Record<string, string> = {
  vco_confirmed: 'confirmed by the organisation',
  link_worker_visited: 'a link worker visited',
  curator_phoned: 'the directory team phoned',
  curator_reviewed: 'the directory team reviewed a change',
}

const DONE: Record<string, string> = {
  capacity: 'Capacity updated. The listing shows it now.',
  closed: 'The listing now says the service is temporarily closed.',
  reopened: 'The listing now says the service is running.',
  accurate: 'Thank you. The listing now shows it was checked today.',
  submitted: 'Change sent for review. The listing stays as it is until the directory team approves it.',
  created: 'Listing sent for review. It will be public once the directory team approves it.',
}

function param(req: Request, name: string): string {
  return String(req.params[name])
}

function isoDate(d: Date | null | undefined): string {
  return d ? d.toISOString().slice(0, 10) : ''
}

export function listingsRouter(services: Services): Router {
  const router = Router()
  const { listings, freshness } = services

  // Public problem reports: 10 an hour from one address (per instance), on top of the site-wide limit.
  const reportLimit = rateLimit({
    windowMs: 60 * 60_000,
    limit: 10,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => req.method !== 'POST',
    handler: (_req, _res, next) =>
      next(new TooManyRequestsError('You have sent a lot of reports. Wait an hour and try again.')),
  })

  // VCO members (and curators)

  router.get(paths.organisationListings, async (req, res) => {
    const data = await listings.organisationListings(actorOf(req), param(req, 'organisationId'))
    res.render('pages/listings/organisation', {
      title: `Listings of ${data.organisation.name}`,
      ...data,
      services: data.services.map((s) => ({ ...s, capacityLabel: CAPACITY_LABELS[s.capacity] })),
      reports: data.reports.map((r) => ({ ...r, kindLabel: REPORT_LABELS[r.kind] })),
    })
  })

  async function manageLocals(req: Request) {
    const data = await listings.listingForEdit(actorOf(req), param(req, 'serviceId'))
    const s = data.view.service
    return {
      title: `Manage ${s.name}`,
      ...data,
      service: s,
      organisation: data.view.organization,
      isPublic: s.review_status === 'approved',
      temporarilyClosed: s.status === 'temporarily closed',
      checkedHow: s.assurer_method ? METHOD_LABELS[s.assurer_method] : null,
      capacityOptions: CAPACITIES.map((c) => ({
        value: c,
        label: CAPACITY_LABELS[c],
        checked: s.referral.capacity === c,
      })),
      capacityValues: {
        capacity_note: s.referral.capacity_note ?? '',
        reopens: isoDate(s.referral.capacity_reopens_on),
      },
      done: Object.hasOwn(DONE, String(req.query.done)) ? DONE[String(req.query.done)] : null,
    }
  }

  router.get(paths.listingManage, async (req, res) => {
    res.render('pages/listings/manage', await manageLocals(req))
  })

  router.post(paths.listingCapacity, async (req, res) => {
    const serviceId = param(req, 'serviceId')
    const form = parseFormPage(capacitySchema, req.body)
    if (!form.ok) {
      const page = await manageLocals(req)
      const body = (req.body ?? {}) as Record<string, unknown>
      return renderInvalid(
        res,
        'pages/listings/manage',
        {
          ...page,
          capacityOptions: page.capacityOptions.map((o) => ({ ...o, checked: body.capacity === o.value })),
          capacityValues: { capacity_note: String(body.capacity_note ?? ''), reopens: String(body.reopens ?? '') },
        },
        form,
      )
    }
    await listings.setCapacity(actorOf(req), serviceId, {
      capacity: form.data.capacity,
      note: form.data.capacity_note,
      reopensOn: form.data.reopens,
    })
    res.redirect(303, `${pathFor(paths.listingManage, { serviceId })}?done=capacity`)
  })

  router.post(paths.listingTemporarilyClosed, async (req, res) => {
    const serviceId = param(req, 'serviceId')
    const form = parseFormPage(temporarilyClosedSchema, req.body)
    if (!form.ok) return renderInvalid(res, 'pages/listings/manage', await manageLocals(req), form)
    try {
      await listings.setTemporarilyClosed(actorOf(req), serviceId, form.data.closed === 'yes')
    } catch (error) {
      if (error instanceof ValidationError)
        return renderInvalid(res, 'pages/listings/manage', await manageLocals(req), toFormErrors(error.fields))
      throw error
    }
    res.redirect(
      303,
      `${pathFor(paths.listingManage, { serviceId })}?done=${form.data.closed === 'yes' ? 'closed' : 'reopened'}`,
    )
  })

  router.post(paths.listingStillAccurate, async (req, res) => {
    const serviceId = param(req, 'serviceId')
    await listings.confirmAccurate(actorOf(req), serviceId)
    res.redirect(303, `${pathFor(paths.listingManage, { serviceId })}?done=accurate`)
  })

  async function editLocals(req: Request) {
    const data = await listings.listingForEdit(actorOf(req), param(req, 'serviceId'))
    return {
      title: `Change ${data.view.service.name}`,
      service: data.view.service,
      organisation: data.view.organization,
      pending: data.pending,
      otherTimes: data.otherTimes,
      isPublic: data.view.service.review_status === 'approved',
      fields: data.fields,
    }
  }

  router.get(paths.listingEdit, async (req, res) => {
    const page = await editLocals(req)
    res.render('pages/listings/edit', { ...page, ...listingFormLocals(valuesFromFields(page.fields)) })
  })

  router.post(paths.listingEdit, async (req, res) => {
    const serviceId = param(req, 'serviceId')
    const page = await editLocals(req)
    const values = valuesFromBody(req.body)
    const form = parseFormPage(listingSchema, req.body)
    if (!form.ok)
      return renderInvalid(res, 'pages/listings/edit', { ...page, ...listingFormLocals(values, form.errors) }, form)
    try {
      await listings.submitEdit(actorOf(req), serviceId, toListingFields(form.data))
    } catch (error) {
      if (error instanceof ValidationError) {
        const errors = toFormErrors(error.fields)
        return renderInvalid(
          res,
          'pages/listings/edit',
          { ...page, ...listingFormLocals(values, errors.errors) },
          errors,
        )
      }
      throw error
    }
    res.redirect(303, `${pathFor(paths.listingManage, { serviceId })}?done=submitted`)
  })

  async function newLocals(req: Request) {
    const data = await listings.organisationListings(actorOf(req), param(req, 'organisationId'))
    return { title: `Add a listing for ${data.organisation.name}`, organisation: data.organisation }
  }

  router.get(paths.listingNew, async (req, res) => {
    res.render('pages/listings/new', { ...(await newLocals(req)), ...listingFormLocals({ accepts_referrals: 'no' }) })
  })

  router.post(paths.listingNew, async (req, res) => {
    const page = await newLocals(req)
    const values = valuesFromBody(req.body)
    const form = parseFormPage(listingSchema, req.body)
    if (!form.ok)
      return renderInvalid(res, 'pages/listings/new', { ...page, ...listingFormLocals(values, form.errors) }, form)
    const { serviceId } = await listings.createListing(actorOf(req), page.organisation.id, toListingFields(form.data))
    res.redirect(303, `${pathFor(paths.listingManage, { serviceId })}?done=created`)
  })

  router.post(paths.listingReportResolve, async (req, res) => {
    const report = await listings.resolveReport(actorOf(req), param(req, 'reportId'))
    const admin = actorOf(req).roles.includes('admin')
    res.redirect(
      303,
      admin
        ? paths.adminListingReview
        : pathFor(paths.organisationListings, { organisationId: report.organization_id }),
    )
  })

  // The public: report a problem with a listing

  const reportOptions = (kind?: unknown) =>
    REPORT_KINDS.map((k) => ({ value: k, label: REPORT_LABELS[k], checked: kind === k }))

  router.get(paths.reportService, reportLimit, async (req, res) => {
    const view = await services.directory.getService(param(req, 'id'))
    res.render('pages/listings/report', {
      title: `Report a problem with ${view.service.name}`,
      service: view.service,
      reportOptions: reportOptions(),
      values: {},
    })
  })

  router.post(paths.reportService, reportLimit, async (req, res) => {
    const view = await services.directory.getService(param(req, 'id'))
    const body = (req.body ?? {}) as Record<string, unknown>
    const form = parseFormPage(reportSchema, body)
    const locals = {
      title: `Report a problem with ${view.service.name}`,
      service: view.service,
      reportOptions: reportOptions(body.kind),
      values: { details: typeof body.details === 'string' ? body.details : '' },
    }
    if (!form.ok) return renderInvalid(res, 'pages/listings/report', locals, form)
    await listings.reportProblem(view.service.id, form.data)
    res.render('pages/listings/report-sent', { title: 'Thank you for telling us', service: view.service })
  })

  // Freshness reminder links: no sign-in; one use

  async function renderCheck(res: Response, secret: string, status = 200, extra: Record<string, unknown> = {}) {
    try {
      const state = await freshness.tokenState(secret)
      res.status(status).render('pages/listings/check', {
        title: state.state === 'valid' ? `Is ${state.serviceName} still right?` : 'This link has already been used',
        token: secret,
        state,
        valid: state.state === 'valid',
        used: state.state === 'used',
        expired: state.state === 'expired',
        usedAnswer: state.state === 'used' ? state.answer : null,
        editPath: pathFor(paths.listingEdit, { serviceId: state.serviceId }),
        servicePath: pathFor(paths.service, { id: state.serviceId }),
        ...extra,
      })
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error
      // 410 rather than 404: the address exists, this link does not work.
      res.status(410).render('pages/listings/check', { title: 'This link does not work', unknown: true })
    }
  }

  router.get(paths.listingCheck, async (req, res) => {
    const answer = String(req.query.answer ?? '')
    await renderCheck(res, param(req, 'token'), 200, {
      answerAccurate: answer === 'accurate' || answer === '',
      answerClosed: answer === 'closed',
    })
  })

  router.post(paths.listingCheck, async (req, res) => {
    const secret = param(req, 'token')
    const form = parseFormPage(answerSchema, req.body)
    if (!form.ok) return renderCheck(res, secret, 400, { errors: form.errors, errorList: form.errorList })
    let result
    try {
      result = await freshness.answer(secret, form.data.answer)
    } catch (error) {
      if (error instanceof NotFoundError) return renderCheck(res, secret)
      throw error
    }
    await renderCheck(res, secret, 200, {
      justAnswered: result.applied,
      answeredAccurate: form.data.answer === 'accurate',
    })
  })

  // Curators

  router.get(paths.adminListingReview, async (req, res) => {
    const [queue, overdue] = await Promise.all([listings.reviewQueue(), freshness.overdueListings()])
    res.render('pages/listings/review', {
      title: 'Listings to review',
      ...queue,
      reports: queue.reports.map((r) => ({ ...r, kindLabel: REPORT_LABELS[r.kind] })),
      overdue,
      done:
        req.query.done === 'approved'
          ? 'Approved. The listing shows the change now.'
          : req.query.done === 'rejected'
            ? 'Rejected. We emailed the reason to the person who asked.'
            : null,
    })
  })

  async function requestLocals(req: Request) {
    const data = await listings.changeRequest(param(req, 'changeRequestId'))
    return { title: `Review: ${data.request.service_name}`, ...data, isNew: data.request.kind === 'new_service' }
  }

  router.get(paths.adminChangeRequest, async (req, res) => {
    res.render('pages/listings/change-request', { ...(await requestLocals(req)), values: {} })
  })

  router.post(paths.adminChangeRequest, async (req, res) => {
    const id = param(req, 'changeRequestId')
    const body = (req.body ?? {}) as Record<string, unknown>
    const decision = parseFormPage(decisionSchema, body)
    if (!decision.ok)
      return renderInvalid(
        res,
        'pages/listings/change-request',
        { ...(await requestLocals(req)), values: {} },
        decision,
      )
    if (decision.data.decision === 'approve') {
      await listings.approve(actorOf(req), id)
      return res.redirect(303, `${paths.adminListingReview}?done=approved`)
    }
    const form = parseFormPage(rejectSchema, body)
    if (!form.ok) {
      return renderInvalid(
        res,
        'pages/listings/change-request',
        { ...(await requestLocals(req)), values: { reason: typeof body.reason === 'string' ? body.reason : '' } },
        form,
      )
    }
    await listings.reject(actorOf(req), id, form.data.reason)
    res.redirect(303, `${paths.adminListingReview}?done=rejected`)
  })

  router.get(paths.adminChangeRequestEdit, async (req, res) => {
    const page = await requestLocals(req)
    res.render('pages/listings/change-request-edit', {
      ...page,
      ...listingFormLocals(valuesFromFields(page.request.proposed)),
    })
  })

  router.post(paths.adminChangeRequestEdit, async (req, res) => {
    const page = await requestLocals(req)
    const values = valuesFromBody(req.body)
    const form = parseFormPage(listingSchema, req.body)
    if (!form.ok)
      return renderInvalid(
        res,
        'pages/listings/change-request-edit',
        { ...page, ...listingFormLocals(values, form.errors) },
        form,
      )
    await listings.approve(actorOf(req), page.request.id, toListingFields(form.data))
    res.redirect(303, `${paths.adminListingReview}?done=approved`)
  })

  async function historyLocals(req: Request) {
    const { view, versions } = await listings.history(actorOf(req), param(req, 'serviceId'))
    const s = view.service
    return {
      title: `History of ${s.name}`,
      service: s,
      organisation: view.organization,
      current: s.version ?? 1,
      versions: versions.map((v) => ({ ...v, isCurrent: v.version === (s.version ?? 1) })),
      checkedHow: s.assurer_method ? METHOD_LABELS[s.assurer_method] : null,
      live: fieldsOf(s),
      done: req.query.restored
        ? `Version ${String(req.query.restored)} is live again.`
        : req.query.checked
          ? 'Check recorded.'
          : null,
    }
  }

  router.get(paths.adminListingHistory, async (req, res) => {
    res.render('pages/listings/history', await historyLocals(req))
  })

  router.post(paths.adminListingRestore, async (req, res) => {
    const serviceId = param(req, 'serviceId')
    const form = parseFormPage(restoreSchema, req.body)
    if (!form.ok) return renderInvalid(res, 'pages/listings/history', await historyLocals(req), form)
    try {
      await listings.restore(actorOf(req), serviceId, form.data.version)
    } catch (error) {
      if (error instanceof NotFoundError && (await listings.history(actorOf(req), serviceId).catch(() => null))) {
        return renderInvalid(
          res,
          'pages/listings/history',
          await historyLocals(req),
          toFormErrors({ version: 'Choose a version to restore' }),
        )
      }
      throw error
    }
    res.redirect(303, `${pathFor(paths.adminListingHistory, { serviceId })}?restored=${form.data.version}`)
  })

  router.post(paths.adminListingCheck, async (req, res) => {
    const serviceId = param(req, 'serviceId')
    const form = parseFormPage(checkSchema, req.body)
    if (!form.ok) return renderInvalid(res, 'pages/listings/history', await historyLocals(req), form)
    await listings.recordCheck(actorOf(req), serviceId, form.data.method)
    res.redirect(303, `${pathFor(paths.adminListingHistory, { serviceId })}?checked=1`)
  })

  return router
}
