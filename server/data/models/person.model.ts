// A person on a link worker team's caseload, with their consent history. Personal data: read only through the
// person service, which checks the team and writes an audit event.
import type { Connection } from 'mongoose'
import { collectionSchema, indexEach, list, nullable, required, subSchema } from './fields'
import { actorSnapshotSchema as actor, monthAndDay, timestamps } from './shared.schemas'

const consentSchema = subSchema({
  id: required(String),
  type: { type: String, enum: ['given', 'withdrawn'], required: true },
  scope: { type: String, enum: ['share_with_organisation', 'feedback_to_gp'], required: true },
  organisationId: required(String),
  organisationName: required(String),
  how: { type: String, enum: ['verbal', 'written'], required: true },
  at: required(Date),
  by: required(actor),
})

export const personSchema = collectionSchema(
  'people',
  {
    teamId: { type: String, required: true, index: true },
    givenName: required(String),
    familyName: required(String),
    dateOfBirth: required(String),
    nhsNumber: nullable(String),
    phone: nullable(String),
    email: nullable(String),
    address: nullable(String),
    postcode: nullable(String),
    contactPreference: {
      type: String,
      enum: ['phone', 'text', 'email', 'letter', 'do_not_contact'],
      required: true,
    },
    practiceId: nullable(String),
    practiceName: nullable(String),
    practiceOdsCode: nullable(String),
    whatMatters: { type: String, default: '' },
    needs: list(String),
    equality: {
      ethnicity: nullable(String),
      sex: nullable(String),
      ageBand: nullable(String),
      deprivationDecile: nullable(Number),
    },
    caresForId: nullable(String),
    consents: list(consentSchema),
    createdBy: required(actor),
    discharge: {
      type: subSchema({
        reason: required(String),
        text: nullable(String),
        at: required(Date),
        by: required(actor),
      }),
      default: null,
    },
    /** Raised by every change, through a version claim (see atomic.ts). */
    version: { type: Number, default: 0 },
    /** The words of the names, lowercase without accents, for search by equality (person.repository.ts personKeys). */
    nameKeys: { type: [String], default: undefined },
    /** Of `created_at`: the caseload pages month by month. */
    ...monthAndDay(),
  },
  { timestamps },
)
// Every field a list selects by equality (the embedded engine turns these into GIN expression indexes).
indexEach(personSchema, ['nhsNumber', 'dateOfBirth', 'nameKeys', 'month', 'day'])
// The caseload, newest first: the embedded engine pages it through this index (embedded-db/engine-pages.ts).
personSchema.index({ teamId: 1, created_at: -1 })

export function createPersonModel(connection: Connection) {
  return connection.model('Person', personSchema)
}
