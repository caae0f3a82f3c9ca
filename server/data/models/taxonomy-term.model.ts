// A need taxonomy term (HSDS taxonomy_term) with a slug code, a parent and a crisis flag.
import type { Connection } from 'mongoose'
import { collectionSchema, nullable, required } from './fields'
import { timestamps } from './shared.schemas'

export const taxonomyTermSchema = collectionSchema(
  'taxonomy_terms',
  {
    code: required(String),
    name: required(String),
    parent_code: nullable(String),
    description: { type: String, default: '' },
    crisis: { type: Boolean, default: false },
    taxonomy: required(String),
  },
  { timestamps },
)

export function createTaxonomyTermModel(connection: Connection) {
  return connection.model('TaxonomyTerm', taxonomyTermSchema)
}
