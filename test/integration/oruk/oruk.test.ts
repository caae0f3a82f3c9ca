// The Open Referral UK API and import/export, on the real app and real databases: every endpoint's real responses
// validated with ajv against the UK profile's compiled schemas (read from ../shared; missing, the tests fail), the profile's
// examples imported, a CSV round trip into an empty database, and an import from our own API over HTTP.
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { expect } from 'chai'
import request from 'supertest'
import { createServices } from '../../../server/container'
import type { ServiceView } from '../../../server/domain/directory-records'
import { wrapConnection } from '../../../server/data/db'
import { DEMO_ANCHORS } from '../../../server/data/demo/generate'
import { readCsvPackage, writeCsvPackage } from '../../../server/data/oruk/oruk-csv'
import { readOrukApi, readOrukJsonFile } from '../../../server/data/oruk/oruk-sources'
import { createDirectoryRepository } from '../../../server/data/repositories/directory.repository'
import { createSearchIndex } from '../../../server/data/search/create-search-index'
import { useTestApp } from '../../helpers/app'
import { useTestDatabase } from '../../helpers/database'

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/
function reviveDates(_key: string, value: unknown) {
  return typeof value === 'string' && ISO.test(value) ? new Date(value) : value
}

const SHARED = path.resolve('../shared/data/oruk-uk-profile')
const COMPILED = path.join(SHARED, 'compiled')
const EXAMPLES = path.join(SHARED, 'examples')
const haveProfile = fs.existsSync(COMPILED)
/** These tests need the profile's schemas and examples: without them they fail, never skip. */
const missingProfile = () =>
  new Error(`The Open Referral UK profile is missing: expected its schemas and examples under ${SHARED}`)

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void

function validator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  const schema = (name: string) => JSON.parse(fs.readFileSync(path.join(COMPILED, `${name}.json`), 'utf8')) as object
  const openApi = JSON.parse(fs.readFileSync(path.join(COMPILED, 'open_api.json'), 'utf8')) as {
    components: { schemas: { Page: object } }
  }
  // The profile's Page wraps its fields under a "Page" key that JSON Schema ignores, so check them as required here.
  const page = {
    ...openApi.components.schemas.Page,
    required: ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents'],
  }
  const itemOf = (name: string) => {
    const s = schema(name) as { properties?: { contents?: { items?: object } } }
    return s.properties?.contents?.items ?? s
  }
  const paged = (item: object) => ({ allOf: [page, { properties: { contents: { type: 'array', items: item } } }] })
  return {
    api_details: ajv.compile(schema('api_details')),
    service: ajv.compile(schema('service')),
    organization: ajv.compile(schema('organization')),
    service_list: ajv.compile(paged(itemOf('service_list'))),
    service_full_list: ajv.compile(paged(schema('service'))),
    taxonomy_list: ajv.compile(paged(itemOf('taxonomy_list'))),
    taxonomy_term_list: ajv.compile(paged(itemOf('taxonomy_term_list'))),
    organization_list: ajv.compile(paged(schema('organization_list'))),
    service_at_location_list: ajv.compile(paged(itemOf('service_at_location_list'))),
  }
}

type Check = ReturnType<typeof validator>[keyof ReturnType<typeof validator>]

function expectValid(check: Check, body: unknown) {
  const ok = check(body)
  expect(ok, JSON.stringify(check.errors?.slice(0, 5), null, 1)).to.equal(true)
}

/** Every string field of a response, to prove no personal data is sent. */
function allKeys(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) allKeys(v, out)
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.add(k)
      allKeys(v, out)
    }
  return out
}

