// One answer to "where is this postcode?" for every page and API that takes one: the format checked by the postcode
// library (data/geo/postcode.ts), then the geocoder. "Not a postcode" and "cannot place it" get different messages.
import type { GeoPoint, Geocoder } from '../data/geo/geocoder'
import { parsePostcode } from '../data/geo/postcode'
import { ValidationError } from '../errors'

/** The point for a UK postcode or outward code; a ValidationError on the `postcode` field otherwise. */
export async function placePostcode(geocoder: Geocoder, input: string): Promise<GeoPoint> {
  const parsed = parsePostcode(input)
  if (!parsed) {
    throw new ValidationError({ postcode: 'This is not a UK postcode. Enter a postcode like EN5 1AA' })
  }
  const point = await geocoder.lookup(parsed.postcode)
  if (!point) {
    throw new ValidationError({
      postcode: `We cannot place ${parsed.postcode}. Check it, try a nearby postcode, or search without one`,
    })
  }
  return point
}
