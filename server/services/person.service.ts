// People on a link worker team's caseload: create (with a duplicate check first), read, and consent as events.
// Only members of the person's team see them; anyone else gets NotFoundError, as for a person who does not exist.
// Every read and change writes an audit event, awaited before the caller answers.
import type { CareOrganisationRecord } from '../domain/account-records'
import { nameUuid, newId } from '../domain/ids'
import {
  personDetails,
  type ActorSnapshot,
  type ConsentEvent,
  type ConsentScope,
  type PersonRecord,
} from '../domain/referral-records'
import type { PersonRepository, PersonSearch } from '../data/repositories/person.repository'
import { ConflictError, NotFoundError, ValidationError } from '../errors'
import type { AuditService } from './audit.service'
import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number'
import { hasRole, organisationIds, type SessionUser } from '../domain/roles'

export type PersonActor = Pick<SessionUser, 'id' | 'email' | 'name' | 'roles' | 'memberships'>

/** What a link worker enters: the record's own fields, with equality data flat as the form has it. */
export type NewPersonInput = Pick<
  PersonRecord,
  | 'givenName'
  | 'familyName'
  | 'dateOfBirth'
  | 'nhsNumber'
  | 'phone'
  | 'email'
  | 'address'
  | 'postcode'
  | 'contactPreference'
  | 'practiceId'
  | 'whatMatters'
  | 'needs'
  | 'caresForId'
> & { ethnicity: string | null; sex: string | null; idempotencyKey?: string }

/** What the edit form changes: the person's own fields (not their team, consents or history). */
export type PersonEditInput = Omit<NewPersonInput, 'idempotencyKey'> & { version: number }

export const PERSON_CONFLICT =
  'Someone else has just changed this record. Reload to see the latest, then make your change.'

export interface ConsentInput {
  type: 'given' | 'withdrawn'
  scope: ConsentScope
  organisationId: string
  organisationName: string
  how: 'verbal' | 'written'
}

const AGE_BANDS: [number, string][] = [
  [18, 'under 18'],
  [25, '18 to 24'],
  [35, '25 to 34'],
  [45, '35 to 44'],
  [55, '45 to 54'],
  [65, '55 to 64'],
  [75, '65 to 74'],
  [85, '75 to 84'],
]

export function ageOn(dateOfBirth: string, on: Date): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number]
  let age = on.getUTCFullYear() - y
  if (on.getUTCMonth() + 1 < m || (on.getUTCMonth() + 1 === m && on.getUTCDate() < d)) age--
  return age
}

export function ageBand(dateOfBirth: string, on: Date): string {
  const age = ageOn(dateOfBirth, on)
  return AGE_BANDS.find(([below]) => age < below)?.[1] ?? '85 and over'
}

/** Whether the latest consent event for this scope and organisation is "given" (withdrawal stops sharing). */
export function hasConsent(person: Pick<PersonRecord, 'consents'>, scope: ConsentScope, organisationId: string) {
  const latest = person.consents
    .filter((c) => c.scope === scope && c.organisationId === organisationId)
    .sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime())
    .at(-1)
  return latest?.type === 'given'
}

export function snapshot(actor: Pick<SessionUser, 'id' | 'name'>): ActorSnapshot {
  return { userId: actor.id, name: actor.name }
}

const normaliseName = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ')

