// The Geocoder port: a postcode (or outward code) to a point.

export interface GeoPoint {
  lat: number
  lon: number
  /** The normalised postcode or outcode that was found. */
  postcode: string
  /** 'postcode' when the full postcode was found, 'outcode' when only its district centroid was. */
  precision: 'postcode' | 'outcode'
}

export interface Geocoder {
  /** Null when the postcode is well formed but unknown. Throws ServiceUnavailableError when a lookup cannot be made. */
  lookup(postcode: string): Promise<GeoPoint | null>
}
