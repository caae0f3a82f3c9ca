// A place (HSDS location) with its addresses and the accessibility of the venue. Shared by the services held there.
import type { Connection } from 'mongoose'
import { collectionSchema, list, nullable, required, subSchema } from './fields'
import { directoryOrigin, provenanceSchema, timestamps } from './shared.schemas'

const addressSchema = subSchema({
  id: required(String),
  address_1: required(String),
  address_2: nullable(String),
  city: required(String),
  region: nullable(String),
  state_province: nullable(String),
  postal_code: required(String),
  country: { type: String, default: 'GB' },
  address_type: { type: String, enum: ['physical', 'postal'], default: 'physical' },
})

const accessibilitySchema = subSchema({
  id: required(String),
  code: required(String),
  description: { type: String, default: '' },
})

export const locationSchema = collectionSchema(
  'locations',
  {
    organization_id: nullable(String),
    location_type: { type: String, enum: ['physical', 'postal', 'virtual'], default: 'physical' },
    name: required(String),
    description: nullable(String),
    latitude: nullable(Number),
    longitude: nullable(Number),
    addresses: list(addressSchema),
    accessibility: list(accessibilitySchema),
    origin: directoryOrigin(),
    provenance: nullable(provenanceSchema),
  },
  { timestamps },
)

export function createLocationModel(connection: Connection) {
  return connection.model('Location', locationSchema)
}
