// GP practices and social prescribing teams: organisations of our own kinds, kept apart from the directory's
// organisations (VCOs), whose model follows HSDS.
import { Schema, type Connection } from 'mongoose'
import { collectionSchema, nullable, required } from './fields'
import { careOrigin, timestamps } from './shared.schemas'

export const careOrganisationSchema = collectionSchema(
  'care_organisations',
  {
    kind: { type: String, enum: ['team', 'practice'], required: true },
    name: required(String),
    odsCode: nullable(String),
    pcn: nullable(String),
    area: nullable(String),
    // Registered patients by sex, age band, ethnic group and deprivation decile (the equity report sets the people
    // referred beside it). Optional: null when not known.
    population: nullable(Schema.Types.Mixed),
    origin: careOrigin(),
  },
  { timestamps },
)
// Practices are listed by kind (the person form, reports).
careOrganisationSchema.index({ kind: 1 })

export function createCareOrganisationModel(connection: Connection) {
  return connection.model('CareOrganisation', careOrganisationSchema)
}
