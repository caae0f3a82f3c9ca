// An organisation (HSDS organization) that runs services. review_status gates what the public sees.
import type { Connection } from 'mongoose'
import { collectionSchema, list, nullable, required, subSchema } from './fields'
import { directoryOrigin, phoneSchema, provenanceSchema, reviewStatus, timestamps } from './shared.schemas'

const identifierSchema = subSchema({
  id: required(String),
  identifier_scheme: required(String),
  identifier_type: required(String),
  identifier: required(String),
})

export const organizationSchema = collectionSchema(
  'organizations',
  {
    name: required(String),
    alternate_name: nullable(String),
    description: { type: String, default: '' },
    email: nullable(String),
    website: nullable(String),
    phones: list(phoneSchema),
    organization_identifiers: list(identifierSchema),
    review_status: reviewStatus(),
    origin: directoryOrigin(),
    provenance: nullable(provenanceSchema),
    /** The UTC hour of the last write ("2026-12-07T06"): the directory health report reads the hours since. */
    updatedHour: nullable(String),
  },
  { timestamps },
)
organizationSchema.index({ updatedHour: 1 })

export function createOrganizationModel(connection: Connection) {
  return connection.model('Organization', organizationSchema)
}
