// A link worker team's caseload: finding and listing people, adding one (with the duplicate check), a person's page,
// changing their details, taking them off the caseload (and back), and recording consent. What each page shows is
// built in referral.presenter.ts; scope is checked in the services (NotFoundError outside it).
import type { Request, RequestHandler, Response } from 'express'
import type { Services } from '../../../container'
import { newId } from '../../../domain/ids'
import { ConflictError, ValidationError, type FieldErrors } from '../../../errors'
import { paths, pathFor } from '../../../paths'
import { parseForm, toFormErrors } from '../../form-page'
import { dateParts, parseDateParts, partsOf } from '../../../services/dates'
import { actorOf, ipOf } from '../../actor'
import { formBody, idParam } from '../../request-params'
import { pageParam, pagination } from '../../pagination'
import {
  caresForOptions,
  choiceOptions,
  consentHowOptions,
  contactOptions,
  dischargeReasonOptions,
  needOptions,
  PERSON_CHANGED,
  practiceOptions,
  presentPerson,
  presentSummary,
} from './referral.presenter'
import {
  caseloadSearchSchema,
  consentSchema,
  dischargeSchema,
  PERSON_FIELD_ORDER,
  personEditSchema,
  personSchema,
  returnSchema,
  str,
  strs,
} from './referral.schemas'
import { ETHNICITIES, SEXES } from '../../../domain/equality'

