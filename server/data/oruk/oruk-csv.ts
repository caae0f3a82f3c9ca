// The HSDS 3.0 CSV data package (the shape of the UK profile's examples/csv): one file per table, rows linked by ids.
// Writing streams service by service. Reading joins the linked tables to their services on disk (see readCsvPackage),
// so memory does not grow with the package, and assembles each service into the nested service JSON our importer
// reads, so CSV and API imports share one mapping. Columns named loopwell_* carry what HSDS has no
// column for; other readers ignore them.
import { once } from 'node:events'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse'
import { stringify, type Stringifier } from 'csv-stringify'
import type { ServiceView } from '../../domain/directory-records'
import type { TaxonomyTerm } from '../taxonomy'
import { DiskBuckets } from './disk-buckets'
import { loopwellExtension, orukService, orukTaxonomyId, orukTaxonomyTerm, type OrukObject } from './oruk-format'

type Row = Record<string, string>

const COLUMNS = {
  organizations: [
    'id',
    'name',
    'alternate_name',
    'description',
    'email',
    'website',
    'logo',
    'uri',
    'parent_organization_id',
  ],
  organization_identifiers: ['id', 'organization_id', 'identifier_scheme', 'identifier_type', 'identifier'],
  services: [
    'id',
    'organization_id',
    'name',
    'alternate_name',
    'description',
    'url',
    'email',
    'status',
    'fees',
    'accreditations',
    'eligibility_description',
    'minimum_age',
    'maximum_age',
    'assured_date',
    'assurer_email',
    'alert',
    'last_modified',
    'loopwell_delivery_modes',
    'loopwell_keywords',
    'loopwell_catchment',
    'loopwell_catchment_description',
    'loopwell_exclusions',
    'loopwell_access_routes',
    'loopwell_accepts_referrals',
    'loopwell_referral_instructions',
    'loopwell_response_days',
    'loopwell_capacity',
    'loopwell_capacity_set_at',
    'loopwell_capacity_note',
  ],
  locations: ['id', 'location_type', 'organization_id', 'name', 'description', 'latitude', 'longitude'],
  addresses: [
    'id',
    'location_id',
    'attention',
    'address_1',
    'address_2',
    'city',
    'region',
    'state_province',
    'postal_code',
    'country',
    'address_type',
  ],
  accessibility: ['id', 'location_id', 'description', 'details', 'url', 'loopwell_code'],
  service_at_location: ['id', 'service_id', 'location_id', 'description'],
  schedules: [
    'id',
    'service_id',
    'location_id',
    'service_at_location_id',
    'valid_from',
    'valid_to',
    'freq',
    'interval',
    'byday',
    'bymonthday',
    'description',
    'opens_at',
    'closes_at',
    'attending_type',
    'notes',
  ],
  cost_options: ['id', 'service_id', 'option', 'amount', 'currency', 'amount_description'],
  languages: ['id', 'service_id', 'name', 'code', 'note'],
  contacts: ['id', 'service_id', 'name', 'title', 'email'],
  phones: ['id', 'contact_id', 'organization_id', 'number', 'type', 'description'],
  service_areas: ['id', 'service_id', 'name', 'description', 'loopwell_area_type'],
  attribute: ['id', 'link_id', 'link_type', 'link_entity', 'taxonomy_term_id'],
  taxonomy_terms: ['id', 'name', 'description', 'parent_id', 'taxonomy', 'taxonomy_id', 'term_uri', 'term'],
  taxonomies: ['id', 'name', 'description', 'uri', 'version'],
} as const

type Table = keyof typeof COLUMNS

function cell(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (Array.isArray(v)) return v.join('|')
  if (v instanceof Date) return v.toISOString()
  return String(v)
}

