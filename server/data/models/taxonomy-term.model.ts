// A need taxonomy term (HSDS taxonomy_term) with a slug code, a parent and a crisis flag.
import { Schema, type Connection } from 'mongoose'
import { timestamps } from './shared.schemas'

export const taxonomyTermSchema = new Schema(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    name: { type: String, required: true },
    parent_code: { type: String, default: null },
    description: { type: String, default: '' },
    crisis: { type: Boolean, default: false },
    taxonomy: { type: String, required: true },
  },
  { collection: 'taxonomy_terms', timestamps, versionKey: false },
)

export function createTaxonomyTermModel(connection: Connection) {
  return connection.model('TaxonomyTerm', taxonomyTermSchema)
}
