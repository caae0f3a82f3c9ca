// Referring someone from a listing (only to services that accept referrals) and recording a signposting, each with
// the person picker. What each form shows is built in referral.presenter.ts.
import type { Request, RequestHandler } from 'express'
import type { Services } from '../../../container'
import { newId } from '../../../domain/ids'
import { NotFoundError, ValidationError, type FieldErrors } from '../../../errors'
import { paths, pathFor } from '../../../paths'
import { parseForm, toFormErrors } from '../../form-page'
import { actorOf, ipOf } from '../../actor'
import { formBody, idParam } from '../../request-params'
import { consentHowOptions, contactOptions, needOptions, personOptions, supportOptions } from './referral.presenter'
import { REFER_FIELD_ORDER, referSchema, signpostSchema, str, strs } from './referral.schemas'

/** The person picker's query: `find` (name or NHS number) from the page's search form, kept through a post. */
const pickerOf = (req: Request, values: Record<string, unknown>) => ({
  find: str(values.find ?? req.query.find) || undefined,
  chosenId: str(values.personId) || undefined,
})

export function referController(services: Services) {
  const taxonomy = () => services.directory.taxonomy()

  async function referLocals(req: Request, serviceId: string, values: Record<string, unknown>) {
    const picker = pickerOf(req, values)
    const [{ service, people: caseload, found, caseloadSize, nobodyToAnswer }, terms] = await Promise.all([
      services.referrals.referForm(actorOf(req), serviceId, ipOf(req), picker),
      taxonomy(),
    ])
    if (!service.acceptsReferrals) throw new NotFoundError('Service not found')
    const chosenNeeds = strs(values.needs)
    const person = caseload.find((p) => p.id === values.personId)
    return {
      title: `Refer someone to ${service.name}`,
      backLink: pathFor(paths.service, { id: serviceId }),
      service,
      values: { ...values, idempotencyKey: str(values.idempotencyKey) || newId() },
      personOptions: personOptions(caseload, values.personId),
      alreadyConsented: person
        ? person.consents.some((c) => c.organisationId === service.organisationId && c.type === 'given')
        : false,
      needOptions: needOptions(terms, chosenNeeds),
      contactOptions: contactOptions(values.contactPreference ?? person?.contactPreference),
      supportOptions: supportOptions(values.supportToAttend),
      consentHowOptions: consentHowOptions(values.consentHow),
      noCaseload: caseloadSize === 0,
      find: picker.find ?? '',
      found: found ? { count: found.length, plural: found.length !== 1 } : null,
      nobodyToAnswer,
    }
  }

  const showRefer: RequestHandler = async (req, res) => {
    const serviceId = idParam(req, 'id')
    const personId = typeof req.query.personId === 'string' ? req.query.personId : ''
    res.render('pages/referrals/refer', await referLocals(req, serviceId, { personId }))
  }

  const refer: RequestHandler = async (req, res) => {
    const serviceId = idParam(req, 'id')
    const values = formBody(req)
    const invalid = async (fields: FieldErrors) =>
      res.status(400).render('pages/referrals/refer', {
        ...(await referLocals(req, serviceId, values)),
        ...toFormErrors(fields, REFER_FIELD_ORDER),
      })
    const form = parseForm(referSchema, values)
    if (!form.ok) return invalid(form.errors)
    try {
      const { referral } = await services.referrals.submit(
        actorOf(req),
        {
          serviceId,
          personId: form.value.personId,
          idempotencyKey: form.value.idempotencyKey,
          consentConfirmed: form.value.consent === 'yes',
          consentHow: form.value.consentHow,
          gpFeedback: form.value.gpFeedback === 'yes',
          needs: form.value.needs,
          note: form.value.note,
          contactPreference: form.value.contactPreference,
          supportToAttend: form.value.supportToAttend,
        },
        ipOf(req),
      )
      res.redirect(303, `${pathFor(paths.referral, { referralId: referral.id })}?sent=1`)
    } catch (error) {
      if (error instanceof ValidationError) return invalid(error.fields)
      throw error
    }
  }

  async function signpostLocals(req: Request, serviceId: string, values: Record<string, unknown>) {
    const picker = pickerOf(req, values)
    const [{ service, people: caseload, found, caseloadSize }, terms] = await Promise.all([
      services.referrals.referForm(actorOf(req), serviceId, ipOf(req), picker),
      taxonomy(),
    ])
    const chosenNeeds = strs(values.needs)
    return {
      title: `Record a signposting to ${service.name}`,
      backLink: pathFor(paths.service, { id: serviceId }),
      service,
      values: { ...values, idempotencyKey: str(values.idempotencyKey) || newId() },
      personOptions: personOptions(caseload, values.personId),
      needOptions: needOptions(terms, chosenNeeds),
      noCaseload: caseloadSize === 0,
      find: picker.find ?? '',
      found: found ? { count: found.length, plural: found.length !== 1 } : null,
    }
  }

  const showSignpost: RequestHandler = async (req, res) => {
    res.render('pages/referrals/signpost', await signpostLocals(req, idParam(req, 'id'), {}))
  }

  const signpost: RequestHandler = async (req, res) => {
    const serviceId = idParam(req, 'id')
    const values = formBody(req)
    const invalid = async (fields: FieldErrors) =>
      res.status(400).render('pages/referrals/signpost', {
        ...(await signpostLocals(req, serviceId, values)),
        ...toFormErrors(fields, ['personId', 'needs', 'note']),
      })
    const form = parseForm(signpostSchema, values)
    if (!form.ok) return invalid(form.errors)
    let created: boolean
    try {
      ;({ created } = await services.referrals.signpost(actorOf(req), { serviceId, ...form.value }, ipOf(req)))
    } catch (error) {
      if (error instanceof ValidationError) return invalid(error.fields)
      throw error
    }
    res.redirect(303, `${paths.referrals}?signposted=${created ? '1' : 'again'}#signpostings`)
  }

  return { showRefer, refer, showSignpost, signpost }
}
