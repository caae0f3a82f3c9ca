// People (a link worker team's caseload), referring and signposting from a listing, the VCO inbox, and each
// referral's page with its actions and messages. Scope is checked in the services (NotFoundError outside it).
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import type { Services } from '../../../container'
import { newId } from '../../../domain/ids'
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../../../errors'
import { paths, pathFor } from '../../../paths'
import { CONTACT_PREFERENCES } from '../../../domain/referral-records'
import {
  DECLINE_REASONS,
  INBOX_TABS,
  REFERRAL_ACTIONS,
  isOpen,
  type InboxTab,
  type ReferralAction,
} from '../../../domain/referral-status'
import { parseForm, toFormErrors } from '../../form-page'
import { dateParts, formatDateTime, parseDateParts, partsOf } from '../../../services/dates'
import { isClosingAction } from '../../../domain/referral-closing'
import { closingController } from './closing.controller'
import { actorOf, ipOf } from '../../actor'
import { formBody, idParam } from '../../request-params'
import { pageParam, pagination } from '../../pagination'
import { needOptions, personOptions, presentPerson, presentReferral, presentSummary } from './referral.presenter'
import {
  actionSchema,
  caseloadSearchSchema,
  CONTACT_LABELS,
  DISCHARGE_REASON_LABELS,
  dischargeSchema,
  personEditSchema,
  consentSchema,
  messageSchema,
  PERSON_FIELD_ORDER,
  personSchema,
  REFER_FIELD_ORDER,
  referSchema,
  signpostSchema,
} from './referral.schemas'
import { ETHNICITIES, SEXES } from '../../../domain/equality'

const str = (v: unknown) => (typeof v === 'string' ? v : '')
const strs = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : [])

const PERSON_CHANGED: Record<string, string> = {
  details: 'Details saved.',
  discharged: 'Taken off the caseload.',
  returned: 'Back on the caseload.',
}

const returnSchema = z.object({
  version: z.coerce.number({ error: 'Reload the page and try again' }).int().min(0),
})

const TAB_LABELS: Record<InboxTab, string> = {
  new: 'New',
  'awaiting-contact': 'Awaiting contact',
  active: 'Active',
  closed: 'Closed',
}

