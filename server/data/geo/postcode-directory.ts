// Turns a national postcode file into the local table the LocalGeocoder reads (postcode,latitude,longitude), so a
// deployment anywhere in the UK places postcodes offline. Reads, streaming:
// - the ONS Postcode Directory (ONSPD) or National Statistics Postcode Lookup (NSPL) CSV: columns pcds (or pcd,
//   postcode), lat, long, and doterm (terminated postcodes are left out unless asked for);
// - OS Code-Point Open CSV (no header: postcode, quality, eastings, northings, …), converted from the British
//   National Grid to latitude and longitude with proj4.
// Postcodes with no grid reference (ONSPD writes 99.999999) are left out. Each outward code also gets a row at the
// mean of its postcodes, for searches by district ("NW4").
import fs from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { parse } from 'csv-parse'
import proj4 from 'proj4'
import { parsePostcode } from './postcode'

/** OSGB36 British National Grid (EPSG:27700), with the published 7-parameter shift to WGS84 (within about 5 m). */
const BRITISH_NATIONAL_GRID =
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ' +
  '+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs'
const toWgs84 = proj4(BRITISH_NATIONAL_GRID, 'WGS84')

export interface PostcodeDirectoryResult {
  format: 'onspd' | 'codepoint'
  /** Full postcodes written. */
  postcodes: number
  /** Outward codes written, each at the mean of its postcodes. */
  outcodes: number
  /** Rows left out: terminated, no grid reference, or not a postcode. */
  skipped: number
}

export interface PostcodeDirectoryOptions {
  /** Keep postcodes ONSPD marks as terminated (doterm set). */
  includeTerminated?: boolean
  /** Called as the input is read, with the bytes read so far. */
  onProgress?: (bytesRead: number) => void
}

/** The LocalGeocoder's key: the postcode without its space, padded to seven characters. */
const sortKey = (postcode: string): string => postcode.replace(' ', '').padEnd(7)

type Columns = { postcode: number; lat: number; lon: number; doterm: number | null }

function headerColumns(header: string[]): Columns | null {
  const names = header.map((h) => h.trim().toLowerCase())
  const find = (...candidates: string[]) => names.findIndex((n) => candidates.includes(n))
  const postcode = find('pcds', 'pcd', 'pcd7', 'pcd8', 'postcode')
  const lat = find('lat', 'latitude')
  const lon = find('long', 'lon', 'longitude')
  if (postcode < 0 || lat < 0 || lon < 0) return null
  const doterm = find('doterm')
  return { postcode, lat, lon, doterm: doterm < 0 ? null : doterm }
}

/** Reads `input` (ONSPD, NSPL or Code-Point Open CSV) and writes the local table to `output`. */
export async function convertPostcodeDirectory(
  input: string,
  output: string,
  options: PostcodeDirectoryOptions = {},
): Promise<PostcodeDirectoryResult> {
  const out = fs.createWriteStream(output)
  const write = (line: string): Promise<void> | void => {
    if (!out.write(line)) return new Promise((resolve) => out.once('drain', () => resolve()))
  }
  await write('postcode,latitude,longitude\n')
  const districts = new Map<string, { lat: number; lon: number; n: number }>()
  const rows: { key: string; line: string }[] = []
  let format: PostcodeDirectoryResult['format'] | null = null
  let columns: Columns | null = null
  let postcodes = 0
  let skipped = 0

  const source = fs.createReadStream(input)
  source.on('data', () => options.onProgress?.(source.bytesRead))
  const parser = parse({ relax_column_count: true, skip_empty_lines: true, trim: true })
  const consume = async function (records: AsyncIterable<string[]>) {
    for await (const row of records) {
      if (format === null) {
        columns = headerColumns(row)
        if (columns) {
          format = 'onspd'
          continue
        }
        if (parsePostcode(row[0] ?? '') === null || row.length < 4) {
          failure = new Error(
            'This is neither an ONS Postcode Directory CSV (with pcds, lat and long columns) nor Code-Point Open',
          )
          throw failure
        }
        format = 'codepoint'
      }
      let lat: number
      let lon: number
      let code: string
      if (columns) {
        const c: Columns = columns
        if (!options.includeTerminated && c.doterm !== null && (row[c.doterm] ?? '') !== '') {
          skipped++
          continue
        }
        code = row[c.postcode] ?? ''
        lat = Number(row[c.lat])
        lon = Number(row[c.lon])
      } else {
        const eastings = Number(row[2])
        const northings = Number(row[3])
        code = row[0] ?? ''
        if (!(eastings > 0 && northings > 0)) {
          skipped++
          continue
        }
        ;[lon, lat] = toWgs84.forward([eastings, northings]) as [number, number]
      }
      const parsed = parsePostcode(code)
      if (parsed?.kind !== 'postcode' || !(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180) || lat > 61) {
        skipped++
        continue
      }
      lat = Math.round(lat * 1e6) / 1e6
      lon = Math.round(lon * 1e6) / 1e6
      rows.push({ key: sortKey(parsed.postcode), line: `${parsed.postcode},${lat},${lon}\n` })
      postcodes++
      const district = districts.get(parsed.outcode) ?? { lat: 0, lon: 0, n: 0 }
      district.lat += lat
      district.lon += lon
      district.n++
      districts.set(parsed.outcode, district)
    }
  }
  // The pipeline reports a failure inside consume as an abort; the failure itself says what is wrong.
  let failure: Error | null = null
  try {
    await pipeline(source, parser, consume).catch((error: unknown) => {
      throw failure ?? error
    })
    for (const [outcode, d] of districts) {
      const line = `${outcode},${Math.round((d.lat / d.n) * 1e6) / 1e6},${Math.round((d.lon / d.n) * 1e6) / 1e6}\n`
      rows.push({ key: sortKey(outcode), line })
    }
    // In the LocalGeocoder's order, so the app loads the table without sorting it.
    rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    for (const row of rows) await write(row.line)
  } finally {
    await new Promise<void>((resolve) => out.end(() => resolve()))
  }
  return { format: format ?? 'onspd', postcodes, outcodes: districts.size, skipped }
}
