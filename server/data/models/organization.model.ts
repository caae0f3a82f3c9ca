// An organisation (HSDS organization) that runs services. review_status gates what the public sees.
import { Schema, type Connection } from 'mongoose'
import { phoneSchema, provenanceSchema, timestamps } from './shared.schemas'

const identifierSchema = new Schema(
  {
    id: { type: String, required: true },
    identifier_scheme: { type: String, required: true },
    identifier_type: { type: String, required: true },
    identifier: { type: String, required: true },
  },
  { _id: false },
)

export const organizationSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    alternate_name: { type: String, default: null },
    description: { type: String, default: '' },
    email: { type: String, default: null },
    website: { type: String, default: null },
    phones: { type: [phoneSchema], default: [] },
    organization_identifiers: { type: [identifierSchema], default: [] },
    review_status: { type: String, enum: ['approved', 'pending', 'rejected'], default: 'pending' },
    origin: { type: String, enum: ['manual', 'demo', 'synthetic', 'import'], default: 'manual' },
    provenance: { type: provenanceSchema, default: null },
    /** The UTC hour of the last write ("2026-12-07T06"): the directory health report reads the hours since. */
    updatedHour: { type: String, default: null },
  },
  { collection: 'organizations', timestamps, versionKey: false },
)
organizationSchema.index({ updatedHour: 1 })

export function createOrganizationModel(connection: Connection) {
  return connection.model('Organization', organizationSchema)
}
