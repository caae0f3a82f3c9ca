// Referrals into the social prescribing service (GP practice staff, other professionals, the public), landing in the
// team's triage queue; and, once an episode is accepted, the person's record on the team's caseload.
import { nameUuid } from '../../domain/ids'
import { personDetails, type PersonDetails, type PersonRecord } from '../../domain/referral-records'
import { NotFoundError, ValidationError } from '../../errors'
import { isValidNhsNumber, normaliseNhsNumber } from '../nhs-number'
import { ageBand, snapshot, type PersonActor } from '../person.service'
import { hasRole } from '../../domain/roles'
import { newEpisode, type EpisodeActor, type EpisodeRecord, type ReferralSource } from '../../domain/episode'
import type { CareOrganisation, EpisodeContext } from './episode-context'

/** The referral form: the person's details as typed (the practice: the GP user's own; chosen by anyone else). */
export interface ReferInInput extends Omit<PersonDetails, 'practiceName' | 'practiceOdsCode'> {
  idempotencyKey: string
  teamId: string
  reason: string
  consentToRefer: boolean
  gpFeedbackConsent: boolean
}

/** The caseload record an accepted episode's person gets: derived from the episode, so it is made once. */
export const personIdFor = (episode: Pick<EpisodeRecord, 'id' | 'personId'>) =>
  episode.personId ?? nameUuid(`episode-person:${episode.id}`)

export function createEpisodeIntake({ deps, clock, practicesOf }: EpisodeContext) {
  const { episodes, audit } = deps

  async function organisation(id: string, kind: 'team' | 'practice', field: string, message: string) {
    const found = await deps.findCareOrganisation(id).catch(() => null)
    if (!found || found.kind !== kind) throw new ValidationError({ [field]: message })
    return found
  }

  return {
    /**
     * A referral into the social prescribing service, landing in the team's triage queue. `actor` null: the public.
     * The id comes from the form's idempotency key (and the user), so a double submit makes one episode.
     */
    async refer(
      actor: PersonActor | null,
      input: ReferInInput,
      ip: string | null,
    ): Promise<{ episode: EpisodeRecord; created: boolean }> {
      const id = nameUuid(`episode:${actor?.id ?? 'public'}:${input.idempotencyKey}`)
      const existing = await episodes.get(id)
      if (existing) return { episode: existing, created: false }
      const source: ReferralSource = !actor ? 'self' : hasRole(actor, 'gp_user') ? 'gp' : 'professional'
      if (source !== 'self' && !input.consentToRefer) {
        throw new ValidationError({ consentToRefer: 'Confirm that the person agreed to be referred' })
      }
      if (source === 'self' && !input.consentToRefer) {
        throw new ValidationError({ consentToRefer: 'Confirm that you agree to us holding these details' })
      }
      const nhsNumber = input.nhsNumber ? normaliseNhsNumber(input.nhsNumber) : null
      if (nhsNumber && !isValidNhsNumber(nhsNumber)) {
        throw new ValidationError({ nhsNumber: 'Enter a valid 10-digit NHS number, or leave it blank' })
      }
      const team = await organisation(input.teamId, 'team', 'teamId', 'Choose a social prescribing service')
      let practice: CareOrganisation | null = null
      if (source === 'gp') {
        const own = practicesOf(actor!)[0]
        if (!own) throw new NotFoundError()
        practice = await organisation(own, 'practice', 'practiceId', 'Your account has no GP practice')
      } else if (input.practiceId) {
        practice = await organisation(input.practiceId, 'practice', 'practiceId', 'Choose a GP practice from the list')
      }
      const membership = actor?.memberships.find((m) => m.kind !== 'vco') ?? actor?.memberships[0]
      const by: EpisodeActor | null = actor ? snapshot(actor) : null
      const record = newEpisode({
        id,
        teamId: team.id,
        teamName: team.name,
        person: personDetails(input, nhsNumber, practice),
        referrer: {
          source,
          userId: actor?.id ?? null,
          name: actor?.name ?? `${input.givenName} ${input.familyName} (themselves)`,
          email: actor?.email ?? null,
          organisationName: membership?.organisationName ?? null,
        },
        reason: input.reason,
        consentToRefer: input.consentToRefer,
        gpFeedbackConsent: input.gpFeedbackConsent && Boolean(practice),
        by,
        now: clock(),
      })
      const created = await episodes.insertOnce(record)
      await audit.recordOn(actor ? { id: actor.id, email: actor.email } : null, 'person.changed', 'episode', id, ip, {
        action: created ? 'refer' : 'refer-retry',
        source,
      })
      return { episode: created ? record : ((await episodes.get(id)) ?? record), created }
    },

    /**
     * On acceptance the person joins the team's caseload (so the link worker can refer and signpost them). Called by
     * the one caller whose acceptance was written; a record already there (a retry) is left as it is.
     */
    async ensurePerson(actor: PersonActor, episode: EpisodeRecord): Promise<string> {
      const id = personIdFor(episode)
      if (await deps.people.get(id)) return id
      const p = episode.person
      const person: PersonRecord = {
        id,
        teamId: episode.teamId,
        ...p,
        contactPreference: p.phone ? 'phone' : p.email ? 'email' : 'letter',
        whatMatters: '',
        needs: [],
        equality: { ethnicity: null, sex: null, ageBand: ageBand(p.dateOfBirth, clock()), deprivationDecile: null },
        caresForId: null,
        consents:
          episode.gpFeedbackConsent && p.practiceId
            ? [
                {
                  id: nameUuid(`consent:gp:episode:${episode.id}`),
                  type: 'given',
                  scope: 'feedback_to_gp',
                  organisationId: p.practiceId,
                  organisationName: p.practiceName ?? 'their GP practice',
                  how: 'written',
                  at: new Date(episode.referredAt),
                  by: snapshot(actor),
                },
              ]
            : [],
        createdBy: snapshot(actor),
      }
      await deps.people.insert(person).catch(async (error: unknown) => {
        if (!(await deps.people.get(id))) throw error
      })
      return id
    },
  }
}
