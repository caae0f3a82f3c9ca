// A need taxonomy term (HSDS taxonomy_term) with a slug code, a parent and a crisis flag.
import { Schema, type Connection } from 'mongoose'
import { nullable, required } from './fields'
import { timestamps } from './shared.schemas'

export const taxonomyTermSchema = new Schema(
  {
    _id: required(String),
    code: required(String),
    name: required(String),
    parent_code: nullable(String),
    description: { type: String, default: '' },
    crisis: { type: Boolean, default: false },
    taxonomy: required(String),
  },
  { collection: 'taxonomy_terms', timestamps, versionKey: false },
)

export function createTaxonomyTermModel(connection: Connection) {
  return connection.model('TaxonomyTerm', taxonomyTermSchema)
}
