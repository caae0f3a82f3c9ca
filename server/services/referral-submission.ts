// Making referrals and signpostings: the referral form's data, submitting a referral once (consent recorded, the
// organisation told), and the light signposting record.
import { nameUuid } from '../domain/ids'
import type {
  ContactPreference,
  PersonRecord,
  ReferralRecord,
  SharedDetails,
  SignpostingRecord,
} from '../domain/referral-records'
import { computeClocks } from '../domain/referral-clocks'
import { submittedReferral } from '../domain/referral-machine'
import { BadRequestError, ValidationError } from '../errors'
import { createLogger } from '../logger'
import { paths, pathFor } from '../paths'
import { ageBand, snapshot, type PersonActor } from './person.service'
import { recordReferralConsents } from './referral-consent'
import { londonDay } from './dates'
import type { ServiceSummary } from './referral-target'
import type { ReferralContext, SubmitInput } from './referral.service'

const log = createLogger('referrals')

export const DISCHARGED_MESSAGE = 'They are no longer on your caseload: put them back on it from their record first'

/** Only the channel the person chose, plus their name and age band: the minimum a VCO needs to make contact. */
export function sharedDetails(person: PersonRecord, preference: ContactPreference, now: Date): SharedDetails {
  return {
    name: `${person.givenName} ${person.familyName}`,
    contactPreference: preference,
    phone: preference === 'phone' || preference === 'text' ? person.phone : null,
    email: preference === 'email' ? person.email : null,
    address: preference === 'letter' ? [person.address, person.postcode].filter(Boolean).join(', ') || null : null,
    ageBand: ageBand(person.dateOfBirth, now),
  }
}