export function peopleController(services: Services) {
  const taxonomy = () => services.directory.taxonomy()

  const caseload: RequestHandler = async (req, res) => {
    const query = req.query as Record<string, unknown>
    const search = {
      name: str(query.name),
      nhsNumber: str(query.nhsNumber),
      dob: dateParts(query, 'dob'),
    }
    const searching = Boolean(search.name.trim() || search.nhsNumber.trim() || Object.values(search.dob).some(Boolean))
    const terms = await taxonomy()
    if (searching) {
      // Any of name, NHS number and date of birth; every part given must match.
      const form = parseForm(caseloadSearchSchema, { name: search.name, nhsNumber: search.nhsNumber })
      const dob = parseDateParts(search.dob, 'Date of birth', { check: 'past' })
      const errors: FieldErrors = { ...(form.ok ? {} : form.errors), ...(dob.ok ? {} : { dob: dob.message }) }
      const locals = { title: 'Your caseload', search, searching: true }
      if (!form.ok || !dob.ok)
        return res.status(400).render('pages/referrals/people', {
          ...locals,
          ...toFormErrors(errors, ['name', 'nhsNumber', 'dob']),
        })
      const found = await services.people.search(
        actorOf(req),
        {
          name: form.value.name || undefined,
          nhsNumber: form.value.nhsNumber ?? undefined,
          dateOfBirth: dob.iso ?? undefined,
        },
        ipOf(req),
      )
      return res.render('pages/referrals/people', { ...locals, people: found.map((p) => presentPerson(p, terms)) })
    }
    const list = await services.people.caseloadPage(actorOf(req), ipOf(req), pageParam(req))
    res.render('pages/referrals/people', {
      title: 'Your caseload',
      search,
      people: list.items.map((p) => presentPerson(p, terms)),
      pagination: pagination(req, list),
    })
  }

  async function personFormLocals(req: Request, values: Record<string, unknown>) {
    const [practices, terms, { people: pickable }] = await Promise.all([
      services.people.practices(),
      taxonomy(),
      services.people.pickable(actorOf(req), ipOf(req), { chosenId: str(values.caresForId) || undefined }),
    ])
    const chosenNeeds = strs(values.needs)
    return {
      title: 'Add a person to your caseload',
      backLink: paths.people,
      values,
      contactOptions: contactOptions(values.contactPreference),
      practiceOptions: practiceOptions(practices, values.practiceId),
      needOptions: needOptions(terms, chosenNeeds),
      ethnicityOptions: choiceOptions(ETHNICITIES, values.ethnicity),
      sexOptions: choiceOptions(SEXES, values.sex),
      caresForOptions: caresForOptions(pickable, values),
    }
  }

  const showNew: RequestHandler = async (req, res) => {
    res.render('pages/referrals/person-new', await personFormLocals(req, { idempotencyKey: newId() }))
  }

  const create: RequestHandler = async (req, res) => {
    const values = formBody(req)
    const invalid = async (fields: FieldErrors, status = 400) =>
      res.status(status).render('pages/referrals/person-new', {
        ...(await personFormLocals(req, values)),
        ...toFormErrors(fields, PERSON_FIELD_ORDER),
      })
    const form = parseForm(personSchema, values)
    if (!form.ok) return invalid(form.errors)
    try {
      const result = await services.people.create(actorOf(req), form.value, {
        confirmDuplicate: form.value.confirmDuplicate === 'yes',
        ip: ipOf(req),
      })
      if ('duplicates' in result) {
        const terms = await taxonomy()
        return res.status(200).render('pages/referrals/person-new', {
          ...(await personFormLocals(req, values)),
          duplicates: result.duplicates.map((p) => presentPerson(p, terms)),
        })
      }
      res.redirect(303, pathFor(paths.person, { personId: result.created.id }))
    } catch (error) {
      if (error instanceof ValidationError) return invalid(error.fields)
      throw error
    }
  }

  async function personPage(
    req: Request,
    res: Response,
    personId: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const [person, terms] = await Promise.all([services.people.get(actorOf(req), personId, ipOf(req)), taxonomy()])
    const referrals = await services.referrals.forPerson(actorOf(req), personId)
    const now = new Date()
    const shown = presentPerson(person, terms)
    const caresFor = person.caresForId
      ? await services.people.get(actorOf(req), person.caresForId, ipOf(req)).catch(() => null)
      : null
    res.status(status).render('pages/referrals/person', {
      title: shown.name,
      backLink: paths.people,
      person: shown,
      referrals: referrals.map((r) => presentSummary(r, now, terms)),
      consentOrganisations: [...shown.activeShares.map((s) => ({ value: s.organisationId, text: s.organisationName }))],
      practiceId: person.practiceId,
      caresFor: caresFor
        ? {
            name: `${caresFor.givenName} ${caresFor.familyName}`,
            href: pathFor(paths.person, { personId: caresFor.id }),
          }
        : null,
      consentRecorded: req.query.consent === '1',
      howOptions: consentHowOptions('verbal'),
      ...extra,
    })
  }

  const show: RequestHandler = async (req, res) => {
    await personPage(req, res, idParam(req, 'personId'), {
      changed:
        typeof req.query.changed === 'string' && Object.hasOwn(PERSON_CHANGED, req.query.changed)
          ? PERSON_CHANGED[req.query.changed]
          : undefined,
    })
  }

  // Changing a person's details: the same fields and checks as adding one, from the version the form showed.
  async function editLocals(req: Request, personId: string, values: Record<string, unknown>) {
    const person = await services.people.get(actorOf(req), personId, ipOf(req))
    return {
      ...(await personFormLocals(req, { ...values, personId })),
      title: `Change ${person.givenName} ${person.familyName}'s details`,
      backLink: pathFor(paths.person, { personId }),
      personId,
      personName: `${person.givenName} ${person.familyName}`,
    }
  }

  const showEdit: RequestHandler = async (req, res) => {
    const personId = idParam(req, 'personId')
    const p = await services.people.get(actorOf(req), personId, ipOf(req))
    const dob = partsOf(p.dateOfBirth)
    res.render(
      'pages/referrals/person-edit',
      await editLocals(req, personId, {
        givenName: p.givenName,
        familyName: p.familyName,
        dobDay: dob.day,
        dobMonth: dob.month,
        dobYear: dob.year,
        nhsNumber: p.nhsNumber ?? '',
        contactPreference: p.contactPreference,
        phone: p.phone ?? '',
        email: p.email ?? '',
        address: p.address ?? '',
        postcode: p.postcode ?? '',
        practiceId: p.practiceId ?? '',
        whatMatters: p.whatMatters,
        needs: p.needs,
        ethnicity: p.equality.ethnicity ?? '',
        sex: p.equality.sex ?? '',
        caresForId: p.caresForId ?? '',
        version: p.version ?? 0,
      }),
    )
  }

  const update: RequestHandler = async (req, res) => {
    const personId = idParam(req, 'personId')
    const values = formBody(req)
    const invalid = async (fields: FieldErrors, extra: Record<string, unknown> = {}, status = 400) =>
      res.status(status).render('pages/referrals/person-edit', {
        ...(await editLocals(req, personId, values)),
        ...toFormErrors(fields, PERSON_FIELD_ORDER),
        ...extra,
      })
    const form = parseForm(personEditSchema, values)
    if (!form.ok) return invalid(form.errors)
    try {
      await services.people.update(actorOf(req), personId, form.value, ipOf(req))
    } catch (error) {
      if (error instanceof ValidationError) return invalid(error.fields)
      if (error instanceof ConflictError) return invalid({}, { conflict: error.message }, 409)
      throw error
    }
    res.redirect(303, `${pathFor(paths.person, { personId })}?changed=details`)
  }

  // Discharge: a confirmation page with a reason; "return to caseload" undoes it from the person's page.
  async function dischargeLocals(req: Request, personId: string, values: Record<string, unknown>) {
    const person = await services.people.get(actorOf(req), personId, ipOf(req))
    return {
      title: `Take ${person.givenName} ${person.familyName} off your caseload`,
      backLink: pathFor(paths.person, { personId }),
      personId,
      personName: `${person.givenName} ${person.familyName}`,
      version: person.version ?? 0,
      values,
      reasonOptions: dischargeReasonOptions(values.reason),
    }
  }

  const showDischarge: RequestHandler = async (req, res) => {
    const personId = idParam(req, 'personId')
    res.render('pages/referrals/person-discharge', await dischargeLocals(req, personId, {}))
  }

  const discharge: RequestHandler = async (req, res) => {
    const personId = idParam(req, 'personId')
    const values = formBody(req)
    const back = values.return === 'yes'
    const invalid = async (fields: FieldErrors, extra: Record<string, unknown> = {}, status = 400) =>
      res.status(status).render('pages/referrals/person-discharge', {
        ...(await dischargeLocals(req, personId, values)),
        ...toFormErrors(fields, ['reason', 'text']),
        ...extra,
      })
    let input: { reason: string | null; text: string | null; version: number }
    if (back) {
      const form = parseForm(returnSchema, values)
      if (!form.ok) return invalid(form.errors)
      input = { reason: null, text: null, version: form.value.version }
    } else {
      const form = parseForm(dischargeSchema, values)
      if (!form.ok) return invalid(form.errors)
      input = form.value
    }
    try {
      await services.people.discharge(actorOf(req), personId, input, ipOf(req))
    } catch (error) {
      if (error instanceof ConflictError) return invalid({}, { conflict: error.message }, 409)
      throw error
    }
    res.redirect(303, `${pathFor(paths.person, { personId })}?changed=${back ? 'returned' : 'discharged'}`)
  }

  const recordConsent: RequestHandler = async (req, res) => {
    const personId = idParam(req, 'personId')
    const form = parseForm(consentSchema, formBody(req))
    if (!form.ok)
      return personPage(
        req,
        res,
        personId,
        { ...toFormErrors(form.errors, ['type', 'scope', 'organisationId', 'how']) },
        400,
      )
    const person = await services.people.get(actorOf(req), personId, ipOf(req))
    const share = person.consents.find(
      (c) => c.organisationId === form.value.organisationId && c.scope === form.value.scope,
    )
    const organisationName =
      share?.organisationName ?? (form.value.organisationId === person.practiceId ? person.practiceName : null)
    if (!organisationName) {
      return personPage(
        req,
        res,
        personId,
        { ...toFormErrors({ organisationId: 'Choose an organisation from the list' }) },
        400,
      )
    }
    await services.people.recordConsent(actorOf(req), personId, { ...form.value, organisationName }, ipOf(req))
    res.redirect(303, `${pathFor(paths.person, { personId })}?consent=1`)
  }

  return { caseload, showNew, create, show, showEdit, update, showDischarge, discharge, recordConsent }
}
