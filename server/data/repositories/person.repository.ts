// People on link worker teams' caseloads. _id lookups for a person; a caseload a month at a time, newest first
// (month-pages.ts); search and duplicate checks by equality on the team and one of the NHS number, the date of birth
// or a lowercase name word (`nameKeys`), so no list reads a whole team. Consent events are appended with $push,
// never rewritten.
import type { Connection } from 'mongoose'
import type { ConsentEvent, PersonRecord } from '../../domain/referral-records'
import { createModels, type Models } from '../models'
import { findRecord, findRecords } from './records'
import { LOST, insertOnce, retryLostRaces, versionedUpdate } from '../atomic'
import { listBuckets, monthPagesFor, pageEach, PER_PAGE, type Page } from './month-pages'

type Doc = { _id: unknown } & Record<string, unknown>
function fromDoc(doc: unknown): PersonRecord {
  const { _id, created_at, updated_at, ...rest } = doc as Doc
  return { id: String(_id), ...rest, created_at, updated_at } as unknown as PersonRecord
}

/** The words of a person's names, lowercase and without accents: "Anne-Marie O'Neil" → anne, marie, o, neil. */
export function nameKeys(...names: string[]): string[] {
  const words = names
    .join(' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
  return [...new Set(words)]
}

/** The fields a person's lists select by, derived from the record: set on every write of the names or dates. */
export function personKeys(person: Pick<PersonRecord, 'givenName' | 'familyName'> & { created_at?: Date }) {
  return {
    nameKeys: nameKeys(person.givenName, person.familyName),
    ...listBuckets(person.created_at ?? new Date()),
  }
}

const byName = (a: PersonRecord, b: PersonRecord) =>
  a.familyName.localeCompare(b.familyName) || a.givenName.localeCompare(b.givenName)

export interface PersonSearch {
  name?: string
  nhsNumber?: string
  /** YYYY-MM-DD */
  dateOfBirth?: string
}

export function createPersonRepository(connection: Connection, models: Models = createModels(connection)) {
  const { Person } = models
  const months = monthPagesFor(connection, models)
  return {
    async get(id: string): Promise<PersonRecord | null> {
      return findRecord(Person, id, fromDoc)
    },

    /** These people (a page's), in the order given; missing ones left out. */
    async listByIds(ids: readonly string[]): Promise<PersonRecord[]> {
      return findRecords(connection, Person, ids, { toRecord: fromDoc })
    },

    /** Every person on the team, by name: for a team's picker, not for its lists (those page). */
    async listByTeam(teamId: string): Promise<PersonRecord[]> {
      const docs = await Person.find({ teamId }).lean()
      return docs.map(fromDoc).sort(byName)
    },

    /** One page of the teams' caseload, newest first. */
    async pageByTeam(teamIds: readonly string[], page: number, perPage = PER_PAGE): Promise<Page<PersonRecord>> {
      return pageEach(
        months,
        { field: 'teamId', values: teamIds, page, perPage },
        { model: Person, order: 'created_at' },
        fromDoc,
      )
    },

    /**
     * People on the teams matching every given part: the NHS number, the date of birth, and each word of the name
     * (a whole word: "smith" finds "Jane Smith-Jones", "smi" does not). Selected by the most telling part, by name.
     */
    async search(teamIds: readonly string[], query: PersonSearch): Promise<PersonRecord[]> {
      const words = nameKeys(query.name ?? '')
      const first: Record<string, string> | null = query.nhsNumber
        ? { nhsNumber: query.nhsNumber }
        : query.dateOfBirth
          ? { dateOfBirth: query.dateOfBirth }
          : words.length
            ? { nameKeys: words[0]! }
            : null
      if (!first) return []
      const docs = (await Promise.all(teamIds.map((teamId) => Person.find({ teamId, ...first }).lean()))).flat()
      return docs
        .map(fromDoc)
        .filter(
          (p) =>
            (!query.nhsNumber || p.nhsNumber === query.nhsNumber) &&
            (!query.dateOfBirth || p.dateOfBirth === query.dateOfBirth) &&
            words.every((w) => ((p as unknown as { nameKeys?: string[] }).nameKeys ?? []).includes(w)),
        )
        .sort(byName)
    },

    /** People on the team with this NHS number, or born on this date (the duplicate check narrows by name). */
    async listLikely(
      teamId: string,
      match: { nhsNumber: string | null; dateOfBirth: string },
    ): Promise<PersonRecord[]> {
      const [byNhs, byBirth] = await Promise.all([
        match.nhsNumber ? Person.find({ teamId, nhsNumber: match.nhsNumber }).lean() : [],
        Person.find({ teamId, dateOfBirth: match.dateOfBirth }).lean(),
      ])
      const seen = new Set<string>()
      return [...byNhs, ...byBirth].map(fromDoc).filter((p) => !seen.has(p.id) && Boolean(seen.add(p.id)))
    },

    /**
     * Creates the person unless one with this id exists already (demo seeding, a repeated form). Returns whether it was
     * created; of concurrent inserts with one id, one wins (unique _id) and the others answer false.
     */
    async insert(person: PersonRecord): Promise<boolean> {
      if (await Person.exists({ _id: person.id })) return false
      const { id, created_at: _c, updated_at: _u, ...rest } = person
      // created_at is set by the model to now, so the month is now's.
      const keys = personKeys({ ...person, created_at: new Date() })
      await months.register('people', keys.day)
      const created = await insertOnce(Person, { _id: id, ...rest, ...keys })
      months.wrote('people')
      return created
    },

    /**
     * Changes a person's own fields if the record is still at `version` (the one the form was drawn from). Only the
     * caller that claims the next version writes (atomic.ts); false when someone changed it first. Name words are
     * derived again from the names.
     */
    async updateAtVersion(
      id: string,
      version: number,
      fields: Partial<Omit<PersonRecord, 'id' | 'teamId' | 'consents' | 'createdBy' | 'version'>>,
    ): Promise<boolean> {
      const set: Record<string, unknown> = { ...fields, version: version + 1 }
      if (fields.givenName !== undefined || fields.familyName !== undefined) {
        const doc = await Person.findById(id, { givenName: 1, familyName: 1 }).lean()
        if (!doc) return false
        set.nameKeys = nameKeys(fields.givenName ?? doc.givenName, fields.familyName ?? doc.familyName)
      }
      // A record made before versions were counted has none: version 0 matches it too.
      const guard = version === 0 ? { $or: [{ version: 0 }, { version: { $exists: false } }] } : { version }
      return versionedUpdate(models, Person, { id, claimKey: `person:${id}`, version, guard, update: { $set: set } })
    },

    /**
     * Appends a consent event unless one with its id is there already (a retried submission). Serialised by version
     * claims (atomic.ts), retrying on the latest version, so concurrent consents are neither lost nor doubled.
     */
    async addConsentOnce(id: string, event: ConsentEvent): Promise<boolean> {
      return retryLostRaces('record consent', async () => {
        const doc = await Person.findById(id, { version: 1, consents: 1 }).lean()
        if (!doc) return false
        if (doc.consents.some((c) => c.id === event.id)) return false
        const version = doc.version ?? 0
        const updated = await versionedUpdate(models, Person, {
          id,
          claimKey: `person:${id}`,
          version,
          guard: { version },
          update: { $push: { consents: event }, $set: { version: version + 1 } },
        })
        return updated || LOST
      })
    },
  }
}

export type PersonRepository = ReturnType<typeof createPersonRepository>