export function createReferralSubmission({ deps, clock, targets, notices }: ReferralContext) {
  const { referrals, audit } = deps
  const { tellVco } = notices

  /**
   * When nobody at the organisation has an account, its listed contact email hears that a referral is waiting, with an
   * invitation to set up the organisation's account (or, for an address that has one, a link to sign in). No personal
   * details.
   */
  async function tellListedContact(referral: ReferralRecord, service: ServiceSummary, ip: string | null) {
    if (!service.contactEmail || (await deps.organisationEmails(referral.organisationId)).length > 0) return
    const invitation = await deps
      .inviteContact?.({ id: referral.organisationId, name: referral.organisationName }, service.contactEmail, ip)
      .catch((error: unknown) => {
        log.warn({ err: error instanceof Error ? error.name : 'error', referralId: referral.id }, 'no invitation made')
        return null
      })
    await notices.notifier.send('referral-listed-contact', service.contactEmail, {
      teamName: referral.teamName,
      serviceName: referral.serviceName,
      organisationName: referral.organisationName,
      invitation: invitation ?? null,
      path: pathFor(paths.referral, { referralId: referral.id }),
    })
  }

  return {
    /** What the referral form needs: the service (which must take referrals) and the actor's caseload. */
    async referForm(
      actor: PersonActor,
      serviceId: string,
      ip: string | null,
      picker: { find?: string; chosenId?: string } = {},
    ) {
      const service = await deps.getService(serviceId)
      const [pickable, answerers] = await Promise.all([
        deps.personService.pickable(actor, ip, picker),
        deps.organisationEmails(service.organisationId),
      ])
      // Nobody at the organisation uses Loopwell: the link worker is warned before sending.
      return { service, ...pickable, nobodyToAnswer: answerers.length === 0 }
    },

    /**
     * Submits a referral once. The _id is derived from the submitting user and the form's idempotency key, so a
     * double click or a retry after a timeout finds the first referral instead of making a second.
     */
    async submit(
      actor: PersonActor,
      input: SubmitInput,
      ip: string | null,
    ): Promise<{ referral: ReferralRecord; created: boolean }> {
      const id = nameUuid(`referral:${actor.id}:${input.idempotencyKey}`)
      const existing = await referrals.get(id)
      if (existing) return { referral: existing, created: false }

      const service = await deps.getService(input.serviceId)
      if (!service.acceptsReferrals) throw new BadRequestError('This service does not take referrals')
      const person = await deps.personService.load(actor, input.personId).catch(() => {
        throw new ValidationError({ personId: 'Choose a person from your caseload' })
      })
      if (person.discharge) throw new ValidationError({ personId: DISCHARGED_MESSAGE })
      const now = clock()
      const by = snapshot(actor)

      const { consentEventId, gpFeedbackConsent } = await recordReferralConsents(deps.people, {
        referralId: id,
        person,
        service,
        input,
        by,
        now,
      })

      const record = submittedReferral(
        {
          id,
          idempotencyKey: `${actor.id}:${input.idempotencyKey}`,
          personId: person.id,
          teamId: person.teamId,
          // The actor's membership carries the team's name: no lookup on the hot path.
          teamName:
            actor.memberships.find((m) => m.kind === 'team' && m.organisationId === person.teamId)?.organisationName ??
            (await deps.findCareOrganisation(person.teamId))?.name ??
            'A link worker team',
          referrer: { ...by, email: actor.email },
          serviceId: service.id,
          serviceName: service.name,
          organisationId: service.organisationId,
          organisationName: service.organisationName,
          practiceId: person.practiceId,
          gpFeedbackConsent,
          consentEventId,
          shared: sharedDetails(person, input.contactPreference, now),
          needs: input.needs,
          note: input.note,
          supportToAttend: input.supportToAttend,
          submittedAt: now,
          clocks: computeClocks(now, targets),
          origin: 'manual',
        },
        by,
      )
      record.episodeId = (await deps.episodeFor?.(person.id)) ?? null
      const created = await referrals.insertOnce(record)
      const referral = created ? record : ((await referrals.get(id)) ?? record)
      await audit.recordOn(actor, 'referral.changed', 'referral', id, ip, {
        action: created ? 'submit' : 'submit-retry',
      })
      if (created) {
        await tellListedContact(referral, service, ip).catch((error: unknown) =>
          log.warn({ err: error, referralId: id }, 'listed-contact email failed'),
        )
        const { teamName, organisationName, serviceName } = referral
        await tellVco(referral, 'referral-new', { teamName, organisationName, serviceName }).catch((error: unknown) =>
          log.warn({ err: error, referralId: id }, 'new-referral email failed'),
        )
      }
      return { referral, created }
    },

    /**
     * A signposting: a light record (no VCO inbox, no consent to share), counted apart from referrals. One a day for a
     * person and a service: its id comes from those, so a form sent again (Back and resubmit draws a new form key, a
     * retry sends the same one) finds the one already recorded instead of adding another.
     */
    async signpost(
      actor: PersonActor,
      input: { serviceId: string; personId: string; idempotencyKey: string; needs: string[]; note: string },
      ip: string | null,
    ): Promise<{ signposting: SignpostingRecord; created: boolean }> {
      const service = await deps.getService(input.serviceId)
      const person = await deps.personService.load(actor, input.personId).catch(() => {
        throw new ValidationError({ personId: 'Choose a person from your caseload' })
      })
      if (person.discharge) throw new ValidationError({ personId: DISCHARGED_MESSAGE })
      const at = clock()
      const record: SignpostingRecord = {
        id: nameUuid(`signposting:${person.teamId}:${person.id}:${service.id}:${londonDay(at)}`),
        idempotencyKey: `${actor.id}:${input.idempotencyKey}`,
        personId: person.id,
        teamId: person.teamId,
        serviceId: service.id,
        serviceName: service.name,
        organisationId: service.organisationId,
        needs: input.needs,
        note: input.note,
        at,
        by: snapshot(actor),
        origin: 'manual',
        episodeId: (await deps.episodeFor?.(person.id)) ?? null,
      }
      const created = await referrals.insertSignpostingOnce(record)
      if (!created) return { signposting: (await referrals.getSignposting(record.id)) ?? record, created }
      await audit.recordOn(actor, 'person.changed', 'signposting', record.id, ip, { personId: person.id })
      return { signposting: record, created }
    },
  }
}