/** Writes the package into `dir` (created if missing) and returns how many services it wrote. */
export async function writeCsvPackage(
  dir: string,
  views: AsyncIterable<ServiceView[]>,
  taxonomy: readonly TaxonomyTerm[],
): Promise<number> {
  fs.mkdirSync(dir, { recursive: true })
  const writers = new Map<Table, { csv: Stringifier; file: fs.WriteStream }>()
  for (const table of Object.keys(COLUMNS) as Table[]) {
    const csv = stringify({ header: true, columns: [...COLUMNS[table]] })
    const file = fs.createWriteStream(path.join(dir, `${table}.csv`))
    csv.pipe(file)
    writers.set(table, { csv, file })
  }
  async function row(table: Table, values: OrukObject) {
    const { csv } = writers.get(table)!
    const out: Record<string, string> = {}
    for (const column of COLUMNS[table]) out[column] = cell(values[column])
    if (!csv.write(out)) await once(csv, 'drain')
  }
  const arr = (v: unknown) => (Array.isArray(v) ? (v as OrukObject[]) : [])

  for (const term of taxonomy) await row('taxonomy_terms', orukTaxonomyTerm(term, taxonomy))
  for (const name of new Set(taxonomy.map((t) => t.taxonomy))) {
    await row('taxonomies', { id: orukTaxonomyId(name), name, description: name })
  }
  const organizations = new Set<string>()
  const locations = new Set<string>()
  let count = 0
  for await (const batch of views) {
    for (const view of batch) {
      const s = orukService(view, taxonomy)
      const ext = loopwellExtension(view.service)
      const serviceRow: OrukObject = { ...s }
      for (const [k, v] of Object.entries(ext)) serviceRow[`loopwell_${k}`] = v
      serviceRow.loopwell_accepts_referrals = view.service.referral.accepts_referrals
      await row('services', serviceRow)
      const org = s.organization as OrukObject
      if (!organizations.has(view.organization.id)) {
        organizations.add(view.organization.id)
        await row('organizations', org)
        for (const i of arr(org.organization_identifiers)) await row('organization_identifiers', i)
        for (const p of arr(org.phones)) await row('phones', p)
      }
      for (const sal of arr(s.service_at_locations)) {
        await row('service_at_location', sal)
        const location = sal.location as OrukObject | undefined
        if (location && !locations.has(String(location.id))) {
          locations.add(String(location.id))
          await row('locations', location)
          for (const a of arr(location.addresses)) await row('addresses', a)
          for (const a of arr(location.accessibility)) {
            await row('accessibility', { ...a, loopwell_code: (a.loopwell as OrukObject | undefined)?.code })
          }
        }
      }
      for (const x of arr(s.schedules)) await row('schedules', x)
      for (const x of arr(s.cost_options)) await row('cost_options', x)
      for (const x of arr(s.languages)) await row('languages', x)
      for (const c of arr(s.contacts)) {
        await row('contacts', c)
        for (const p of arr(c.phones)) await row('phones', p)
      }
      for (const a of arr(s.service_areas)) {
        await row('service_areas', { ...a, loopwell_area_type: (a.loopwell as OrukObject | undefined)?.area_type })
      }
      for (const a of arr(s.attributes)) await row('attribute', a)
      count++
    }
  }
  await Promise.all(
    [...writers.values()].map(async ({ csv, file }) => {
      csv.end()
      await once(file, 'finish')
    }),
  )
  return count
}

/** The first of these files that exists in the package (the examples use both singular and plural names). */
function findFile(dir: string, names: readonly string[]): string | null {
  for (const name of names) {
    const file = path.join(dir, `${name}.csv`)
    if (fs.existsSync(file)) return file
  }
  return null
}

/** services.csv (or service.csv) in `dir`, or null when `dir` is not a CSV data package. */
export function findServicesFile(dir: string): string | null {
  return findFile(dir, ['services', 'service'])
}

async function* readRows(file: string | null, withLines = false): AsyncGenerator<{ line: number; row: Row }> {
  if (!file) return
  const parser = fs.createReadStream(file).pipe(
    parse({
      columns: true,
      bom: true,
      // The profile's own examples end lines with "\r\r\n".
      record_delimiter: ['\r\r\n', '\r\n', '\n'],
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      info: withLines,
    }),
  )
  if (!withLines) {
    for await (const row of parser as AsyncIterable<Row>) yield { line: 0, row }
    return
  }
  for await (const item of parser as AsyncIterable<{ record: Row; info: { lines: number } }>) {
    yield { line: item.info.lines, row: item.record }
  }
}

