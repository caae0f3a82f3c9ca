// A Geocoder over a postcodes.io-compatible HTTP API (GET /postcodes/{postcode}, GET /outcodes/{outcode}), with a
// timeout and a small in-memory cache. Used when POSTCODES_URL is configured.
import { ServiceUnavailableError } from '../../errors'
import { LRUCache } from 'lru-cache'
import type { GeoPoint, Geocoder } from './geocoder'
import { parsePostcode } from './postcode'

export interface PostcodesIoOptions {
  baseUrl: string
  timeoutMs?: number
  cacheSize?: number
  fetch?: typeof fetch
}

interface PostcodesIoBody {
  status?: number
  result?: { latitude?: number | null; longitude?: number | null } | null
}

export function createPostcodesIoGeocoder(options: PostcodesIoOptions): Geocoder {
  const base = options.baseUrl.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 3_000
  const cacheSize = options.cacheSize ?? 1_000
  const doFetch = options.fetch ?? fetch
  // Answers by postcode, least recently used dropped first; a postcode that does not exist is remembered too.
  const cache = new LRUCache<string, { point: GeoPoint | null }>({ max: Math.max(1, cacheSize) })
  const remember = (key: string, point: GeoPoint | null) => cache.set(key, { point })

  return {
    async lookup(postcode: string): Promise<GeoPoint | null> {
      const parsed = parsePostcode(postcode)
      if (!parsed) return null
      const known = cache.get(parsed.postcode)
      if (known) return known.point
      const url =
        parsed.kind === 'postcode'
          ? `${base}/postcodes/${encodeURIComponent(parsed.postcode.replace(' ', ''))}`
          : `${base}/outcodes/${encodeURIComponent(parsed.outcode)}`
      let response: Response
      try {
        response = await doFetch(url, {
          signal: AbortSignal.timeout(timeoutMs),
          headers: { accept: 'application/json' },
        })
      } catch (error) {
        throw new ServiceUnavailableError('The postcode lookup did not answer', { cause: error })
      }
      if (response.status === 404) {
        await response.body?.cancel()
        remember(parsed.postcode, null)
        return null
      }
      if (!response.ok) {
        await response.body?.cancel()
        throw new ServiceUnavailableError(`The postcode lookup answered ${response.status}`)
      }
      const body = (await response.json()) as PostcodesIoBody
      const lat = body.result?.latitude
      const lon = body.result?.longitude
      const point: GeoPoint | null =
        typeof lat === 'number' && typeof lon === 'number'
          ? { lat, lon, postcode: parsed.postcode, precision: parsed.kind }
          : null
      remember(parsed.postcode, point)
      return point
    },
  }
}
