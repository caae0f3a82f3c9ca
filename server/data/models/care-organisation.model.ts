// GP practices and social prescribing teams: organisations of our own kinds, kept apart from the directory's
// organisations (VCOs), whose model follows HSDS.
import { Schema, type Connection } from 'mongoose'
import { timestamps } from './shared.schemas'

export const careOrganisationSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['team', 'practice'], required: true },
    name: { type: String, required: true },
    odsCode: { type: String, default: null },
    pcn: { type: String, default: null },
    area: { type: String, default: null },
    // Registered patients by sex, age band, ethnic group and deprivation decile (the equity report sets the people
    // referred beside it). Optional: null when not known.
    population: { type: Schema.Types.Mixed, default: null },
    origin: { type: String, enum: ['manual', 'demo'], default: 'manual' },
  },
  { collection: 'care_organisations', timestamps, versionKey: false },
)
// Practices are listed by kind (the person form, reports).
careOrganisationSchema.index({ kind: 1 })

export function createCareOrganisationModel(connection: Connection) {
  return connection.model('CareOrganisation', careOrganisationSchema)
}