function clean(row: Row): OrukObject {
  const out: OrukObject = {}
  for (const [k, v] of Object.entries(row)) if (v !== '' && !k.startsWith('loopwell_')) out[k] = v
  return out
}

/** "+44 1234" sometimes arrives wrapped in literal quotes ("""+44 1234""" in the profile's example). */
function unquote(value: string | undefined): string | undefined {
  return value?.replace(/^"+|"+$/g, '')
}

function phone(row: Row): OrukObject {
  return { ...clean(row), number: unquote(row.number) }
}

export interface CsvServiceRecord {
  where: string
  record: unknown
}

export interface ReadCsvOptions {
  /** Where the join's temporary files go (removed afterwards); the system's temp folder by default. */
  tmpDir?: string
  /** About how many bytes of the package one temporary file holds; memory follows this, not the package's size. */
  bucketBytes?: number
}

const BUCKET_BYTES = 2 * 1024 * 1024

/** The one-to-many parts of a service, in the nested service's own names. */
const PARTS = [
  'service_at_locations',
  'schedules',
  'cost_options',
  'languages',
  'contacts',
  'service_areas',
  'attributes',
] as const
type Part = (typeof PARTS)[number]

/** A row on its way to its service: `n` is its place in its own file, so each part keeps the publisher's order. */
type Linked =
  | { kind: 'service'; n: number; line: number; row: Row; organization?: OrukObject }
  | { kind: Part; n: number; value: OrukObject }

/** Rows waiting for the record they point at (`ref`), beside that record and its own parts (`def`). */
type Keyed = { def: true; table: string; row: Row } | { def: false; n: number; row: Row }

/**
 * Streams the package in `dir` as nested services, one at a time. Linked rows are joined on disk rather than in
 * memory: every file is read once and its rows written, by the hash of the id they join on, into temporary files
 * (locations with their addresses and accessibility, organisations with their identifiers and phones, contacts with
 * their phones); each of those is then read a file at a time and its joined rows passed on to files keyed by service;
 * last, each service file is read and its services assembled. Memory follows `bucketBytes`, not the package's size.
 * Services come out grouped by those files, not in file order; each says its line in services.csv.
 */
