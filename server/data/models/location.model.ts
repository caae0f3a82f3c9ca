// A place (HSDS location) with its addresses and the accessibility of the venue. Shared by the services held there.
import { Schema, type Connection } from 'mongoose'
import { provenanceSchema, timestamps } from './shared.schemas'

const addressSchema = new Schema(
  {
    id: { type: String, required: true },
    address_1: { type: String, required: true },
    address_2: { type: String, default: null },
    city: { type: String, required: true },
    region: { type: String, default: null },
    state_province: { type: String, default: null },
    postal_code: { type: String, required: true },
    country: { type: String, default: 'GB' },
    address_type: { type: String, enum: ['physical', 'postal'], default: 'physical' },
  },
  { _id: false },
)

const accessibilitySchema = new Schema(
  {
    id: { type: String, required: true },
    code: { type: String, required: true },
    description: { type: String, default: '' },
  },
  { _id: false },
)

export const locationSchema = new Schema(
  {
    _id: { type: String, required: true },
    organization_id: { type: String, default: null },
    location_type: { type: String, enum: ['physical', 'postal', 'virtual'], default: 'physical' },
    name: { type: String, required: true },
    description: { type: String, default: null },
    latitude: { type: Number, default: null },
    longitude: { type: Number, default: null },
    addresses: { type: [addressSchema], default: [] },
    accessibility: { type: [accessibilitySchema], default: [] },
    origin: { type: String, enum: ['manual', 'demo', 'synthetic', 'import'], default: 'manual' },
    provenance: { type: provenanceSchema, default: null },
  },
  { collection: 'locations', timestamps, versionKey: false },
)

export function createLocationModel(connection: Connection) {
  return connection.model('Location', locationSchema)
}
