// The consents a referral rests on: sharing the person's details with the receiving organisation (required) and
// outcomes going back to their GP practice (optional). A consent given just now is recorded once, by an id derived
// from the referral, so a retried submission does not record it twice.
import { nameUuid } from '../domain/ids'
import type { ActorSnapshot, PersonRecord } from '../domain/referral-records'
import type { PersonRepository } from '../data/repositories/person.repository'
import { ValidationError } from '../errors'
import { hasConsent } from './person.service'

export async function recordReferralConsents(
  people: PersonRepository,
  args: {
    referralId: string
    person: PersonRecord
    service: { organisationId: string; organisationName: string }
    input: { consentConfirmed: boolean; consentHow: 'verbal' | 'written'; gpFeedback: boolean }
    by: ActorSnapshot
    now: Date
  },
): Promise<{ consentEventId: string; gpFeedbackConsent: boolean }> {
  const { person, service, input, by, now } = args
  let consentEventId: string
  const consented = hasConsent(person, 'share_with_organisation', service.organisationId)
  if (consented) {
    consentEventId = person.consents
      .filter((c) => c.scope === 'share_with_organisation' && c.organisationId === service.organisationId)
      .at(-1)!.id
  } else if (input.consentConfirmed) {
    consentEventId = nameUuid(`consent:share:${args.referralId}`)
    await people.addConsentOnce(person.id, {
      id: consentEventId,
      type: 'given',
      scope: 'share_with_organisation',
      organisationId: service.organisationId,
      organisationName: service.organisationName,
      how: input.consentHow,
      at: now,
      by,
    })
  } else {
    throw new ValidationError({
      consent: `Confirm that ${person.givenName} agreed to share their details with ${service.organisationName}`,
    })
  }
  let gpFeedbackConsent = person.practiceId ? hasConsent(person, 'feedback_to_gp', person.practiceId) : false
  if (input.gpFeedback && person.practiceId && !gpFeedbackConsent) {
    await people.addConsentOnce(person.id, {
      id: nameUuid(`consent:gp:${args.referralId}`),
      type: 'given',
      scope: 'feedback_to_gp',
      organisationId: person.practiceId,
      organisationName: person.practiceName ?? 'their GP practice',
      how: input.consentHow,
      at: now,
      by,
    })
    gpFeedbackConsent = true
  }
  return { consentEventId, gpFeedbackConsent }
}
