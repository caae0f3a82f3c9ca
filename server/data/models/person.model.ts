// A person on a link worker team's caseload, with their consent history. Personal data: read only through the
// person service, which checks the team and writes an audit event.
import { Schema, type Connection } from 'mongoose'
import { actorSnapshotSchema as actor, timestamps } from './shared.schemas'

const consentSchema = new Schema(
  {
    id: { type: String, required: true },
    type: { type: String, enum: ['given', 'withdrawn'], required: true },
    scope: { type: String, enum: ['share_with_organisation', 'feedback_to_gp'], required: true },
    organisationId: { type: String, required: true },
    organisationName: { type: String, required: true },
    how: { type: String, enum: ['verbal', 'written'], required: true },
    at: { type: Date, required: true },
    by: { type: actor, required: true },
  },
  { _id: false },
)

export const personSchema = new Schema(
  {
    _id: { type: String, required: true },
    teamId: { type: String, required: true, index: true },
    givenName: { type: String, required: true },
    familyName: { type: String, required: true },
    dateOfBirth: { type: String, required: true },
    nhsNumber: { type: String, default: null },
    phone: { type: String, default: null },
    email: { type: String, default: null },
    address: { type: String, default: null },
    postcode: { type: String, default: null },
    contactPreference: {
      type: String,
      enum: ['phone', 'text', 'email', 'letter', 'do_not_contact'],
      required: true,
    },
    practiceId: { type: String, default: null },
    practiceName: { type: String, default: null },
    practiceOdsCode: { type: String, default: null },
    whatMatters: { type: String, default: '' },
    needs: { type: [String], default: [] },
    equality: {
      ethnicity: { type: String, default: null },
      sex: { type: String, default: null },
      ageBand: { type: String, default: null },
      deprivationDecile: { type: Number, default: null },
    },
    caresForId: { type: String, default: null },
    consents: { type: [consentSchema], default: [] },
    createdBy: { type: actor, required: true },
    discharge: {
      type: new Schema(
        {
          reason: { type: String, required: true },
          text: { type: String, default: null },
          at: { type: Date, required: true },
          by: { type: actor, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
    /** Raised by every change, through a version claim (see atomic.ts). */
    version: { type: Number, default: 0 },
    /** The words of the names, lowercase without accents, for search by equality (person.repository.ts personKeys). */
    nameKeys: { type: [String], default: undefined },
    /** created_at's UTC month, "2026-12": the caseload pages month by month (repositories/month-pages.ts). */
    month: { type: String },
    /** created_at's UTC day, "2026-12-07": a large month is read a day at a time. */
    day: { type: String },
  },
  { collection: 'people', timestamps, versionKey: false },
)
// Every field a list selects by equality (the embedded engine turns these into GIN expression indexes).
personSchema.index({ nhsNumber: 1 })
personSchema.index({ dateOfBirth: 1 })
personSchema.index({ nameKeys: 1 })
personSchema.index({ month: 1 })
personSchema.index({ day: 1 })
// The caseload, newest first: the embedded engine pages it through this index (embedded-db/engine-pages.ts).
personSchema.index({ teamId: 1, created_at: -1 })

export function createPersonModel(connection: Connection) {
  return connection.model('Person', personSchema)
}
