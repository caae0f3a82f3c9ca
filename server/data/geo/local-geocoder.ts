// A Geocoder over a local table (postcode or outcode, latitude, longitude), loaded from CSV: the demo borough's
// table, or a whole country's written by scripts/load-postcodes.ts from the ONS Postcode Directory or Code-Point Open.
// Full postcode first, else the outcode's centroid. Held compactly (about 23 bytes a postcode), so all 1.8 million
// live UK postcodes fit in memory: keys packed in one buffer, sorted for binary search, coordinates in typed arrays.
import fs from 'node:fs'
import { parse } from 'csv-parse/sync'
import type { GeoPoint, Geocoder } from './geocoder'
import { parsePostcode } from './postcode'

export interface PostcodeRow {
  postcode: string
  latitude: number
  longitude: number
}

export interface LocalGeocoder extends Geocoder {
  readonly size: number
}

/** Longest postcode without its space ("SW1A1AA"); shorter keys are padded with spaces. */
const WIDTH = 7

export function createLocalGeocoder(rows: Iterable<PostcodeRow>): LocalGeocoder {
  const keys: string[] = []
  const lats: number[] = []
  const lons: number[] = []
  for (const row of rows) {
    const parsed = parsePostcode(row.postcode)
    if (!parsed || !Number.isFinite(row.latitude) || !Number.isFinite(row.longitude)) continue
    keys.push(parsed.postcode)
    lats.push(row.latitude)
    lons.push(row.longitude)
  }
  return packedGeocoder(keys, lats, lons)
}

/** Keys are normalised postcodes or outcodes ("NW4 4BG", "NW4"); of duplicates the last one wins. */
function packedGeocoder(
  keyList: readonly string[],
  latList: ArrayLike<number>,
  lonList: ArrayLike<number>,
): LocalGeocoder {
  const compact = keyList.map((key) => key.replace(' ', '').padEnd(WIDTH))
  const order = Array.from({ length: compact.length }, (_, i) => i)
  // scripts/load-postcodes.ts writes its table in this order, so a whole country loads without a sort.
  if (compact.some((key, i) => i > 0 && compact[i - 1]! >= key)) {
    order.sort((a, b) => (compact[a]! < compact[b]! ? -1 : compact[a]! > compact[b]! ? 1 : a - b))
  }
  const unique = order.filter((at, i) => order[i + 1] === undefined || compact[order[i + 1]!] !== compact[at])
  const keys = Buffer.alloc(unique.length * WIDTH)
  const lat = new Float64Array(unique.length)
  const lon = new Float64Array(unique.length)
  unique.forEach((at, i) => {
    keys.write(compact[at]!, i * WIDTH, 'latin1')
    lat[i] = latList[at]!
    lon[i] = lonList[at]!
  })

  function find(postcode: string): number {
    const target = Buffer.from(postcode.replace(' ', '').padEnd(WIDTH), 'latin1')
    let lo = 0
    let hi = unique.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const order = keys.compare(target, 0, WIDTH, mid * WIDTH, (mid + 1) * WIDTH)
      if (order === 0) return mid
      if (order < 0) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  return {
    size: unique.length,
    async lookup(postcode: string): Promise<GeoPoint | null> {
      const parsed = parsePostcode(postcode)
      if (!parsed) return null
      const exact = find(parsed.postcode)
      if (exact >= 0) return { lat: lat[exact]!, lon: lon[exact]!, postcode: parsed.postcode, precision: parsed.kind }
      const district = find(parsed.outcode)
      return district >= 0
        ? { lat: lat[district]!, lon: lon[district]!, postcode: parsed.postcode, precision: 'outcode' }
        : null
    },
  }
}

/** The table scripts/load-postcodes.ts writes: already normalised postcodes, read without checking each one. */
const TABLE_HEADER = 'postcode,latitude,longitude\n'
const KEY = /^[A-Z0-9]{2,4}( [0-9][A-Z]{2})?$/

function readTable(text: string): LocalGeocoder {
  const keys: string[] = []
  const lat: number[] = []
  const lon: number[] = []
  let at = TABLE_HEADER.length
  while (at < text.length) {
    let end = text.indexOf('\n', at)
    if (end < 0) end = text.length
    const first = text.indexOf(',', at)
    const second = text.indexOf(',', first + 1)
    if (first > at && second > first && second < end) {
      const key = text.slice(at, first)
      const la = Number(text.slice(first + 1, second))
      const lo = Number(text.slice(second + 1, end))
      if (KEY.test(key) && Number.isFinite(la) && Number.isFinite(lo)) {
        keys.push(key)
        lat.push(la)
        lon.push(lo)
      }
    }
    at = end + 1
  }
  return packedGeocoder(keys, lat, lon)
}

/** Reads a CSV with a header row naming postcode (or pcds/outcode), latitude (or lat) and longitude (or long/lon). */
export function readPostcodeCsv(file: string): PostcodeRow[] {
  const records = parse(fs.readFileSync(file), { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[]
  return records.map((r) => ({
    postcode: r.postcode ?? r.pcds ?? r.outcode ?? '',
    latitude: Number(r.latitude ?? r.lat),
    longitude: Number(r.longitude ?? r.long ?? r.lon),
  }))
}

/**
 * The table scripts/load-postcodes.ts writes (exactly "postcode,latitude,longitude", normalised) is read by hand: it
 * may hold every UK postcode, and parsing each row as a CSV record and a postcode would cost a minute at start.
 */
export function loadLocalGeocoder(file: string): LocalGeocoder {
  const text = fs.readFileSync(file, 'utf8')
  if (text.startsWith(TABLE_HEADER)) return readTable(text)
  return createLocalGeocoder(readPostcodeCsv(file))
}
