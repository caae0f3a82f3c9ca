// People on link worker teams' caseloads. _id lookups for a person; one query per team for a caseload (a full scan
// on FerretDB SQLite, but one round trip). Consent events are appended with $push, never rewritten.
import type { Connection } from 'mongoose'
import type { ConsentEvent, PersonRecord } from '../../domain/referral-records'
import { createModels, type Models } from '../models'
import { LOST, insertOnce, retryLostRaces, versionedUpdate } from '../atomic'

type Doc = { _id: unknown } & Record<string, unknown>
function fromDoc(doc: unknown): PersonRecord {
  const { _id, created_at, updated_at, ...rest } = doc as Doc
  return { id: String(_id), ...rest, created_at, updated_at } as unknown as PersonRecord
}

export function createPersonRepository(connection: Connection, models: Models = createModels(connection)) {
  const { Person } = models
  return {
    async get(id: string): Promise<PersonRecord | null> {
      const doc = await Person.findById(id).lean()
      return doc ? fromDoc(doc) : null
    },

    async listByTeam(teamId: string): Promise<PersonRecord[]> {
      const docs = await Person.find({ teamId }).sort({ familyName: 1, givenName: 1 }).lean()
      return docs.map(fromDoc)
    },

    /**
     * Creates the person unless one with this id exists already (demo seeding, a repeated form). Returns whether it was
     * created; of concurrent inserts with one id, one wins (unique _id) and the others answer false.
     */
    async insert(person: PersonRecord): Promise<boolean> {
      if (await Person.exists({ _id: person.id })) return false
      const { id, created_at: _c, updated_at: _u, ...rest } = person
      return insertOnce(Person, { _id: id, ...rest })
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