export async function* readCsvPackage(dir: string, options: ReadCsvOptions = {}): AsyncGenerator<CsvServiceRecord> {
  const servicesFile = findServicesFile(dir)
  if (!servicesFile) throw new Error(`no services.csv in ${dir}`)
  const file = (...names: string[]) => findFile(dir, names)
  const files = {
    services: servicesFile,
    organizations: file('organizations', 'organization'),
    identifiers: file('organization_identifiers'),
    phones: file('phones', 'phone'),
    locations: file('locations', 'location'),
    addresses: file('addresses', 'address'),
    accessibility: file('accessibility'),
    sal: file('service_at_location', 'service_at_locations'),
    schedules: file('schedules', 'schedule'),
    costs: file('cost_options', 'cost_option'),
    languages: file('languages', 'language'),
    contacts: file('contacts', 'contact'),
    areas: file('service_areas', 'service_area'),
    attributes: file('attributes', 'attribute'),
  }
  const bytes = Object.values(files).reduce((sum, f) => sum + (f ? fs.statSync(f).size : 0), 0)
  const count = Math.max(1, Math.ceil(bytes / (options.bucketBytes ?? BUCKET_BYTES)))

  // Taxonomies are small whatever the feed's size: held in memory.
  const taxonomies = new Map<string, string>()
  for await (const { row } of readRows(file('taxonomies', 'taxonomy'))) taxonomies.set(row.id ?? '', row.name ?? '')
  const terms = new Map<string, OrukObject>()
  for await (const { row } of readRows(file('taxonomy_terms', 'taxonomy_term'))) {
    const term = clean(row)
    const taxonomy = !term.taxonomy && row.taxonomy_id ? taxonomies.get(row.taxonomy_id) : undefined
    terms.set(row.id ?? '', taxonomy ? { ...term, taxonomy } : term)
  }

  const tmp = await fs.promises.mkdtemp(path.join(options.tmpDir ?? os.tmpdir(), 'oruk-csv-'))
  try {
    const byService = new DiskBuckets<Linked>(tmp, 'service', count)
    const byOrganization = new DiskBuckets<Keyed>(tmp, 'organization', count)
    const byLocation = new DiskBuckets<Keyed>(tmp, 'location', count)
    const byContact = new DiskBuckets<Keyed>(tmp, 'contact', count)
    const refs = {
      organization: new DiskBuckets<Keyed>(tmp, 'organization-ref', count),
      location: new DiskBuckets<Keyed>(tmp, 'location-ref', count),
      contact: new DiskBuckets<Keyed>(tmp, 'contact-ref', count),
    }
    const def = (table: string, row: Row): Keyed => ({ def: true, table, row })

    // 1. Every file once, each row to where it will be joined.
    for await (const { line, row } of readRows(files.services, true)) {
      if (row.organization_id) await refs.organization.add(row.organization_id, { def: false, n: line, row })
      else await byService.add(row.id ?? '', { kind: 'service', n: line, line, row })
    }
    for await (const { row } of readRows(files.organizations)) await byOrganization.add(row.id ?? '', def('o', row))
    for await (const { row } of readRows(files.identifiers)) {
      if (row.organization_id) await byOrganization.add(row.organization_id, def('i', row))
    }
    for await (const { row } of readRows(files.phones)) {
      if (row.organization_id) await byOrganization.add(row.organization_id, def('p', row))
      if (row.contact_id) await byContact.add(row.contact_id, def('p', row))
    }
    for await (const { row } of readRows(files.locations)) await byLocation.add(row.id ?? '', def('l', row))
    for await (const { row } of readRows(files.addresses)) {
      if (row.location_id) await byLocation.add(row.location_id, def('a', row))
    }
    for await (const { row } of readRows(files.accessibility)) {
      if (row.location_id) await byLocation.add(row.location_id, def('x', row))
    }
    let n = 0
    for await (const { row } of readRows(files.sal)) {
      n++
      if (!row.service_id) continue
      if (row.location_id) await refs.location.add(row.location_id, { def: false, n, row })
      else await byService.add(row.service_id, { kind: 'service_at_locations', n, value: clean(row) })
    }
    n = 0
    for await (const { row } of readRows(files.contacts)) {
      n++
      if (!row.service_id) continue
      if (row.id) await refs.contact.add(row.id, { def: false, n, row })
      else await byService.add(row.service_id, { kind: 'contacts', n, value: { ...clean(row), phones: [] } })
    }
    const simple: [string | null, Part, (row: Row) => OrukObject][] = [
      [files.schedules, 'schedules', clean],
      [files.costs, 'cost_options', clean],
      [files.languages, 'languages', clean],
      [
        files.areas,
        'service_areas',
        (a) => ({ ...clean(a), loopwell: a.loopwell_area_type ? { area_type: a.loopwell_area_type } : undefined }),
      ],
    ]
    for (const [from, kind, map] of simple) {
      n = 0
      for await (const { row } of readRows(from)) {
        n++
        if (row.service_id) await byService.add(row.service_id, { kind, n, value: map(row) })
      }
    }
    n = 0
    for await (const { row } of readRows(files.attributes)) {
      n++
      if (!row.link_id || (row.link_entity && row.link_entity !== 'service')) continue
      const term = terms.get(row.taxonomy_term_id ?? '')
      await byService.add(row.link_id, { kind: 'attributes', n, value: { ...clean(row), taxonomy_term: term } })
    }
    await Promise.all([byOrganization, byLocation, byContact, ...Object.values(refs)].map((b) => b.close()))

    // 2. Organisations, locations and contacts a file at a time, passed on to their services.
    const group = (rows: Keyed[], table: string, key: string) => {
      const out = new Map<string, Row[]>()
      for (const k of rows) {
        if (!k.def || k.table !== table) continue
        const id = k.row[key] ?? ''
        const list = out.get(id)
        if (list) list.push(k.row)
        else out.set(id, [k.row])
      }
      return out
    }
    /** Each `table` row by its id, with its parts: the rows of each part's table whose `parentKey` is that id. */
    const withParts = (
      rows: Keyed[],
      table: string,
      parentKey: string,
      parts: Record<string, [table: string, make: (row: Row) => OrukObject]>,
    ) => {
      const partRows = Object.entries(parts).map(([name, [partTable, make]]) => ({
        name,
        make,
        byParent: group(rows, partTable, parentKey),
      }))
      const records = new Map<string, OrukObject>()
      for (const [id, [row]] of group(rows, table, 'id')) {
        const record = clean(row!)
        for (const { name, make, byParent } of partRows) record[name] = (byParent.get(id) ?? []).map(make)
        records.set(id, record)
      }
      return records
    }
    /** Each file of `defs` read whole and assembled, then the same file of `refs` streamed past it. */
    async function joinEach<T>(
      defs: DiskBuckets<Keyed>,
      refs: DiskBuckets<Keyed>,
      assemble: (rows: Keyed[]) => Map<string, T>,
      forward: (row: Row, n: number, found: Map<string, T>) => Promise<void>,
    ) {
      for (let i = 0; i < count; i++) {
        const found = assemble(await defs.readAll(i))
        for await (const ref of refs.read(i)) if (!ref.def) await forward(ref.row, ref.n, found)
      }
    }
    await joinEach(
      byOrganization,
      refs.organization,
      (rows) =>
        withParts(rows, 'o', 'organization_id', { organization_identifiers: ['i', clean], phones: ['p', phone] }),
      async (row, n, organizations) => {
        const organization = organizations.get(row.organization_id ?? '')
        await byService.add(row.id ?? '', { kind: 'service', n, line: n, row, organization })
      },
    )
    await joinEach(
      byLocation,
      refs.location,
      (rows) =>
        withParts(rows, 'l', 'location_id', {
          addresses: ['a', clean],
          accessibility: [
            'x',
            (a) => ({ ...clean(a), loopwell: a.loopwell_code ? { code: a.loopwell_code } : undefined }),
          ],
        }),
      async (row, n, locations) => {
        const value = { ...clean(row), location: locations.get(row.location_id ?? '') }
        await byService.add(row.service_id ?? '', { kind: 'service_at_locations', n, value })
      },
    )
    await joinEach(
      byContact,
      refs.contact,
      (rows) => group(rows, 'p', 'contact_id'),
      async (row, n, phones) => {
        const value = { ...clean(row), phones: (phones.get(row.id ?? '') ?? []).map(phone) }
        await byService.add(row.service_id ?? '', { kind: 'contacts', n, value })
      },
    )
    await byService.close()

    // 3. Each service file: its services with their parts, in the publisher's order.
    const where = path.basename(servicesFile)
    for (let i = 0; i < count; i++) {
      const services: Extract<Linked, { kind: 'service' }>[] = []
      const parts = new Map<string, Record<Part, { n: number; value: OrukObject }[]>>()
      for (const item of await byService.readAll(i)) {
        if (item.kind === 'service') {
          services.push(item)
          continue
        }
        const id = (item.kind === 'attributes' ? item.value.link_id : item.value.service_id) as string
        let of = parts.get(id)
        if (!of) {
          of = Object.fromEntries(PARTS.map((p) => [p, []])) as unknown as Record<
            Part,
            { n: number; value: OrukObject }[]
          >
          parts.set(id, of)
        }
        of[item.kind].push(item)
      }
      services.sort((a, b) => a.line - b.line)
      for (const { line, row, organization } of services) {
        const own = row.id ? parts.get(row.id) : undefined
        const list = (part: Part) => (own?.[part] ?? []).sort((a, b) => a.n - b.n).map((x) => x.value)
        const ext: OrukObject = {}
        for (const [k, v] of Object.entries(row)) if (k.startsWith('loopwell_')) ext[k.slice('loopwell_'.length)] = v
        const record: OrukObject = { ...clean(row), organization }
        for (const part of PARTS) record[part] = list(part)
        if (Object.keys(ext).length > 0) record.loopwell = ext
        yield { where: `${where} line ${line}`, record }
      }
    }
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true })
  }
}
