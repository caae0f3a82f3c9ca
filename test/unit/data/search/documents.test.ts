import { expect } from 'chai'
import { buildDemoDirectory, DEMO_ANCHORS } from '../../../../server/data/demo/generate'
import type { ServiceRecord } from '../../../../server/domain/directory-records'
import { parseByDay, timesOfDay, toSearchDocument } from '../../../../server/data/search/documents'
import { NEED_TAXONOMY, termId } from '../../../../server/data/taxonomy'

const NOW = new Date('2025-06-01T12:00:00Z')
const demo = buildDemoDirectory({ now: NOW })
const walk = demo.services.find((s) => s.id === DEMO_ANCHORS.walkingGroup) as ServiceRecord
const orgOf = (s: ServiceRecord) => demo.organizations.find((o) => o.id === s.organization_id)!
const locationsOf = (s: ServiceRecord) =>
  demo.locations.filter((l) => s.service_at_locations.some((sal) => sal.location_id === l.id))

describe('toSearchDocument', () => {
  it('flattens a service with its organisation, location and needs', () => {
    const doc = toSearchDocument(walk, orgOf(walk), locationsOf(walk), NEED_TAXONOMY)
    expect(doc).to.deep.include({
      id: walk.id,
      name: 'Sunny Hill Park Saturday Health Walk',
      organizationName: 'Barnet Health Walks',
      free: true,
      days: ['sat'],
      timesOfDay: ['morning'],
      capacity: 'open',
      status: 'active',
      crisis: false,
      acceptsReferrals: true,
    })
    expect(doc.needs).to.deep.equal(['walking', 'physical-activity', 'active-healthy-living'])
    expect(doc.keywords).to.include('Walking groups')
    expect(doc.geo).to.deep.equal({ lat: 51.5913, lon: -0.2322 })
    expect(doc.languages).to.include('en')
    expect(doc.assuredDate).to.equal(walk.assured_date?.toISOString())
  })

  it('uses lower-case ISO 639-1 language codes', () => {
    const sangat = demo.services.find((s) => s.id === DEMO_ANCHORS.punjabiBefriending)!
    const doc = toSearchDocument(sangat, orgOf(sangat), locationsOf(sangat), NEED_TAXONOMY)
    expect(doc.languages).to.include.members(['pa', 'ur', 'hi', 'en'])
    expect(doc.ageMin).to.equal(60)
    expect(doc.needs).to.include.members(['befriending', 'loneliness-isolation', 'social-connection'])
  })

  it('marks crisis resources', () => {
    const crisis = demo.services.find((s) => s.taxonomy_term_ids.includes(termId('mental-health-crisis')))!
    expect(toSearchDocument(crisis, orgOf(crisis), locationsOf(crisis), NEED_TAXONOMY).crisis).to.equal(true)
  })

  it('is not free when every cost option has a price, and has no place or days when remote and by appointment', () => {
    const service: ServiceRecord = {
      ...walk,
      cost_options: [{ id: 'c', option: 'Per session', amount: 4, currency: 'GBP', amount_description: null }],
      schedules: [{ ...walk.schedules[0]!, freq: null, byday: null, opens_at: null, closes_at: null }],
      service_at_locations: [],
      assured_date: null,
    }
    const doc = toSearchDocument(service, orgOf(walk), [], NEED_TAXONOMY)
    expect(doc).to.deep.include({ free: false, geo: null, assuredDate: null, days: [], timesOfDay: [] })
    expect(doc.accessibility).to.deep.equal([])
  })
})

describe('schedules', () => {
  it('reads iCalendar days, including monthly ordinals', () => {
    expect(parseByDay('WE,MO')).to.deep.equal(['mon', 'wed'])
    expect(parseByDay('1SA')).to.deep.equal(['sat'])
    expect(parseByDay('-1SU,XX')).to.deep.equal(['sun'])
    expect(parseByDay(null)).to.deep.equal([])
  })

  it('names the times of day a session covers', () => {
    expect(timesOfDay({ opens_at: '10:00', closes_at: '11:30' })).to.deep.equal(['morning'])
    expect(timesOfDay({ opens_at: '11:00', closes_at: '14:00' })).to.deep.equal(['morning', 'afternoon'])
    expect(timesOfDay({ opens_at: '13:30', closes_at: '15:30' })).to.deep.equal(['afternoon'])
    expect(timesOfDay({ opens_at: '16:00', closes_at: '18:00' })).to.deep.equal(['afternoon', 'evening'])
    expect(timesOfDay({ opens_at: '18:30', closes_at: '20:30' })).to.deep.equal(['evening'])
    expect(timesOfDay({ opens_at: '12:00', closes_at: '17:00' })).to.deep.equal(['afternoon'])
    expect(timesOfDay({ opens_at: null, closes_at: null })).to.deep.equal([])
  })
})
