// The HSDS 3.0 CSV data package (the shape of the UK profile's examples/csv): one file per table, rows linked by ids.
// Writing streams service by service. Reading loads the small linked tables (organisations, locations, terms) and the
// per-service tables grouped by service id, then streams services.csv, assembling each row into the nested service
// JSON our importer reads, so CSV and API imports share one mapping. Columns named loopwell_* carry what HSDS has no
// column for; other readers ignore them.
import fs from 'node:fs'
import path from 'node:path'
import { once } from 'node:events'
import { parse } from 'csv-parse'
import { stringify, type Stringifier } from 'csv-stringify'
import type { ServiceView } from '../directory-records'
import type { TaxonomyTerm } from '../taxonomy'
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

async function* readRows(file: string): AsyncGenerator<{ line: number; row: Row }> {
  const parser = fs.createReadStream(file).pipe(
    parse({
      columns: true,
      bom: true,
      // The profile's own examples end lines with "\r\r\n".
      record_delimiter: ['\r\r\n', '\r\n', '\n'],
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      info: true,
    }),
  )
  for await (const item of parser as AsyncIterable<{ record: Row; info: { lines: number } }>) {
    yield { line: item.info.lines, row: item.record }
  }
}

async function readTable(dir: string, names: readonly string[]): Promise<Row[]> {
  const file = findFile(dir, names)
  if (!file) return []
  const rows: Row[] = []
  for await (const { row } of readRows(file)) rows.push(row)
  return rows
}

function groupBy(rows: readonly Row[], key: string): Map<string, Row[]> {
  const out = new Map<string, Row[]>()
  for (const row of rows) {
    const k = row[key]
    if (!k) continue
    const list = out.get(k)
    if (list) list.push(row)
    else out.set(k, [row])
  }
  return out
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

export interface CsvServiceRecord {
  where: string
  record: unknown
}

/** Streams services.csv of the package in `dir`, each row assembled into a nested service. */
export async function* readCsvPackage(dir: string): AsyncGenerator<CsvServiceRecord> {
  const servicesFile = findFile(dir, ['services', 'service'])
  if (!servicesFile) throw new Error(`no services.csv in ${dir}`)
  const phones = await readTable(dir, ['phones', 'phone'])
  const phonesByContact = groupBy(phones, 'contact_id')
  const phonesByOrg = groupBy(phones, 'organization_id')
  const phonify = (rows: Row[] | undefined) => (rows ?? []).map((p) => ({ ...clean(p), number: unquote(p.number) }))
  const identifiers = groupBy(await readTable(dir, ['organization_identifiers']), 'organization_id')
  const organizations = new Map(
    (await readTable(dir, ['organizations', 'organization'])).map((o) => [
      o.id ?? '',
      {
        ...clean(o),
        organization_identifiers: (identifiers.get(o.id ?? '') ?? []).map(clean),
        phones: phonify(phonesByOrg.get(o.id ?? '')),
      },
    ]),
  )
  const addresses = groupBy(await readTable(dir, ['addresses', 'address']), 'location_id')
  const accessibility = groupBy(await readTable(dir, ['accessibility']), 'location_id')
  const locations = new Map(
    (await readTable(dir, ['locations', 'location'])).map((l) => [
      l.id ?? '',
      {
        ...clean(l),
        addresses: (addresses.get(l.id ?? '') ?? []).map(clean),
        accessibility: (accessibility.get(l.id ?? '') ?? []).map((a) => ({
          ...clean(a),
          loopwell: a.loopwell_code ? { code: a.loopwell_code } : undefined,
        })),
      },
    ]),
  )
  const terms = new Map((await readTable(dir, ['taxonomy_terms', 'taxonomy_term'])).map((t) => [t.id ?? '', clean(t)]))
  const taxonomies = new Map((await readTable(dir, ['taxonomies', 'taxonomy'])).map((t) => [t.id ?? '', t.name ?? '']))
  const attributes = groupBy(
    (await readTable(dir, ['attributes', 'attribute'])).filter((a) => !a.link_entity || a.link_entity === 'service'),
    'link_id',
  )
  const sal = groupBy(await readTable(dir, ['service_at_location', 'service_at_locations']), 'service_id')
  const schedules = groupBy(await readTable(dir, ['schedules', 'schedule']), 'service_id')
  const costs = groupBy(await readTable(dir, ['cost_options', 'cost_option']), 'service_id')
  const languages = groupBy(await readTable(dir, ['languages', 'language']), 'service_id')
  const contacts = groupBy(await readTable(dir, ['contacts', 'contact']), 'service_id')
  const areas = groupBy(await readTable(dir, ['service_areas', 'service_area']), 'service_id')

  for await (const { line, row } of readRows(servicesFile)) {
    const id = row.id ?? ''
    const ext: OrukObject = {}
    for (const [k, v] of Object.entries(row)) if (k.startsWith('loopwell_')) ext[k.slice('loopwell_'.length)] = v
    const record: OrukObject = {
      ...clean(row),
      organization: organizations.get(row.organization_id ?? ''),
      service_at_locations: (sal.get(id) ?? []).map((x) => ({
        ...clean(x),
        location: locations.get(x.location_id ?? ''),
      })),
      schedules: (schedules.get(id) ?? []).map(clean),
      cost_options: (costs.get(id) ?? []).map(clean),
      languages: (languages.get(id) ?? []).map(clean),
      contacts: (contacts.get(id) ?? []).map((c) => ({
        ...clean(c),
        phones: phonify(phonesByContact.get(c.id ?? '')),
      })),
      service_areas: (areas.get(id) ?? []).map((a) => ({
        ...clean(a),
        loopwell: a.loopwell_area_type ? { area_type: a.loopwell_area_type } : undefined,
      })),
      attributes: (attributes.get(id) ?? []).map((a) => {
        const term = terms.get(a.taxonomy_term_id ?? '')
        const taxonomy = term && !term.taxonomy && term.taxonomy_id ? taxonomies.get(String(term.taxonomy_id)) : null
        return { ...clean(a), taxonomy_term: term ? { ...term, ...(taxonomy ? { taxonomy } : {}) } : undefined }
      }),
    }
    if (Object.keys(ext).length > 0) record.loopwell = ext
    yield { where: `${path.basename(servicesFile)} line ${line}`, record }
  }
}
