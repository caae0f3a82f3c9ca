// GP practices and social prescribing teams: organisations of our own kinds, kept apart from the directory's
// organisations (VCOs), whose model follows HSDS.
import { Schema, type Connection } from 'mongoose'
import { nullable, required } from './fields'
import { careOrigin, timestamps } from './shared.schemas'

export const careOrganisationSchema = new Schema(
  {
    _id: required(String),
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
  { collection: 'care_organisations', timestamps, versionKey: false },
)
// Practices are listed by kind (the person form, reports).
careOrganisationSchema.index({ kind: 1 })

export function createCareOrganisationModel(connection: Connection) {
  return connection.model('CareOrganisation', careOrganisationSchema)
}
