// Curators' pages: the review queue, deciding a change request (approve, reject with a reason, or edit and approve),
// a listing's versions with restoring one, and recording a check made by hand.
import type { Request, RequestHandler } from 'express'
import type { Services } from '../../../container'
import { NotFoundError } from '../../../errors'
import { paths, pathFor } from '../../../paths'
import { actorOf } from '../../actor'
import { pageParam } from '../../pagination'
import { parseFormPage, renderInvalid, toFormErrors } from '../../form-page'
import { listingFormLocals, valuesFromBody, valuesFromFields } from './listing-form'
import {
  checkSchema,
  decisionSchema,
  listingSchema,
  rejectSchema,
  restoreSchema,
  toListingFields,
} from './listings.schemas'
import { presentChangeRequest, presentHistory, presentReview } from './listings.presenter'
import { formBody } from '../../request-params'

const param = (req: Request, name: string) => String(req.params[name])

export function listingReviewController({ listings, freshness }: Pick<Services, 'listings' | 'freshness'>) {
  const requestPage = async (req: Request) =>
    presentChangeRequest(await listings.changeRequest(param(req, 'changeRequestId')))
  const historyPage = async (req: Request) =>
    presentHistory(await listings.history(actorOf(req), param(req, 'serviceId')), req.query)

  const queue: RequestHandler = async (req, res) => {
    const pages = {
      requests: pageParam(req, 'requests'),
      reports: pageParam(req, 'reports'),
      overdue: pageParam(req, 'overdue'),
    }
    const [waiting, overdue] = await Promise.all([listings.reviewQueue(), freshness.overdueListings()])
    res.render('pages/listings/review', presentReview(req, waiting, overdue, pages))
  }

  const showRequest: RequestHandler = async (req, res) => {
    res.render('pages/listings/change-request', { ...(await requestPage(req)), values: {} })
  }

  const decide: RequestHandler = async (req, res) => {
    const id = param(req, 'changeRequestId')
    const body = formBody(req)
    const decision = parseFormPage(decisionSchema, body)
    if (!decision.ok)
      return renderInvalid(res, 'pages/listings/change-request', { ...(await requestPage(req)), values: {} }, decision)
    if (decision.data.decision === 'approve') {
      await listings.approve(actorOf(req), id)
      return res.redirect(303, `${paths.adminListingReview}?done=approved`)
    }
    const form = parseFormPage(rejectSchema, body)
    if (!form.ok) {
      const values = { reason: typeof body.reason === 'string' ? body.reason : '' }
      return renderInvalid(res, 'pages/listings/change-request', { ...(await requestPage(req)), values }, form)
    }
    await listings.reject(actorOf(req), id, form.data.reason)
    res.redirect(303, `${paths.adminListingReview}?done=rejected`)
  }

  const showEditRequest: RequestHandler = async (req, res) => {
    const page = await requestPage(req)
    res.render('pages/listings/change-request-edit', {
      ...page,
      ...listingFormLocals(valuesFromFields(page.request.proposed)),
    })
  }

  const editAndApprove: RequestHandler = async (req, res) => {
    const page = await requestPage(req)
    const values = valuesFromBody(req.body)
    const form = parseFormPage(listingSchema, req.body)
    if (!form.ok) {
      const locals = { ...page, ...listingFormLocals(values, form.errors) }
      return renderInvalid(res, 'pages/listings/change-request-edit', locals, form)
    }
    await listings.approve(actorOf(req), page.request.id, toListingFields(form.data))
    res.redirect(303, `${paths.adminListingReview}?done=approved`)
  }

  const history: RequestHandler = async (req, res) => {
    res.render('pages/listings/history', await historyPage(req))
  }

  const restore: RequestHandler = async (req, res) => {
    const serviceId = param(req, 'serviceId')
    const form = parseFormPage(restoreSchema, req.body)
    if (!form.ok) return renderInvalid(res, 'pages/listings/history', await historyPage(req), form)
    try {
      await listings.restore(actorOf(req), serviceId, form.data.version)
    } catch (error) {
      if (error instanceof NotFoundError && (await listings.history(actorOf(req), serviceId).catch(() => null))) {
        const errors = toFormErrors({ version: 'Choose a version to restore' })
        return renderInvalid(res, 'pages/listings/history', await historyPage(req), errors)
      }
      throw error
    }
    res.redirect(303, `${pathFor(paths.adminListingHistory, { serviceId })}?restored=${form.data.version}`)
  }

  const recordCheck: RequestHandler = async (req, res) => {
    const serviceId = param(req, 'serviceId')
    const form = parseFormPage(checkSchema, req.body)
    if (!form.ok) return renderInvalid(res, 'pages/listings/history', await historyPage(req), form)
    await listings.recordCheck(actorOf(req), serviceId, form.data.method)
    res.redirect(303, `${pathFor(paths.adminListingHistory, { serviceId })}?checked=1`)
  }

  return { queue, showRequest, decide, showEditRequest, editAndApprove, history, restore, recordCheck }
}
