// An organisation's listings as its members (and curators) change them: the organisation's list, the manage page's
// quick actions (capacity, temporarily closed, still accurate), edits and new listings sent for review, and closing
// a problem report.
import type { Request, RequestHandler } from 'express'
import type { Services } from '../../../container'
import { ValidationError } from '../../../errors'
import { paths, pathFor } from '../../../paths'
import { actorOf } from '../../actor'
import { parseFormPage, renderInvalid, toFormErrors } from '../../form-page'
import { listingFormLocals, valuesFromBody, valuesFromFields } from './listing-form'
import { capacitySchema, listingSchema, temporarilyClosedSchema, toListingFields } from './listings.schemas'
import {
  presentEdit,
  presentManage,
  presentNew,
  presentOrganisationListings,
  withPostedCapacity,
} from './listings.presenter'
import { formBody } from '../../request-params'

const param = (req: Request, name: string) => String(req.params[name])
const managePath = (serviceId: string, done: string) => `${pathFor(paths.listingManage, { serviceId })}?done=${done}`

export function listingEditController({ listings }: Pick<Services, 'listings'>) {
  const managePage = async (req: Request) =>
    presentManage(await listings.listingForEdit(actorOf(req), param(req, 'serviceId')), req.query.done)
  const editPage = async (req: Request) =>
    presentEdit(await listings.listingForEdit(actorOf(req), param(req, 'serviceId')))
  const newPage = async (req: Request) =>
    presentNew(await listings.organisationListings(actorOf(req), param(req, 'organisationId')))

  const organisation: RequestHandler = async (req, res) => {
    const data = await listings.organisationListings(actorOf(req), param(req, 'organisationId'))
    res.render('pages/listings/organisation', presentOrganisationListings(data))
  }

  const manage: RequestHandler = async (req, res) => {
    res.render('pages/listings/manage', await managePage(req))
  }

  const setCapacity: RequestHandler = async (req, res) => {
    const serviceId = param(req, 'serviceId')
    const form = parseFormPage(capacitySchema, req.body)
    if (!form.ok) {
      return renderInvalid(res, 'pages/listings/manage', withPostedCapacity(await managePage(req), formBody(req)), form)
    }
    await listings.setCapacity(actorOf(req), serviceId, {
      capacity: form.data.capacity,
      note: form.data.capacity_note,
      reopensOn: form.data.reopens,
    })
    res.redirect(303, managePath(serviceId, 'capacity'))
  }

  const setTemporarilyClosed: RequestHandler = async (req, res) => {
    const serviceId = param(req, 'serviceId')
    const form = parseFormPage(temporarilyClosedSchema, req.body)
    if (!form.ok) return renderInvalid(res, 'pages/listings/manage', await managePage(req), form)
    try {
      await listings.setTemporarilyClosed(actorOf(req), serviceId, form.data.closed === 'yes')
    } catch (error) {
      if (error instanceof ValidationError)
        return renderInvalid(res, 'pages/listings/manage', await managePage(req), toFormErrors(error.fields))
      throw error
    }
    res.redirect(303, managePath(serviceId, form.data.closed === 'yes' ? 'closed' : 'reopened'))
  }

  const confirmAccurate: RequestHandler = async (req, res) => {
    const serviceId = param(req, 'serviceId')
    await listings.confirmAccurate(actorOf(req), serviceId)
    res.redirect(303, managePath(serviceId, 'accurate'))
  }

  const showEdit: RequestHandler = async (req, res) => {
    const page = await editPage(req)
    res.render('pages/listings/edit', { ...page, ...listingFormLocals(valuesFromFields(page.fields)) })
  }

  const submitEdit: RequestHandler = async (req, res) => {
    const serviceId = param(req, 'serviceId')
    const page = await editPage(req)
    const values = valuesFromBody(req.body)
    const form = parseFormPage(listingSchema, req.body)
    if (!form.ok)
      return renderInvalid(res, 'pages/listings/edit', { ...page, ...listingFormLocals(values, form.errors) }, form)
    try {
      await listings.submitEdit(actorOf(req), serviceId, toListingFields(form.data))
    } catch (error) {
      if (error instanceof ValidationError) {
        const errors = toFormErrors(error.fields)
        const locals = { ...page, ...listingFormLocals(values, errors.errors) }
        return renderInvalid(res, 'pages/listings/edit', locals, errors)
      }
      throw error
    }
    res.redirect(303, managePath(serviceId, 'submitted'))
  }

  const showNew: RequestHandler = async (req, res) => {
    res.render('pages/listings/new', { ...(await newPage(req)), ...listingFormLocals({ accepts_referrals: 'no' }) })
  }

  const create: RequestHandler = async (req, res) => {
    const page = await newPage(req)
    const values = valuesFromBody(req.body)
    const form = parseFormPage(listingSchema, req.body)
    if (!form.ok)
      return renderInvalid(res, 'pages/listings/new', { ...page, ...listingFormLocals(values, form.errors) }, form)
    const { serviceId } = await listings.createListing(actorOf(req), page.organisation.id, toListingFields(form.data))
    res.redirect(303, managePath(serviceId, 'created'))
  }

  const resolveReport: RequestHandler = async (req, res) => {
    const report = await listings.resolveReport(actorOf(req), param(req, 'reportId'))
    const admin = actorOf(req).roles.includes('admin')
    res.redirect(
      303,
      admin
        ? paths.adminListingReview
        : pathFor(paths.organisationListings, { organisationId: report.organization_id }),
    )
  }

  return {
    organisation,
    manage,
    setCapacity,
    setTemporarilyClosed,
    confirmAccurate,
    showEdit,
    submitEdit,
    showNew,
    create,
    resolveReport,
  }
}