export function createPersonService(deps: {
  people: PersonRepository
  audit: AuditService
  findPractice: (id: string) => Promise<CareOrganisationRecord | null>
  listPractices: () => Promise<CareOrganisationRecord[]>
  clock?: () => Date
}) {
  const clock = deps.clock ?? (() => new Date())
  const { people, audit } = deps

  function teamsOf(actor: PersonActor): string[] {
    return hasRole(actor, 'link_worker') ? organisationIds(actor, 'team') : []
  }

  /** The person, if the actor's team holds them; NotFoundError otherwise (same as a missing id). */
  async function load(actor: PersonActor, id: string): Promise<PersonRecord> {
    const person = await people.get(id)
    if (!person || !teamsOf(actor).includes(person.teamId)) throw new NotFoundError('Person not found')
    return person
  }

  async function duplicatesOf(
    teamId: string,
    input: Pick<NewPersonInput, 'givenName' | 'familyName' | 'dateOfBirth' | 'nhsNumber'>,
  ) {
    const name = normaliseName(`${input.givenName} ${input.familyName}`)
    return (await people.listLikely(teamId, { nhsNumber: input.nhsNumber, dateOfBirth: input.dateOfBirth })).filter(
      (p) =>
        (input.nhsNumber && p.nhsNumber === input.nhsNumber) ||
        (normaliseName(`${p.givenName} ${p.familyName}`) === name && p.dateOfBirth === input.dateOfBirth),
    )
  }

  /**
   * Checks what the add and edit forms share (a valid NHS number, a carer's person on the caseload, a real GP practice)
   * and gives the record's fields from them. `self` is the person being edited, who cannot care for themselves.
   */
  async function checkedFields(actor: PersonActor, input: Omit<NewPersonInput, 'idempotencyKey'>, self?: string) {
    const nhsNumber = input.nhsNumber ? normaliseNhsNumber(input.nhsNumber) : null
    if (nhsNumber && !isValidNhsNumber(nhsNumber)) {
      throw new ValidationError({ nhsNumber: 'Enter a valid 10-digit NHS number' })
    }
    if (self && input.caresForId === self) {
      throw new ValidationError({ caresForId: 'Choose someone other than this person' })
    }
    if (input.caresForId)
      await load(actor, input.caresForId).catch(() => {
        throw new ValidationError({ caresForId: 'Choose someone on your caseload' })
      })
    const practice = input.practiceId ? await deps.findPractice(input.practiceId) : null
    if (input.practiceId && (!practice || practice.kind !== 'practice')) {
      throw new ValidationError({ practiceId: 'Choose a GP practice from the list' })
    }
    return {
      ...personDetails(input, nhsNumber, practice),
      contactPreference: input.contactPreference,
      whatMatters: input.whatMatters,
      needs: input.needs,
      caresForId: input.caresForId,
    }
  }

  return {
    load,
    teamsOf,

    /** One page of the actor's teams' caseload, newest first, with its total. */
    async caseloadPage(actor: PersonActor, ip: string | null, page = 1) {
      const teams = teamsOf(actor)
      const shown = await people.pageByTeam(teams, page)
      await audit.recordOn(actor, 'person.viewed', 'caseload', teams.join(','), ip)
      return shown
    },

    /** People on the actor's teams by NHS number, date of birth or name words; by name. */
    async search(actor: PersonActor, query: PersonSearch, ip: string | null): Promise<PersonRecord[]> {
      const teams = teamsOf(actor)
      const found = await people.search(teams, query)
      await audit.recordOn(actor, 'person.viewed', 'caseload-search', teams.join(','), ip, { found: found.length })
      return found
    },

    /**
     * The people a form offers to choose from, never the whole caseload: the one already chosen, those found by
     * name or NHS number (`find`), then the 25 added most recently. `caseloadSize` is the whole caseload's.
     */
    async pickable(
      actor: PersonActor,
      ip: string | null,
      options: { find?: string; chosenId?: string } = {},
    ): Promise<{ people: PersonRecord[]; found: PersonRecord[] | null; caseloadSize: number }> {
      const teams = teamsOf(actor)
      const find = (options.find ?? '').trim().slice(0, 100)
      const digits = find.replace(/\s/g, '')
      const query: PersonSearch = /^\d{10}$/.test(digits) ? { nhsNumber: digits } : { name: find }
      const [recent, found, chosen] = await Promise.all([
        people.pageByTeam(teams, 1),
        find ? people.search(teams, query) : Promise.resolve(null),
        options.chosenId ? load(actor, options.chosenId).catch(() => null) : Promise.resolve(null),
      ])
      await audit.record({
        actor,
        action: 'person.viewed',
        recordType: find ? 'caseload-search' : 'caseload',
        recordId: teams.join(','),
        ip,
        ...(found ? { detail: { found: found.length } } : {}),
      })
      const seen = new Set<string>()
      const list = [...(chosen ? [chosen] : []), ...(found ?? []), ...recent.items].filter(
        (p) => !seen.has(p.id) && Boolean(seen.add(p.id)),
      )
      return { people: list, found, caseloadSize: recent.total }
    },

    async get(actor: PersonActor, id: string, ip: string | null): Promise<PersonRecord> {
      const person = await load(actor, id)
      await audit.record({ actor, action: 'person.viewed', recordType: 'person', recordId: id, ip })
      return person
    },

    practices: () => deps.listPractices(),

    /**
     * Creates a person on the actor's team caseload. When someone on the caseload has the same NHS number, or the same
     * name and date of birth, nothing is created and the possible duplicates are returned, unless the user confirmed.
     */
    async create(
      actor: PersonActor,
      input: NewPersonInput,
      options: { confirmDuplicate: boolean; ip: string | null },
    ): Promise<{ created: PersonRecord } | { duplicates: PersonRecord[] }> {
      const teamId = teamsOf(actor)[0]
      if (!teamId) throw new NotFoundError()
      const fields = await checkedFields(actor, input)
      const { nhsNumber } = fields
      // From the form's key when it has one, so a repeated post of the same form finds the person it made.
      const id = input.idempotencyKey ? nameUuid(`person:${actor.id}:${input.idempotencyKey}`) : newId()
      if (!options.confirmDuplicate) {
        const duplicates = await duplicatesOf(teamId, { ...input, nhsNumber })
        const made = duplicates.find((p) => p.id === id)
        if (made) return { created: made }
        if (duplicates.length) return { duplicates }
      }
      const now = clock()
      const person: PersonRecord = {
        id,
        teamId,
        ...fields,
        equality: {
          ethnicity: input.ethnicity,
          sex: input.sex,
          ageBand: ageBand(input.dateOfBirth, now),
          // Filled when a postcode → deprivation lookup table is loaded; none ships yet.
          deprivationDecile: null,
        },
        consents: [],
        createdBy: snapshot(actor),
      }
      if (!(await people.insert(person))) return { created: await load(actor, person.id) }
      await audit.record({ actor, action: 'person.changed', recordType: 'person', recordId: person.id, ip: options.ip })
      return { created: person }
    },

    /**
     * Changes a person's details, if the record is still as the form showed it (else ConflictError). The same checks as
     * for a new person; the age band follows a changed date of birth.
     */
    async update(actor: PersonActor, id: string, input: PersonEditInput, ip: string | null): Promise<void> {
      const person = await load(actor, id)
      const { version, ...edited } = input
      const fields = await checkedFields(actor, edited, id)
      const { nhsNumber } = fields
      const changed = await people.updateAtVersion(id, version, {
        ...fields,
        equality: {
          ...person.equality,
          ethnicity: input.ethnicity,
          sex: input.sex,
          ageBand: ageBand(input.dateOfBirth, clock()),
        },
      })
      if (!changed) throw new ConflictError(PERSON_CONFLICT)
      // Which fields changed, never their values: the audit log holds no personal details.
      const changedFields = (
        [
          'givenName',
          'familyName',
          'dateOfBirth',
          'nhsNumber',
          'phone',
          'email',
          'address',
          'postcode',
          'contactPreference',
          'practiceId',
          'whatMatters',
          'caresForId',
        ] as const
      ).filter((f) => (person[f] ?? null) !== ((f === 'nhsNumber' ? nhsNumber : input[f]) ?? null))
      await audit.recordOn(actor, 'person.changed', 'person', id, ip, { edit: changedFields })
    },

    /** Takes a person off the caseload with a reason (or, with `reason` null, puts them back). */
    async discharge(
      actor: PersonActor,
      id: string,
      input: { reason: string | null; text: string | null; version: number },
      ip: string | null,
    ): Promise<void> {
      await load(actor, id)
      const discharge = input.reason
        ? { reason: input.reason, text: input.text, at: clock(), by: snapshot(actor) }
        : null
      if (!(await people.updateAtVersion(id, input.version, { discharge }))) throw new ConflictError(PERSON_CONFLICT)
      await audit.recordOn(
        actor,
        'person.changed',
        'person',
        id,
        ip,
        discharge ? { discharged: discharge.reason } : { returnedToCaseload: true },
      )
    },

    async recordConsent(actor: PersonActor, personId: string, input: ConsentInput, ip: string | null) {
      await load(actor, personId)
      const event: ConsentEvent = { id: newId(), ...input, at: clock(), by: snapshot(actor) }
      await people.addConsentOnce(personId, event)
      await audit.recordOn(actor, 'person.changed', 'person', personId, ip, {
        consent: input.type,
        scope: input.scope,
        organisationId: input.organisationId,
      })
      return event
    },
  }
}

export type PersonService = ReturnType<typeof createPersonService>
