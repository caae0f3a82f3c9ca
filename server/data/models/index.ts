// Models are bound to a Connection (never mongoose's global one), so tests can give each file its own database.
import type { Connection } from 'mongoose'
import { createLocationModel } from './location.model'
import { createOrganizationModel } from './organization.model'
import { createSearchMissModel } from './search-miss.model'
import { createServiceModel } from './service.model'
import { createTaxonomyTermModel } from './taxonomy-term.model'

export function createModels(connection: Connection) {
  return {
    Organization: createOrganizationModel(connection),
    Location: createLocationModel(connection),
    Service: createServiceModel(connection),
    TaxonomyTerm: createTaxonomyTermModel(connection),
    SearchMiss: createSearchMissModel(connection),
  }
}

export type Models = ReturnType<typeof createModels>
