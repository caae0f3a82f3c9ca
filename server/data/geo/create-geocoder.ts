// Chooses the Geocoder: the local postcode table, then postcodes.io (or a compatible service) when POSTCODES_URL is set.
import path from 'node:path'
import { createCompositeGeocoder } from './composite-geocoder'
import type { Geocoder } from './geocoder'
import { loadLocalGeocoder } from './local-geocoder'
import { createPostcodesIoGeocoder } from './postcodes-io-geocoder'

/** The local postcode table: the demo borough's postcodes, so postcode search works offline. */
export const LOCAL_POSTCODES_CSV = path.resolve(import.meta.dirname, '../demo/postcodes.csv')

export function createGeocoder(options: { postcodesFile?: string | null; postcodesUrl?: string | null }): Geocoder {
  const local = loadLocalGeocoder(options.postcodesFile ?? LOCAL_POSTCODES_CSV)
  if (!options.postcodesUrl) return local
  return createCompositeGeocoder(local, createPostcodesIoGeocoder({ baseUrl: options.postcodesUrl }))
}
