// Reading one Open Referral UK service: what makes a record unusable (each with the message the import summary shows)
// and how leniently the rest is read, on the pure parser with no database.
import { expect } from 'chai'
import { OrukRecordError, parseOrukService, type ParseOptions } from '../../../server/data/oruk/oruk-parse'

const now = new Date('2026-12-07T09:00:00Z')
const options: ParseOptions = {
  source: 'feed',
  keepIds: false,
  reviewStatus: 'approved',
  now,
  resolveTerm: (term) => `ours:${term.id}`,
}
const good = { id: 's1', name: 'Walking group', organization: { id: 'o1', name: 'Parks trust' } }

function reason(input: unknown): string {
  try {
    parseOrukService(input, options)
  } catch (error) {
    expect(error).to.be.instanceOf(OrukRecordError)
    return (error as Error).message
  }
  throw new Error('expected the record to be refused')
}

describe('parseOrukService', () => {
  describe('refuses a record it cannot use, saying which field and what is wrong', () => {
    it('not an object', () => {
      for (const input of [null, 'service', 42, [good]]) expect(reason(input)).to.equal('not a JSON object')
    })

    it('a reader error passed on with the record', () => {
      expect(reason({ id: 's1', __error: 'services.csv line 4: unclosed quote' })).to.equal(
        'services.csv line 4: unclosed quote',
      )
    })

    it('no id, or no name (blank counts as missing), both at once', () => {
      expect(reason({ ...good, id: undefined })).to.equal('service has no id')
      expect(reason({ ...good, name: '   ' })).to.equal('service has no name')
      expect(reason({ organization: good.organization })).to.equal('service has no id; service has no name')
    })

    it('a status outside the vocabulary', () => {
      expect(reason({ ...good, status: 'sometimes' })).to.equal(
        'status "sometimes" is not one of active, inactive, defunct, temporarily closed',
      )
    })

    it('no organisation, or one without a name', () => {
      expect(reason({ id: 's1', name: 'Walk' })).to.equal('service has no organization')
      expect(reason({ id: 's1', name: 'Walk', organization: 'o1' })).to.equal('service has no organization')
      expect(reason({ id: 's1', name: 'Walk', organization_id: 'o1' })).to.equal(
        'organization o1 is missing or has no name',
      )
      expect(reason({ id: 's1', name: 'Walk', organization: { id: 'o1', name: '' } })).to.equal(
        'organization o1 is missing or has no name',
      )
    })
  })

  it('reads the rest leniently: numbers as text, "a|b" lists, blanks as missing, defaults for the unknown', () => {
    const { organization, locations, service } = parseOrukService(
      {
        ...good,
        status: 'inactive',
        minimum_age: '18',
        maximum_age: 'old',
        description: ' ',
        last_modified: '2026-11-02T10:00:00Z',
        service_at_locations: [
          'not an object',
          {
            location: {
              id: 'l1',
              location_type: 'virtual',
              latitude: '91',
              longitude: '-1.5',
              addresses: [{ address_1: '1 High St', postal_code: 'LS1 1AA' }, { address_1: 'no postcode' }],
            },
          },
          { description: 'no location at all' },
        ],
        schedules: [{ freq: 'DAILY', opens_at: '9:30:00', closes_at: 'noon', location_id: 'l1', interval: '2' }],
        cost_options: [{ amount: 0 }, { amount_description: '£3 a session', amount: '3' }, {}],
        languages: [{ code: 'CY' }, { name: 'Polish' }, {}],
        attributes: [{ taxonomy_term: { id: 't1', term: 'walking' } }, { taxonomy_term_id: 't2' }, {}],
        loopwell: { keywords: 'walk| outdoors |', access_routes: ['self_referral', 'by_magic'], response_days: '5' },
      },
      options,
    )
    expect(organization.name).to.equal('Parks trust')
    expect(organization.description).to.equal('')
    expect(service.status).to.equal('inactive')
    expect(service.description).to.equal('')
    expect(service.eligibility).to.include({ minimum_age: 18, maximum_age: null, catchment: 'none' })
    expect(locations).to.have.length(1)
    // A latitude out of range drops both coordinates; an address without a postcode is left out.
    expect(locations[0]).to.include({ location_type: 'virtual', name: '1 High St', latitude: null, longitude: null })
    expect(locations[0]!.addresses.map((a) => [a.address_1, a.city, a.country])).to.deep.equal([
      ['1 High St', '', 'GB'],
    ])
    expect(service.service_at_locations.map((s) => s.location_id)).to.deep.equal([locations[0]!.id])
    expect(service.delivery_modes).to.deep.equal(['online'])
    expect(service.schedules[0]).to.include({
      freq: null,
      opens_at: '09:30',
      closes_at: null,
      interval: 2,
      location_id: locations[0]!.id,
    })
    expect(service.cost_options.map((c) => [c.option, c.amount])).to.deep.equal([
      ['Free', 0],
      ['£3 a session', 3],
    ])
    expect(service.languages.map((l) => [l.code, l.name])).to.deep.equal([
      ['cy', 'cy'],
      ['po', 'Polish'],
    ])
    expect(service.taxonomy_term_ids).to.deep.equal(['ours:t1', 'ours:t2'])
    expect(service.keywords).to.deep.equal(['walk', 'outdoors'])
    expect(service.referral).to.deep.include({
      access_routes: ['self_referral'],
      accepts_referrals: false,
      response_days: 5,
      capacity: 'open',
    })
    expect(service.referral.capacity_set_at).to.deep.equal(new Date('2026-11-02T10:00:00Z'))
    expect(service.updated_at).to.deep.equal(new Date('2026-11-02T10:00:00Z'))
  })

  it('derives ids from the source unless keeping UUIDs, and hashes what was sent', () => {
    const uuid = '0b6d1f1e-3c1a-4f7e-9d62-5a0a7c3f2b11'
    const a = parseOrukService({ ...good, id: uuid }, options)
    const b = parseOrukService({ ...good, id: uuid }, { ...options, source: 'other' })
    expect(a.service.id).to.not.equal(uuid)
    expect(a.service.id).to.not.equal(b.service.id)
    expect(parseOrukService({ ...good, id: uuid.toUpperCase() }, { ...options, keepIds: true }).service.id).to.equal(
      uuid,
    )
    expect(a.service.provenance).to.include({ source: 'feed', external_id: uuid })
    const again = parseOrukService({ ...good, id: uuid }, options)
    const changed = parseOrukService({ ...good, id: uuid, alert: 'Closed in August' }, options)
    expect(again.service.provenance!.hash).to.equal(a.service.provenance!.hash)
    expect(changed.service.provenance!.hash).to.not.equal(a.service.provenance!.hash)
    // The organisation's hash is of the organisation alone.
    expect(changed.organization.provenance!.hash).to.equal(a.organization.provenance!.hash)
  })
})
