// A Geocoder over a local table (postcode or outcode, latitude, longitude), loaded from CSV, e.g. an extract of the
// ONS Postcode Directory or the demo borough's table. Full postcode first, else the outcode's centroid.
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

export function createLocalGeocoder(rows: Iterable<PostcodeRow>): LocalGeocoder {
  const table = new Map<string, { lat: number; lon: number }>()
  for (const row of rows) {
    const parsed = parsePostcode(row.postcode)
    if (!parsed || !Number.isFinite(row.latitude) || !Number.isFinite(row.longitude)) continue
    table.set(parsed.postcode, { lat: row.latitude, lon: row.longitude })
  }
  return {
    size: table.size,
    async lookup(postcode: string): Promise<GeoPoint | null> {
      const parsed = parsePostcode(postcode)
      if (!parsed) return null
      const exact = table.get(parsed.postcode)
      if (exact) return { ...exact, postcode: parsed.postcode, precision: parsed.kind }
      const district = table.get(parsed.outcode)
      return district ? { ...district, postcode: parsed.postcode, precision: 'outcode' } : null
    },
  }
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

export function loadLocalGeocoder(file: string): LocalGeocoder {
  return createLocalGeocoder(readPostcodeCsv(file))
}
