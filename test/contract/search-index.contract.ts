// The one contract every SearchIndex adapter passes. Each adapter's test file calls searchIndexContract with a factory
// that makes a fresh, empty index (and may register it as pending when its backing service is not configured).
import { expect } from 'chai'
import type { SearchDocument, SearchIndex, SearchQuery } from '../../server/data/search/search-index'
import { CENTRE, FIXTURES, NOW, kmNorth, visible } from './fixtures'

export type SearchIndexFactory = () => Promise<SearchIndex>

export function searchIndexContract(name: string, factory: SearchIndexFactory): void {
  describe(`SearchIndex contract (${name})`, function () {
    let index: SearchIndex
    const opened: SearchIndex[] = []
    const fresh = async (docs: SearchDocument[] = FIXTURES): Promise<SearchIndex> => {
      const made = await factory()
      opened.push(made)
      await made.replaceAll(docs)
      return made
    }
    const search = (query: SearchQuery) => index.search({ now: NOW, perPage: 100, ...query })
    const ids = async (query: SearchQuery): Promise<string[]> => (await search(query)).hits.map((hit) => hit.id)
    /** The ids a filter should give, worked out from the fixtures with a plain predicate. */
    const expected = (keep: (doc: SearchDocument) => boolean): string[] =>
      FIXTURES.filter((doc) => visible(doc) && keep(doc))
        .map((doc) => doc.id)
        .sort()
    const filtered = async (filters: SearchQuery['filters']): Promise<string[]> => (await ids({ filters })).sort()

    before(async function () {
      index = await fresh()
    })
    after(async function () {
      for (const made of opened) await made.close()
    })

    describe('typo tolerance', function () {
      it('finds befriending when the user types befrending', async function () {
        expect(await ids({ text: 'befrending' })).to.include('befriending-calls')
      })
      it('finds loneliness when the user types lonelyness', async function () {
        expect(await ids({ text: 'lonelyness' })).to.include('loneliness-lunch')
      })
      it('counts two letters typed the wrong way round as one typo: walkign finds walking', async function () {
        expect(await ids({ text: 'walkign' })).to.include('walking-for-health')
      })
      it('finds nothing for a word that is nowhere near any listing', async function () {
        expect((await search({ text: 'xylophone' })).total).to.equal(0)
      })
    })

    describe('prefix matching', function () {
      it('finds walking when the user has typed walk', async function () {
        expect(await ids({ text: 'walk' })).to.include('walking-for-health')
      })
      it('finds the knitting circle from its first letters', async function () {
        expect(await ids({ text: 'knitt' })).to.include('knit-near')
      })
    })

    describe('synonyms', function () {
      for (const word of ['lonely', 'loneliness', 'isolation', 'befriending']) {
        it(`finds every loneliness listing when the user types ${word}`, async function () {
          expect(await ids({ text: word })).to.include.members([
            'befriending-calls',
            'chatty-cafe',
            'out-and-about',
            'loneliness-lunch',
          ])
        })
      }
      for (const words of ['money', 'debt', 'benefits', 'money worries']) {
        it(`finds every money listing when the user types ${words}`, async function () {
          expect(await ids({ text: words })).to.include.members(['debt-drop-in', 'money-matters', 'benefits-check'])
        })
      }
      it('finds the doctor listing when the user types GP, and the GP one for doctor', async function () {
        expect(await ids({ text: 'GP' })).to.include.members(['ask-the-doctor', 'practice-link'])
        expect(await ids({ text: 'doctor' })).to.include.members(['ask-the-doctor', 'practice-link'])
      })
      it('finds physical activity for walking, but not walking for physical activity', async function () {
        expect(await ids({ text: 'walking' })).to.include.members(['walking-for-health', 'chair-exercise'])
        const found = await ids({ text: 'physical activity' })
        expect(found).to.include('chair-exercise')
        expect(found).not.to.include('walking-for-health')
      })
      it('finds the carers centre for caring and carer', async function () {
        expect(await ids({ text: 'caring' })).to.include('carers-centre')
        expect(await ids({ text: 'carer' })).to.include('carers-centre')
      })
      it('finds bereavement and grief listings for either word, and for loss', async function () {
        for (const word of ['bereavement', 'grief', 'loss']) {
          expect(await ids({ text: word }), word).to.include.members(['bereavement-group', 'grief-cafe'])
        }
      })
    })

    describe('everyday language', function () {
      it('when no listing has every word, puts those with most of them first', async function () {
        const found = await ids({ text: 'befriending telephone xylophone' })
        expect(found[0]).to.equal('befriending-calls')
        expect(found).to.include.members(['chatty-cafe', 'out-and-about', 'loneliness-lunch'])
        expect(found).not.to.include('knit-near')
      })
      it('never lets stop words decide a result', async function () {
        expect(await ids({ text: 'im looking for the knitting' })).to.deep.equal(await ids({ text: 'knitting' }))
      })
      it('finds the need behind everyday phrases', async function () {
        expect(await ids({ text: 'partner hits me' })).to.include('abuse-advice')
        expect(await ids({ text: "im skint and can't pay the gas" })).to.include.members([
          'debt-drop-in',
          'money-matters',
          'benefits-check',
        ])
      })
      it('finds listings offered in a language by its name', async function () {
        expect(await ids({ text: 'bengali' })).to.deep.equal(['abuse-advice'])
        expect(await ids({ text: 'punjabi' })).to.include.members(['debt-drop-in', 'home-visits'])
      })
      it('finds step-free venues for wheelchair, and hearing loops for deaf', async function () {
        expect((await ids({ text: 'wheelchair' })).sort()).to.include.members([
          'home-visits',
          'loneliness-lunch',
          'out-and-about',
        ])
        expect((await ids({ text: 'deaf' })).sort()).to.deep.equal(['home-visits', 'out-and-about'])
      })
      it('finds listings by who they are for, from their ages', async function () {
        const older = await ids({ text: 'pensioners' })
        expect(older).to.include.members(['chair-exercise', 'out-and-about'])
        expect(older).not.to.include('youth-club')
        const young = await ids({ text: 'teens' })
        expect(young).to.include('youth-club')
        expect(young).not.to.include('chair-exercise')
      })
      it('finds sessions by day and time words', async function () {
        expect(await ids({ text: 'saturday' })).to.include('chatty-cafe')
        expect(await ids({ text: 'evenings' })).to.include.members(['crisis-line', 'money-matters'])
        expect(await ids({ text: 'weekend' })).to.include.members(['chatty-cafe', 'crisis-line'])
      })
      it('puts crisis resources first when asked, but only those that match', async function () {
        const found = await ids({ text: 'befriending night', crisisFirst: true })
        expect(found[0]).to.equal('crisis-line')
        expect(found).to.include('befriending-calls')
        expect(await ids({ text: 'knitting', crisisFirst: true })).not.to.include('crisis-line')
      })
    })

    describe('filters', function () {
      it('shows active and temporarily closed listings by default, never inactive or defunct ones', async function () {
        const all = await filtered({})
        expect(all).to.deep.equal(expected(() => true))
        expect(all).to.include('closed-for-summer')
        expect(all).not.to.include.members(['inactive-club', 'defunct-club'])
      })
      it('shows the statuses asked for', async function () {
        expect(await filtered({ statuses: ['inactive'] })).to.deep.equal(['inactive-club'])
      })
      it('finds children of a parent need, and only that child for a child need', async function () {
        expect(await filtered({ needs: ['money'] })).to.deep.equal(['benefits-check', 'debt-drop-in', 'money-matters'])
        expect(await filtered({ needs: ['money.debt'] })).to.deep.equal(['debt-drop-in'])
        expect(await filtered({ needs: ['money.debt', 'carers'] })).to.deep.equal(['carers-centre', 'debt-drop-in'])
      })
      it('keeps listings offered in any of the delivery modes', async function () {
        const modes = ['phone', 'home_visit'] as const
        const found = await filtered({ deliveryModes: [...modes] })
        expect(found).to.deep.equal(expected((doc) => doc.deliveryModes.some((m) => modes.includes(m as never))))
        expect(found).to.include.members(['befriending-calls', 'home-visits'])
      })
      it('keeps only free listings', async function () {
        expect(await filtered({ freeOnly: true })).to.deep.equal(expected((doc) => doc.free))
      })
      it('keeps listings on any of the days and at any of the times', async function () {
        expect(await filtered({ days: ['sat', 'sun'] })).to.deep.equal(
          expected((doc) => doc.days.includes('sat') || doc.days.includes('sun')),
        )
        expect(await filtered({ timesOfDay: ['evening'] })).to.deep.equal(['crisis-line', 'money-matters'])
      })
      it('keeps listings that serve a person of the given age', async function () {
        const found = await filtered({ age: 70 })
        expect(found).to.include.members(['out-and-about', 'chair-exercise', 'befriending-calls'])
        expect(found).not.to.include.members(['youth-club', 'young-adults'])
        expect(await filtered({ age: 18 })).to.include.members(['youth-club', 'young-adults'])
        expect(await filtered({ age: 15 })).to.deep.equal(
          expected((doc) => (doc.ageMin ?? 0) <= 15 && 15 <= (doc.ageMax ?? 200)),
        )
      })
      it('keeps listings in any of the languages', async function () {
        expect(await filtered({ languages: ['ur', 'pl'] })).to.deep.equal([
          'benefits-check',
          'carers-centre',
          'debt-drop-in',
        ])
      })
      it('keeps listings with all of the accessibility features', async function () {
        expect(await filtered({ accessibility: ['step_free'] })).to.deep.equal([
          'home-visits',
          'loneliness-lunch',
          'out-and-about',
        ])
        expect(await filtered({ accessibility: ['step_free', 'hearing_loop'] })).to.deep.equal([
          'home-visits',
          'out-and-about',
        ])
      })
      it('keeps listings open to any of the access routes', async function () {
        expect(await filtered({ accessRoutes: ['open_access', 'membership'] })).to.deep.equal([
          'crisis-line',
          'debt-drop-in',
          'young-adults',
        ])
      })
      it('keeps listings that accept referrals, or those that do not', async function () {
        expect(await filtered({ acceptsReferrals: true })).to.deep.equal(expected((doc) => doc.acceptsReferrals))
        expect(await filtered({ acceptsReferrals: false })).to.deep.equal(expected((doc) => !doc.acceptsReferrals))
      })
      it('filters on capacity but never hides a crisis resource', async function () {
        const open = await filtered({ capacity: ['open'] })
        expect(open).to.include('crisis-line')
        expect(open).not.to.include.members(['full-course', 'waitlist-counselling'])
        expect(await filtered({ capacity: ['waitlist'] })).to.deep.equal(['crisis-line', 'waitlist-counselling'])
      })
      it('combines filters with words', async function () {
        expect(await ids({ text: 'money', filters: { freeOnly: true, deliveryModes: ['online'] } })).to.deep.equal([
          'money-matters',
        ])
      })
    })

    describe('facet counts', function () {
      it('counts each value over every match, not only the page shown', async function () {
        const result = await search({ perPage: 2, facets: ['deliveryModes', 'free', 'needs', 'capacity'] })
        const shown = FIXTURES.filter(visible)
        expect(result.hits).to.have.length(2)
        expect(result.total).to.equal(shown.length)
        expect(result.facets.deliveryModes?.phone).to.equal(
          shown.filter((d) => d.deliveryModes.includes('phone')).length,
        )
        expect(result.facets.free?.true).to.equal(shown.filter((d) => d.free).length)
        expect(result.facets.free?.false).to.equal(shown.filter((d) => !d.free).length)
        expect(result.facets.needs?.money).to.equal(3)
        expect(result.facets.needs?.['money.debt']).to.equal(1)
        expect(result.facets.capacity?.full).to.equal(2)
      })
      it('counts only the listings that match the words and filters', async function () {
        const result = await search({ text: 'money', filters: { freeOnly: true }, facets: ['deliveryModes'] })
        expect(result.total).to.equal(2)
        expect(result.facets.deliveryModes).to.deep.equal({ in_person: 1, online: 1 })
      })
      it('returns only the facets asked for', async function () {
        expect(Object.keys((await search({ facets: ['days'] })).facets)).to.deep.equal(['days'])
      })
    })

    describe('distance', function () {
      it('leaves out listings beyond the radius and those with no location', async function () {
        const found = await filtered({ needs: ['creative'] })
        expect(found).to.include('online-choir')
        const near = (await ids({ filters: { needs: ['creative'] }, near: { ...CENTRE, radiusKm: 25 } })).sort()
        expect(near).to.deep.equal(['craft-corner', 'knit-far', 'knit-near', 'knit-never-checked', 'knit-stale'])
      })
      it('sorts by distance and reports it in kilometres', async function () {
        const result = await search({ text: 'choir', near: CENTRE, sort: 'distance' })
        expect(result.hits.map((hit) => hit.id)).to.deep.equal(['york-choir', 'online-choir'])
        expect(result.hits[0]?.distanceKm).to.be.closeTo(35, 0.5)
        expect(result.hits[1]?.distanceKm).to.equal(null)
      })
      it('sorts fresh listings nearest first when asked to sort by distance', async function () {
        const found = await ids({ text: 'knitting', near: CENTRE, sort: 'distance' })
        expect(found).to.deep.equal(['craft-corner', 'knit-near', 'knit-far', 'knit-stale', 'knit-never-checked'])
      })
      it('gives no distance when no point is given', async function () {
        const result = await search({ text: 'knitting' })
        expect(result.hits.every((hit) => hit.distanceKm === null)).to.equal(true)
      })
      it('measures from the given point', async function () {
        const result = await search({ text: 'knitting', near: kmNorth(20), sort: 'distance' })
        expect(result.hits[0]?.id).to.equal('knit-far')
        expect(result.hits[0]?.distanceKm).to.be.closeTo(0, 0.1)
      })
    })

    describe('ranking', function () {
      it('ranks by relevance first, then distance', async function () {
        const found = await ids({ text: 'knitting', near: CENTRE })
        // The same name match near and far, then a match in the description only, even though it is nearest.
        expect(found.slice(0, 3)).to.deep.equal(['knit-near', 'knit-far', 'craft-corner'])
      })
      it('ranks stale and never-checked listings after fresh ones and flags them', async function () {
        const result = await search({ text: 'knitting', near: CENTRE })
        expect(result.hits.map((hit) => [hit.id, hit.stale])).to.deep.equal([
          ['knit-near', false],
          ['knit-far', false],
          ['craft-corner', false],
          ['knit-stale', true],
          ['knit-never-checked', true],
        ])
      })
      it('ranks a listing flagged by the freshness process as stale, keeping the date it was last checked', async function () {
        const near = FIXTURES.find((doc) => doc.id === 'knit-near')!
        const own = await fresh([
          ...FIXTURES.filter((doc) => doc.id !== 'knit-near'),
          { ...near, freshnessFlagged: true },
        ])
        const result = await own.search({ text: 'knitting', near: CENTRE, now: NOW, perPage: 100 })
        const flagged = result.hits.find((hit) => hit.id === 'knit-near')!
        expect(flagged.stale).to.equal(true)
        expect(flagged.document.assuredDate).to.equal(near.assuredDate)
        expect(result.hits.slice(0, 2).map((hit) => hit.id)).to.deep.equal(['knit-far', 'craft-corner'])
      })
      it('judges staleness against the time given', async function () {
        const result = await search({ text: 'knitting', near: CENTRE, now: new Date('2023-06-01T00:00:00Z') })
        const stale = Object.fromEntries(result.hits.map((hit) => [hit.id, hit.stale]))
        expect(stale).to.deep.include({ 'knit-stale': false, 'knit-never-checked': true })
      })
    })

    describe('pagination', function () {
      it('pages through every match once, in order', async function () {
        const total = FIXTURES.filter(visible).length
        const seen: string[] = []
        for (let page = 1; page <= Math.ceil(total / 4); page++) {
          const result = await search({ page, perPage: 4 })
          expect(result).to.include({ page, perPage: 4, total })
          seen.push(...result.hits.map((hit) => hit.id))
        }
        expect(seen).to.have.length(total)
        expect(new Set(seen).size).to.equal(total)
      })
      it('returns an empty page past the end', async function () {
        const result = await search({ page: 99, perPage: 10 })
        expect(result.hits).to.deep.equal([])
        expect(result.total).to.equal(FIXTURES.filter(visible).length)
      })
    })

    describe('hits', function () {
      it('carry the document as it was indexed, so a results page needs nothing else', async function () {
        const result = await search({ text: 'befriending' })
        expect(result.hits.length).to.be.greaterThan(0)
        for (const hit of result.hits) {
          expect(hit.document).to.deep.equal(FIXTURES.find((doc) => doc.id === hit.id))
        }
      })
    })

    describe('updates', function () {
      it('replaces a listing on upsert: its old words no longer find it, its new ones do', async function () {
        const own = await fresh()
        const changed = { ...FIXTURES.find((doc) => doc.id === 'chatty-cafe')!, name: 'Pottery Studio', free: false }
        await own.upsert([changed])
        expect(await own.count()).to.equal(FIXTURES.length)
        expect((await own.search({ text: 'chatty', now: NOW })).hits.map((h) => h.id)).not.to.include('chatty-cafe')
        expect((await own.search({ text: 'pottery', now: NOW })).hits.map((h) => h.id)).to.deep.equal(['chatty-cafe'])
        const free = await own.search({ filters: { freeOnly: true }, perPage: 100, now: NOW, facets: ['free'] })
        expect(free.hits.map((h) => h.id)).not.to.include('chatty-cafe')
        expect(free.facets.free).to.deep.equal({ true: free.total })
      })
      it('adds a new listing on upsert', async function () {
        const own = await fresh()
        await own.upsert([{ ...FIXTURES[0]!, id: 'new-listing', name: 'Ukulele Band' }])
        expect(await own.count()).to.equal(FIXTURES.length + 1)
        expect((await own.search({ text: 'ukulele', now: NOW })).hits.map((h) => h.id)).to.deep.equal(['new-listing'])
      })
      it('forgets removed listings everywhere', async function () {
        const own = await fresh()
        await own.remove(['debt-drop-in', 'no-such-id'])
        expect(await own.count()).to.equal(FIXTURES.length - 1)
        const result = await own.search({ text: 'debt', filters: { needs: ['money'] }, facets: ['needs'], now: NOW })
        expect(result.hits.map((h) => h.id)).not.to.include('debt-drop-in')
        expect(result.facets.needs?.['money.debt']).to.equal(undefined)
      })
      it('replaces everything on replaceAll, from an async source too', async function () {
        const own = await fresh()
        async function* two(): AsyncGenerator<SearchDocument> {
          yield FIXTURES[0]!
          yield FIXTURES[1]!
        }
        await own.replaceAll(two())
        expect(await own.count()).to.equal(2)
        expect((await own.search({ now: NOW })).hits.map((h) => h.id).sort()).to.deep.equal([
          'befriending-calls',
          'chatty-cafe',
        ])
      })
    })

    describe('health and size', function () {
      it('counts the listings it holds', async function () {
        expect(await index.count()).to.equal(FIXTURES.length)
      })
      it('says it is healthy', async function () {
        expect(await index.healthy()).to.equal(true)
      })
    })
  })
}