describe('Open Referral UK', () => {
  const t = useTestApp('oruk_api', { DEMO: 'true' })

  describe('the API', () => {
    const v = haveProfile ? validator() : null

    it('answers GET / with version, profile and openapi_url, and serves the OpenAPI document', async function () {
      if (!v) throw missingProfile()
      const res = await request(t.app).get('/api/oruk').expect(200)
      expectValid(v!.api_details, res.body)
      expect(res.headers['access-control-allow-origin']).to.equal('*')
      expect(res.headers['set-cookie']).to.equal(undefined)
      const doc = await request(t.app).get('/api/oruk/openapi.json').expect(200)
      expect(doc.body.openapi).to.match(/^3\./)
      expect(Object.keys(doc.body.paths)).to.include.members(['/', '/services', '/services/{id}'])
    })

    it('pages /services exactly as the profile says, with only public listings and valid items', async function () {
      if (!v) throw missingProfile()
      const first = await request(t.app).get('/api/oruk/services?per_page=5').expect(200)
      expectValid(v!.service_list, first.body)
      expect(first.body.page_number).to.equal(1)
      expect(first.body.size).to.equal(5)
      expect(first.body.first_page).to.equal(true)
      expect(first.body.total_pages).to.equal(Math.ceil(first.body.total_items / 5))
      const last = await request(t.app).get(`/api/oruk/services?per_page=5&page=${first.body.total_pages}`).expect(200)
      expectValid(v!.service_list, last.body)
      expect(last.body.last_page).to.equal(true)
      const indexed = await t.services.directory.rebuildIndex()
      expect(first.body.total_items).to.equal(indexed)
      const beyond = await request(t.app).get(`/api/oruk/services?per_page=5&page=${first.body.total_pages + 1}`)
      expect(beyond.body.empty).to.equal(true)
      expectValid(v!.service_list, beyond.body)
      const full = await request(t.app).get('/api/oruk/services?per_page=10&full=true').expect(200)
      expectValid(v!.service_full_list, full.body)
      const minimal = await request(t.app).get('/api/oruk/services?minimal=true&per_page=100').expect(200)
      expectValid(v!.service_list, minimal.body)
      const search = await request(t.app).get('/api/oruk/services?search=walk').expect(200)
      expect(search.body.contents.map((s: { id: string }) => s.id)).to.include(DEMO_ANCHORS.walkingGroup)
    })

    it('filters /services by taxonomy term, taxonomy, organisation and modified_after', async function () {
      if (!v) throw missingProfile()
      const walk = (await request(t.app).get(`/api/oruk/services/${DEMO_ANCHORS.walkingGroup}`).expect(200)).body
      const termId = walk.attributes[0].taxonomy_term_id as string
      const byTerm = await request(t.app).get(`/api/oruk/services?taxonomy_term_id=${termId}&per_page=100`).expect(200)
      expectValid(v!.service_list, byTerm.body)
      expect(byTerm.body.contents.map((s: { id: string }) => s.id)).to.include(walk.id)
      const taxonomyId = walk.attributes[0].taxonomy_term.taxonomy_id as string
      const byTaxonomy = await request(t.app).get(`/api/oruk/services?taxonomy_id=${taxonomyId}`).expect(200)
      expect(byTaxonomy.body.total_items).to.be.greaterThan(0)
      const byOrg = await request(t.app).get(`/api/oruk/services?organization_id=${walk.organization.id}`).expect(200)
      expectValid(v!.service_list, byOrg.body)
      expect(byOrg.body.contents.every((s: { organization_id: string }) => s.organization_id === walk.organization.id))
        .to.be.true
      const future = await request(t.app).get('/api/oruk/services?modified_after=2999-01-01T00:00:00Z').expect(200)
      expect(future.body.total_items).to.equal(0)
      expectValid(v!.service_list, future.body)
    })

    it('answers /services/{id} fully nested and valid, without personal data, and 404 for a missing id', async function () {
      if (!v) throw missingProfile()
      const res = await request(t.app).get(`/api/oruk/services/${DEMO_ANCHORS.walkingGroup}`).expect(200)
      expectValid(v!.service, res.body)
      expect(res.body.organization.id).to.be.a('string')
      expect(res.body.service_at_locations[0].location.addresses).to.have.length.greaterThan(0)
      expect(allKeys(res.body).has('assurer_email')).to.equal(false)
      const missing = await request(t.app).get('/api/oruk/services/00000000-0000-4000-8000-000000000000').expect(404)
      expect(missing.body.error).to.be.a('string')
      expect(missing.headers['access-control-allow-origin']).to.equal('*')
      await request(t.app).get('/api/oruk/services/not-a-uuid').expect(404)
    })

    it('does not publish a listing that is not approved', async function () {
      if (!v) throw missingProfile()
      async function* one() {
        yield {
          where: 'item 1',
          record: { id: 'hidden-1', name: 'Hidden club', organization: { id: 'h', name: 'Hidden org' } },
        }
      }
      await t.services.orukImport.importServices(one(), { source: 'pending-feed', reviewStatus: 'pending' })
      await t.services.directory.rebuildIndex()
      const ids = (await request(t.app).get('/api/oruk/services?search=Hidden%20club&per_page=100')).body.contents.map(
        (s: { name: string }) => s.name,
      )
      expect(ids).to.not.include('Hidden club')
      const orgs = await request(t.app).get('/api/oruk/organizations?search=Hidden%20org').expect(200)
      expect(orgs.body.total_items).to.equal(0)
    })

    it('keeps and reports an unmapped term from another taxonomy, but does not offer it as a need to filter by', async () => {
      async function* one() {
        yield {
          where: 'item 1',
          record: {
            id: 'knit-1',
            name: 'Knit and natter',
            organization: { id: 'k', name: 'Knitters', description: 'A knitting club.' },
            attributes: [{ taxonomy_term: { id: 'kc-1', name: 'Knitting circles', taxonomy: 'craft-terms' } }],
          },
        }
      }
      const summary = await t.services.orukImport.importServices(one(), { source: 'craft-feed' })
      expect(summary.unmappedTerms).to.deep.equal([{ taxonomy: 'craft-terms', name: 'Knitting circles', count: 1 }])
      t.services.directory.invalidateTaxonomy()
      await t.services.directory.rebuildIndex()
      const terms = await request(t.app).get('/api/oruk/taxonomy_terms?per_page=100').expect(200)
      expect(terms.body.contents.map((x: { name: string }) => x.name)).to.include('Knitting circles')
      const page = await request(t.app).get('/services?q=knit').expect(200)
      expect(page.text).to.contain('Knit and natter')
      expect(page.text).to.contain('<option value="physical-activity">')
      expect(page.text).to.not.contain('value="craft-terms:kc-1"')
    })

    it('answers /taxonomies, /taxonomy_terms (parent_id, top_only), /organizations and /organizations/{id}', async function () {
      if (!v) throw missingProfile()
      const taxonomies = await request(t.app).get('/api/oruk/taxonomies').expect(200)
      expectValid(v!.taxonomy_list, taxonomies.body)
      const terms = await request(t.app).get('/api/oruk/taxonomy_terms?per_page=100').expect(200)
      expectValid(v!.taxonomy_term_list, terms.body)
      const top = await request(t.app).get('/api/oruk/taxonomy_terms?top_only=true&per_page=100').expect(200)
      expectValid(v!.taxonomy_term_list, top.body)
      expect(top.body.contents.every((x: { parent_id?: string }) => !x.parent_id)).to.equal(true)
      const parent = top.body.contents[0].id as string
      const children = await request(t.app).get(`/api/oruk/taxonomy_terms?parent_id=${parent}`).expect(200)
      expect(children.body.total_items).to.be.greaterThan(0)
      expect(children.body.contents.every((x: { parent_id?: string }) => x.parent_id === parent)).to.equal(true)
      const orgs = await request(t.app).get('/api/oruk/organizations?per_page=3').expect(200)
      expectValid(v!.organization_list, orgs.body)
      const org = await request(t.app).get(`/api/oruk/organizations/${orgs.body.contents[0].id}`).expect(200)
      expectValid(v!.organization, org.body)
      expect(org.body.services).to.be.an('array')
      await request(t.app).get('/api/oruk/organizations/00000000-0000-4000-8000-000000000000').expect(404)
    })

    it('answers /service_at_locations nearest first with postcode and proximity, and 400 for a bad postcode', async function () {
      if (!v) throw missingProfile()
      const res = await request(t.app)
        .get('/api/oruk/service_at_locations?postcode=EN5%201AA&proximity=3000')
        .expect(200)
      expectValid(v!.service_at_location_list, res.body)
      expect(res.body.contents.length).to.be.greaterThan(0)
      const all = await request(t.app).get('/api/oruk/service_at_locations').expect(200)
      expectValid(v!.service_at_location_list, all.body)
      expect(res.body.total_items).to.be.lessThan(all.body.total_items)
      // The same postcode check as the search page: typed any way, and "not a postcode" told from "cannot place it".
      const typed = await request(t.app)
        .get('/api/oruk/service_at_locations?postcode=en51aa&proximity=3000')
        .expect(200)
      expect(typed.body.total_items).to.equal(res.body.total_items)
      const bad = await request(t.app).get('/api/oruk/service_at_locations?postcode=nonsense').expect(400)
      expect(bad.body.errors.postcode).to.match(/not a UK postcode/)
      const elsewhere = await request(t.app).get('/api/oruk/service_at_locations?postcode=M1%201AE').expect(400)
      expect(elsewhere.body.errors.postcode).to.match(/cannot place M1 1AE/)
      expect(bad.headers['access-control-allow-origin']).to.equal('*')
      const badPage = await request(t.app).get('/api/oruk/services?per_page=1000').expect(400)
      expect(badPage.body.errors.per_page).to.be.a('string')
    })
  })

  describe('import', () => {
    const second = useTestDatabase('oruk_import_second')
    const third = useTestDatabase('oruk_round_trip')
    const fourth = useTestDatabase('oruk_over_http')

    function servicesOn(connection: typeof second.connection) {
      return createServices({
        config: t.config,
        db: wrapConnection(connection),
        search: createSearchIndex({}),
      })
    }

    it('imports the UK profile examples (JSON and CSV) cleanly, keeping and reporting unmapped terms', async function () {
      if (!haveProfile) throw missingProfile()
      const target = servicesOn(second.connection)
      await target.demo.ensureTaxonomy()
      const json = await target.orukImport.importServices(readOrukJsonFile(path.join(EXAMPLES, 'service_full.json')), {
        source: 'oruk-example-json',
      })
      expect(json.problems).to.deep.equal([])
      expect(json.services.created).to.equal(1)
      expect(json.unmappedTerms.length).to.be.greaterThan(0)
      const csv = await target.orukImport.importServices(readCsvPackage(path.join(EXAMPLES, 'csv')), {
        source: 'oruk-example-csv',
      })
      expect(csv.problems).to.deep.equal([])
      expect(csv.services.created).to.equal(1)
      await target.directory.rebuildIndex()
      const again = await target.orukImport.importServices(readCsvPackage(path.join(EXAMPLES, 'csv')), {
        source: 'oruk-example-csv',
      })
      expect(again.services).to.deep.equal({ created: 0, updated: 0, unchanged: 1 })
      // Nothing written, so the next start may trust the stored search documents; an import that writes may not.
      expect(await servicesOn(second.connection).directory.loadIndex()).to.include({ from: 'stored' })
      await target.orukImport.importServices(readCsvPackage(path.join(EXAMPLES, 'csv')), { source: 'another-feed' })
      expect(await servicesOn(second.connection).directory.loadIndex()).to.include({ from: 'services' })
    })

    it('reports bad records with where and why, and imports the rest', async () => {
      const target = servicesOn(second.connection)
      async function* records() {
        yield { where: 'item 1', record: { id: 'x1', status: 'active' } }
        yield {
          where: 'item 2',
          record: { id: 'x2', name: 'Ok', status: 'sometimes', organization: { id: 'o', name: 'O' } },
        }
        yield { where: 'item 3', record: { id: 'x3', name: 'Fine club', organization: { id: 'o', name: 'Org' } } }
      }
      const summary = await target.orukImport.importServices(records(), { source: 'bad-feed' })
      expect(summary.problems.map((p) => [p.where, p.id])).to.deep.equal([
        ['item 1', 'x1'],
        ['item 2', 'x2'],
      ])
      expect(summary.problems[0]!.reason).to.contain('name')
      expect(summary.services.created).to.equal(1)
    })

    it('joins a CSV package the same whatever share of it each temporary file holds', async function () {
      this.timeout(120_000)
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oruk-buckets-'))
      try {
        await writeCsvPackage(dir, t.services.oruk.exportViews(), await t.services.directory.taxonomy())
        async function read(bucketBytes?: number) {
          const out = new Map<string, unknown>()
          for await (const { where, record } of readCsvPackage(dir, { bucketBytes })) out.set(where, record)
          return out
        }
        const whole = await read()
        const split = await read(4096)
        expect(whole.size).to.be.greaterThan(10)
        expect([...split.keys()].sort()).to.deep.equal([...whole.keys()].sort())
        for (const [where, record] of whole) expect(split.get(where), where).to.deep.equal(record)
        const some = [...whole.values()] as { service_at_locations: unknown[]; schedules: unknown[] }[]
        expect(some.some((r) => r.service_at_locations.length > 0 && r.schedules.length > 0)).to.equal(true)
        // A service at several locations keeps them in the package's order, though they are joined in other files.
        const order = ['l5', 'l1', 'l3', 'l2', 'l4']
        fs.writeFileSync(path.join(dir, 'services.csv'), 'id,organization_id,name\ns1,o1,Walk\n')
        fs.writeFileSync(
          path.join(dir, 'locations.csv'),
          `id,name\n${order.map((l) => `${l},Place ${l}`).join('\n')}\n`,
        )
        fs.writeFileSync(
          path.join(dir, 'service_at_location.csv'),
          `id,service_id,location_id\n${order.map((l) => `sal-${l},s1,${l}`).join('\n')}\n`,
        )
        for (const bucketBytes of [undefined, 1]) {
          const read: { service_at_locations: { location: { id: string } }[] }[] = []
          for await (const { record } of readCsvPackage(dir, { bucketBytes })) read.push(record as (typeof read)[0])
          expect(read[0]!.service_at_locations.map((x) => x.location.id)).to.deep.equal(order)
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    })

    it('lists bad rows of a CSV package in line order, however the join grouped them', async () => {
      const target = servicesOn(second.connection)
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oruk-bad-rows-'))
      try {
        const rows = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) => `${id},o1,${i % 2 ? '' : `Club ${id}`}`)
        fs.writeFileSync(path.join(dir, 'services.csv'), `id,organization_id,name\n${rows.join('\n')}\n`)
        fs.writeFileSync(path.join(dir, 'organizations.csv'), 'id,name\no1,Org\n')
        const summary = await target.orukImport.importServices(readCsvPackage(dir, { bucketBytes: 1 }), {
          source: 'bad-rows',
        })
        expect(summary.services.created).to.equal(3)
        expect(summary.problems.map((p) => [p.where, p.id])).to.deep.equal([
          ['services.csv line 3', 'b'],
          ['services.csv line 5', 'd'],
          ['services.csv line 7', 'f'],
        ])
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    })

    it('streams a JSON file holding an array or a page of services', async () => {
      const target = servicesOn(second.connection)
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oruk-json-'))
      const services = [1, 2, 3].map((i) => ({ id: `j${i}`, name: `Club ${i}`, organization: { id: 'o', name: 'O' } }))
      try {
        fs.writeFileSync(path.join(dir, 'array.json'), JSON.stringify(services))
        fs.writeFileSync(path.join(dir, 'page.json'), JSON.stringify({ total_items: 3, contents: services }))
        const array = await target.orukImport.importServices(readOrukJsonFile(path.join(dir, 'array.json')), {
          source: 'json-array',
        })
        expect(array.services.created).to.equal(3)
        const page = await target.orukImport.importServices(readOrukJsonFile(path.join(dir, 'page.json')), {
          source: 'json-page',
        })
        expect(page.services.created).to.equal(3)
        expect(page.problems).to.deep.equal([])
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    })

    it('round-trips the directory through the CSV package into an empty database, every field we hold', async function () {
      this.timeout(120_000)
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oruk-export-'))
      const taxonomy = await t.services.directory.taxonomy()
      const originals: ServiceView[] = []
      async function* tee() {
        for await (const batch of t.services.oruk.exportViews()) {
          originals.push(...batch)
          yield batch
        }
      }
      const written = await writeCsvPackage(dir, tee(), taxonomy)
      expect(written).to.be.greaterThan(10)
      const target = servicesOn(third.connection)
      await target.demo.ensureTaxonomy()
      const summary = await target.orukImport.importServices(readCsvPackage(dir), {
        source: 'round-trip',
        keepIds: true,
      })
      fs.rmSync(dir, { recursive: true, force: true })
      expect(summary.problems).to.deep.equal([])
      expect(summary.services.created).to.equal(written)
      const copies = await createDirectoryRepository(third.connection).getServiceViews(
        originals.map((o) => o.service.id),
      )
      expect(copies.length).to.equal(originals.length)
      const strip = (o: object, more: string[] = []) =>
        Object.fromEntries(
          Object.entries(o).filter(([k]) => !['origin', 'provenance', 'created_at', ...more].includes(k)),
        )
      for (const [i, original] of originals.entries()) {
        const copy = copies[i]!
        // assurer_email is a person's address: never exported, so the copy has none.
        expect(strip(copy.service, ['assurer_email']), original.service.name).to.deep.equal(
          strip(JSON.parse(JSON.stringify(original.service), reviveDates), ['assurer_email']),
        )
        expect(strip(copy.organization, ['updated_at'])).to.deep.equal(strip(original.organization, ['updated_at']))
        expect(copy.locations.map((l) => strip(l, ['updated_at']))).to.deep.equal(
          original.locations.map((l) => strip(l, ['updated_at'])),
        )
      }
    })

    it('imports from our own API over HTTP into a second database', async function () {
      this.timeout(120_000)
      const server = t.app.listen(0, '127.0.0.1')
      await new Promise((resolve) => server.once('listening', resolve))
      try {
        const { port } = server.address() as AddressInfo
        const target = servicesOn(fourth.connection)
        await target.demo.ensureTaxonomy()
        const expected = (await request(t.app).get('/api/oruk/services?per_page=1')).body.total_items as number
        const summary = await target.orukImport.importServices(
          readOrukApi(`http://127.0.0.1:${port}/api/oruk`, { perPage: 20 }),
          { source: 'our-api' },
        )
        expect(summary.problems).to.deep.equal([])
        expect(summary.services.created).to.equal(expected)
        expect(await target.directory.rebuildIndex()).to.equal(expected)
        const again = await target.orukImport.importServices(
          readOrukApi(`http://127.0.0.1:${port}/api/oruk`, { perPage: 50 }),
          { source: 'our-api' },
        )
        expect(again.services).to.deep.equal({ created: 0, updated: 0, unchanged: expected })
      } finally {
        server.close()
      }
    })
  })
})
