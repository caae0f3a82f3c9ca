import { expect } from 'chai'
import { buildDemoDirectory, DEMO_ANCHORS, generateSyntheticDirectory } from '../../../../server/data/demo/generate'
import { isUuid } from '../../../../server/domain/ids'
import { NEED_TAXONOMY, termId } from '../../../../server/data/taxonomy'

const NOW = new Date('2025-06-01T12:00:00Z')
const DAY = 86_400_000

describe('demo directory', () => {
  const demo = buildDemoDirectory({ now: NOW })

  it('comes out the same every time', () => {
    expect(buildDemoDirectory({ now: NOW })).to.deep.equal(demo)
  })

  it('has at least 200 services with unique UUIDs and unique names', () => {
    expect(demo.services.length).to.be.at.least(200)
    for (const s of demo.services) expect(isUuid(s.id), s.name).to.equal(true)
    expect(new Set(demo.services.map((s) => s.id)).size).to.equal(demo.services.length)
    expect(new Set(demo.services.map((s) => s.name)).size).to.equal(demo.services.length)
  })

  it('offers something for every need at the top of the taxonomy and below', () => {
    const used = new Set(demo.services.flatMap((s) => s.taxonomy_term_ids))
    const leaves = NEED_TAXONOMY.filter(
      (t) => !NEED_TAXONOMY.some((c) => c.parentCode === t.code) || t.code === 'crisis-support',
    )
    for (const term of leaves) expect(used.has(term.id), term.code).to.equal(true)
  })

  it('varies freshness, status, capacity, cost and referral routes', () => {
    const stale = demo.services.filter((s) => s.assured_date && NOW.getTime() - s.assured_date.getTime() > 365 * DAY)
    expect(stale.length).to.be.at.least(10)
    expect(demo.services.filter((s) => s.status === 'temporarily closed').length).to.be.at.least(3)
    expect(demo.services.filter((s) => !s.referral.accepts_referrals).length).to.be.within(3, 40)
    expect(new Set(demo.services.map((s) => s.referral.capacity))).to.have.all.keys(
      'open',
      'waitlist',
      'full',
      'paused',
    )
    expect(demo.services.some((s) => s.cost_options.every((c) => (c.amount ?? 1) > 0))).to.equal(true)
    expect(new Set(demo.services.flatMap((s) => s.languages.map((l) => l.code))).size).to.be.at.least(10)
  })

  it('puts every service at a location that exists', () => {
    const locations = new Set(demo.locations.map((l) => l.id))
    const orgs = new Set(demo.organizations.map((o) => o.id))
    for (const s of demo.services) {
      expect(orgs.has(s.organization_id)).to.equal(true)
      for (const sal of s.service_at_locations) expect(locations.has(sal.location_id)).to.equal(true)
    }
  })

  it('holds the listings the README searches find', () => {
    const walk = demo.services.find((s) => s.id === DEMO_ANCHORS.walkingGroup)!
    expect(walk.taxonomy_term_ids).to.include(termId('walking'))
    expect(walk.schedules[0]).to.deep.include({ freq: 'WEEKLY', byday: 'SA' })
    const sangat = demo.services.find((s) => s.id === DEMO_ANCHORS.punjabiBefriending)!
    expect(sangat.languages.map((l) => l.code)).to.include('pa')
  })

  it('offers open, approved listings in the community languages people search for', () => {
    const open = demo.services.filter((s) => s.status === 'active' && s.review_status === 'approved')
    for (const code of ['bn', 'pa', 'so', 'pl', 'ur', 'ar', 'uk']) {
      expect(open.filter((s) => s.languages.some((l) => l.code === code)).length, code).to.be.at.least(1)
    }
    const bengali = open.filter((s) => s.languages.some((l) => l.code === 'bn'))
    expect(bengali.map((s) => s.languages.find((l) => l.code === 'bn')!.name)).to.include('Bengali')
  })
})

describe('generateSyntheticDirectory', () => {
  const collect = (seed: number, count: number, batchSize = 100) => [
    ...generateSyntheticDirectory({ count, seed, now: NOW, batchSize }),
  ]

  it('makes exactly the number asked for, in batches', () => {
    const batches = collect(1, 250)
    expect(batches.map((b) => b.services.length)).to.deep.equal([100, 100, 50])
    expect(batches.flatMap((b) => b.organizations)).to.have.length(25)
  })

  it('is deterministic for a seed and differs between seeds', () => {
    expect(collect(42, 120)).to.deep.equal(collect(42, 120))
    expect(collect(43, 5)[0]!.services[0]!.id).to.not.equal(collect(42, 5)[0]!.services[0]!.id)
  })

  it('gives synthetic records UUIDs and marks their origin', () => {
    const [batch] = collect(7, 20)
    for (const s of batch!.services) {
      expect(isUuid(s.id)).to.equal(true)
      expect(s.origin).to.equal('synthetic')
    }
  })
})
