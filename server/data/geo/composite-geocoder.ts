// Local table first; a full postcode the table lacks goes to the HTTP geocoder, falling back to the local outcode
// centroid when the HTTP one cannot answer.
import { ServiceUnavailableError } from '../../errors'
import { createLogger } from '../../logger'
import type { GeoPoint, Geocoder } from './geocoder'

const log = createLogger('geocoder')

export function createCompositeGeocoder(local: Geocoder, remote?: Geocoder): Geocoder {
  return {
    async lookup(postcode: string): Promise<GeoPoint | null> {
      const found = await local.lookup(postcode)
      if (!remote || found?.precision === 'postcode') return found
      try {
        return await remote.lookup(postcode)
      } catch (error) {
        if (!(error instanceof ServiceUnavailableError)) throw error
        log.warn({ err: error.message }, 'remote postcode lookup failed; using the local table')
        if (found) return found
        throw error
      }
    },
  }
}