export function referralsRouter(services: Services): Router {
  const router = Router()
  const taxonomy = () => services.directory.taxonomy()

  function options<T extends string>(values: readonly T[], chosen: unknown, label: (v: T) => string = (v) => v) {
    return values.map((value) => ({ value, text: label(value), selected: chosen === value }))
  }

  // People ──────────────────────────────────────────────────────────────────────────────────────────────────────

  router.get(paths.people, async (req, res) => {
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
  })

  async function personFormLocals(req: Request, values: Record<string, unknown>) {
    const [practices, terms, { people: caseload }] = await Promise.all([
      services.people.practices(),
      taxonomy(),
      services.people.pickable(actorOf(req), ipOf(req), { chosenId: str(values.caresForId) || undefined }),
    ])
    const chosenNeeds = strs(values.needs)
    return {
      title: 'Add a person to your caseload',
      backLink: paths.people,
      values,
      contactOptions: CONTACT_PREFERENCES.map((value) => ({
        value,
        text: CONTACT_LABELS[value],
        checked: values.contactPreference === value,
      })),
      practiceOptions: practices.map((p) => ({
        value: p.id,
        text: `${p.name}${p.odsCode ? ` (${p.odsCode})` : ''}`,
        selected: values.practiceId === p.id,
      })),
      needOptions: needOptions(terms, chosenNeeds),
      ethnicityOptions: options(ETHNICITIES, values.ethnicity),
      sexOptions: options(SEXES, values.sex),
      caresForOptions: caseload
        .filter((p) => p.id !== values.personId)
        .map((p) => ({
          value: p.id,
          text: `${p.givenName} ${p.familyName}`,
          selected: values.caresForId === p.id,
        })),
    }
  }

  router.get(paths.personNew, async (req, res) => {
    res.render('pages/referrals/person-new', await personFormLocals(req, { idempotencyKey: newId() }))
  })

  router.post(paths.personNew, async (req, res) => {
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
  })

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
      howOptions: [
        { value: 'verbal', text: 'Verbally', checked: true },
        { value: 'written', text: 'In writing', checked: false },
      ],
      ...extra,
    })
  }

  router.get(paths.person, async (req, res) => {
    await personPage(req, res, idParam(req, 'personId'), {
      changed: typeof req.query.changed === 'string' ? PERSON_CHANGED[req.query.changed] : undefined,
    })
  })

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

  router.get(paths.personEdit, async (req, res) => {
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
  })

  router.post(paths.personEdit, async (req, res) => {
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
  })

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
      reasonOptions: Object.entries(DISCHARGE_REASON_LABELS).map(([value, text]) => ({
        value,
        text,
        checked: values.reason === value,
      })),
    }
  }

  router.get(paths.personDischarge, async (req, res) => {
    const personId = idParam(req, 'personId')
    res.render('pages/referrals/person-discharge', await dischargeLocals(req, personId, {}))
  })

  router.post(paths.personDischarge, async (req, res) => {
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
  })

  router.post(paths.personConsent, async (req, res) => {
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
  })

  // Referring and signposting from a listing ──────────────────────────────────────────────────────────────────

  /** The person picker's query: `find` (name or NHS number) from the page's search form, kept through a post. */
  const pickerOf = (req: Request, values: Record<string, unknown>) => ({
    find: str(values.find ?? req.query.find) || undefined,
    chosenId: str(values.personId) || undefined,
  })

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
      contactOptions: CONTACT_PREFERENCES.map((value) => ({
        value,
        text: CONTACT_LABELS[value],
        checked: (values.contactPreference ?? person?.contactPreference) === value,
      })),
      supportOptions: [
        { value: 'none', text: 'No', checked: !values.supportToAttend || values.supportToAttend === 'none' },
        {
          value: 'walk_alongside',
          text: 'Yes: walk alongside them',
          checked: values.supportToAttend === 'walk_alongside',
        },
        {
          value: 'first_visit_together',
          text: 'Yes: go with them the first time',
          checked: values.supportToAttend === 'first_visit_together',
        },
      ],
      consentHowOptions: [
        { value: 'verbal', text: 'Verbally', checked: values.consentHow !== 'written' },
        { value: 'written', text: 'In writing', checked: values.consentHow === 'written' },
      ],
      noCaseload: caseloadSize === 0,
      find: picker.find ?? '',
      found: found ? { count: found.length, plural: found.length !== 1 } : null,
      nobodyToAnswer,
    }
  }

  router.get(paths.referService, async (req, res) => {
    const serviceId = idParam(req, 'id')
    const personId = typeof req.query.personId === 'string' ? req.query.personId : ''
    res.render('pages/referrals/refer', await referLocals(req, serviceId, { personId }))
  })

  router.post(paths.referService, async (req, res) => {
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
  })

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

  router.get(paths.signpostService, async (req, res) => {
    res.render('pages/referrals/signpost', await signpostLocals(req, idParam(req, 'id'), {}))
  })

  router.post(paths.signpostService, async (req, res) => {
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
  })

  // Lists ───────────────────────────────────────────────────────────────────────────────────────────────────────

  router.get(paths.referrals, async (req, res) => {
    const page = pageParam(req)
    const [list, terms] = await Promise.all([
      services.referrals.teamReferrals(actorOf(req), ipOf(req), page),
      taxonomy(),
    ])
    res.render('pages/referrals/team', {
      title: 'Your referrals',
      referrals: list.referrals.map((r) => presentSummary(r, list.now, terms)),
      pagination: pagination(req, list),
      signpostings: list.signpostings.map((s) => ({
        serviceName: s.serviceName,
        serviceHref: pathFor(paths.service, { id: s.serviceId }),
        personName: s.personName,
        personHref: pathFor(paths.person, { personId: s.personId }),
        at: s.at,
        by: s.by.name,
      })),
      signpostingTotal: list.signpostingTotal,
      moreSignpostings: list.signpostingTotal > list.signpostings.length,
      signposted:
        req.query.signposted === '1'
          ? 'Signposting recorded.'
          : req.query.signposted === 'again'
            ? 'This signposting was already recorded today, so it was not added again.'
            : null,
    })
  })

  router.get(paths.referralInbox, async (req, res) => {
    const tab = (
      typeof req.query.tab === 'string' && Object.hasOwn(INBOX_TABS, req.query.tab) ? req.query.tab : 'new'
    ) as InboxTab
    const page = pageParam(req)
    const [{ referrals, counts, now, ...shown }, terms] = await Promise.all([
      services.referrals.inbox(actorOf(req), tab, ipOf(req), page),
      taxonomy(),
    ])
    res.render('pages/referrals/inbox', {
      title: 'Referrals inbox',
      tabs: (Object.keys(INBOX_TABS) as InboxTab[]).map((t) => ({
        href: `${paths.referralInbox}?tab=${t}`,
        text: TAB_LABELS[t],
        count: counts[t],
        current: t === tab,
      })),
      tabLabel: TAB_LABELS[tab],
      referrals: referrals.map((r) => presentSummary(r, now, terms)),
      pagination: pagination(req, shown),
    })
  })

  // One referral ────────────────────────────────────────────────────────────────────────────────────────────────

  async function referralPage(
    req: Request,
    res: Response,
    id: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const [{ referral, side, now, consentWithdrawn }, terms] = await Promise.all([
      services.referrals.get(actorOf(req), id, ipOf(req)),
      taxonomy(),
    ])
    const typed = (extra.values ?? {}) as Record<string, unknown>
    const reopenUntil = services.referrals.reopenableUntil(referral, side)
    res.status(status).render('pages/referrals/referral', {
      reopenUntil: reopenUntil ? formatDateTime(reopenUntil) : null,
      title: `Referral to ${referral.serviceName}`,
      backLink: side === 'vco' ? paths.referralInbox : paths.referrals,
      referral: presentReferral(referral, side, now, terms),
      consentWithdrawn,
      messageKey: typeof typed.idempotencyKey === 'string' ? typed.idempotencyKey : newId(),
      declineOptions: Object.entries(DECLINE_REASONS).map(([value, text]) => ({
        value,
        text,
        checked: typed.reason === value,
      })),
      attendedOptions: [
        { value: 'yes', text: 'Yes', checked: typed.attended === 'yes' },
        { value: 'no', text: 'No', checked: typed.attended === 'no' },
      ],
      dateValues: dateParts(typed, 'date'),
      sessionDateValues: dateParts(typed, 'sessionDate'),
      sent: req.query.sent === '1',
      done: typeof req.query.done === 'string' ? req.query.done : null,
      values: {},
      ...extra,
    })
  }

  const closing = closingController(services)
  router.get(paths.referralClose, closing.show)

  router.get(paths.referral, async (req, res) => {
    await referralPage(req, res, idParam(req, 'referralId'))
  })

  router.post(paths.referral, async (req, res) => {
    const id = idParam(req, 'referralId')
    const values = formBody(req)
    // Dates arrive as NHS.UK date inputs (day, month, year); neither a contact nor a session can be in the future.
    const dateField = values.action === 'session' ? 'sessionDate' : 'date'
    const typedDate = parseDateParts(
      dateParts(values, dateField),
      dateField === 'sessionDate' ? 'Date of the session' : 'Date of first contact',
      { check: 'past' },
    )
    const parsed = parseForm(actionSchema, { ...values, date: typedDate.ok ? (typedDate.iso ?? '') : '' })
    const form: typeof parsed =
      typedDate.ok || (values.action !== 'session' && values.action !== 'first-contact')
        ? parsed
        : { ok: false, errors: { ...(parsed.ok ? {} : parsed.errors), [dateField]: typedDate.message } }
    if (!form.ok && isClosingAction(str(values.action))) {
      const fields = toFormErrors(form.errors, ['reason', 'text'])
      return closing.render(req, res, id, str(values.action), { values, ...fields }, 400)
    }
    if (!form.ok)
      return referralPage(
        req,
        res,
        id,
        { values, ...toFormErrors(form.errors, ['reason', 'text', 'date', 'sessionDate', 'attended', 'note']) },
        400,
      )
    if (form.value.action === 'reopen') {
      try {
        await services.referrals.reopen(
          actorOf(req),
          id,
          { version: form.value.version, text: form.value.text! },
          ipOf(req),
        )
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error
        const conflict = { conflict: error.message, errorList: [{ field: 'actions', text: error.message }] }
        return referralPage(req, res, id, conflict, 409)
      }
      return res.redirect(303, `${pathFor(paths.referral, { referralId: id })}?done=reopen`)
    }
    try {
      await services.referrals.act(
        actorOf(req),
        id,
        {
          action: form.value.action as ReferralAction,
          version: form.value.version,
          reason: form.value.reason,
          text: form.value.text,
          note: form.value.note,
          date: form.value.date,
          attended: form.value.attended === null ? undefined : form.value.attended === 'yes',
          taskId: form.value.taskId,
        },
        ipOf(req),
      )
    } catch (error) {
      if (error instanceof ConflictError) {
        return referralPage(
          req,
          res,
          id,
          { conflict: error.message, errorList: [{ field: 'actions', text: error.message }] },
          409,
        )
      }
      if (error instanceof ValidationError) {
        return referralPage(req, res, id, { values, ...toFormErrors(error.fields, ['date', 'sessionDate']) }, 400)
      }
      throw error
    }
    const action = form.value.action as ReferralAction
    const closes = REFERRAL_ACTIONS[action].to !== null && !isOpen(REFERRAL_ACTIONS[action].to!)
    // After a closing action the next step is the outcome, not an empty referral page.
    if (closes) return res.redirect(303, `${pathFor(paths.referralOutcome, { referralId: id })}?closed=${action}`)
    res.redirect(303, `${pathFor(paths.referral, { referralId: id })}?done=${encodeURIComponent(action)}`)
  })

  router.post(paths.referralMessages, async (req, res) => {
    const id = idParam(req, 'referralId')
    const values = formBody(req)
    const form = parseForm(messageSchema, values)
    if (!form.ok) return referralPage(req, res, id, { values, ...toFormErrors(form.errors, ['message']) }, 400)
    await services.referrals.message(actorOf(req), id, form.value.message, ipOf(req), form.value.idempotencyKey)
    res.redirect(303, `${pathFor(paths.referral, { referralId: id })}?done=message#messages`)
  })

  return router
}
