import { expect } from 'chai'
import * as cheerio from 'cheerio'
import request from 'supertest'
import { DEMO_ANCHORS } from '../../../../server/data/demo/generate'
import { useTestApp } from '../../../helpers/app'

describe('The public directory', () => {
  const t = useTestApp('directory_pages', { DEMO: 'true' })

  const names = (html: string) =>
    cheerio
      .load(html)('.app-result__name a')
      .map((_, el) => cheerio.load(el).text())
      .get()

  describe('GET /services', () => {
    it('finds a free Saturday walking group within 2 miles of a postcode in one search', async () => {
      const res = await request(t.app)
        .get('/services')
        .query({ q: 'walking group', postcode: DEMO_ANCHORS.walkingPostcode, radius: '2', day: 'sat', free: 'yes' })
        .expect(200)
      expect(names(res.text)[0]).to.equal('Sunny Hill Park Saturday Health Walk')
      const $ = cheerio.load(res.text)
      expect($('#results-heading').text()).to.match(/found near NW4 4BG/)
      expect($('.app-result').first().text()).to.match(/miles away/)
      expect($('.app-result').first().text()).to.match(/Free/)
    })

    it('finds befriending for an older man who speaks Punjabi in one search', async () => {
      const res = await request(t.app)
        .get('/services')
        .query({ q: 'befriending', language: 'pa', age: '78' })
        .expect(200)
      expect(names(res.text)[0]).to.match(/^Sangat Befriending/)
    })

    it('forgives typos and understands everyday words', async () => {
      expect(names((await request(t.app).get('/services').query({ q: 'befrending' })).text)).to.not.be.empty
      const money = names((await request(t.app).get('/services').query({ q: 'money worries' })).text)
      expect(money.join(' ')).to.match(/debt|money|benefit/i)
    })

    it('shows facet counts beside each filter and keeps the chosen filters ticked', async () => {
      const res = await request(t.app).get('/services').query({ q: 'walk', day: 'sat' }).expect(200)
      const $ = cheerio.load(res.text)
      expect($('#day-sat').attr('checked')).to.equal('checked')
      expect($('label[for="day-sat"] .app-count').text()).to.match(/^\(\d+\)$/)
      expect($('#need option').length).to.be.greaterThan(20)
    })

    it('pages through results', async () => {
      const first = await request(t.app).get('/services').expect(200)
      const $ = cheerio.load(first.text)
      const next = $('.nhsuk-pagination__link--next').attr('href')
      expect(next).to.equal('/services?page=2')
      const second = await request(t.app).get(next!).expect(200)
      expect(names(second.text)).to.have.length.greaterThan(0)
      expect(names(second.text)[0]).to.not.equal(names(first.text)[0])
    })

    it('marks listings not checked for over a year', async () => {
      const res = await request(t.app).get('/services').query({ page: '12' }).expect(200)
      expect(cheerio.load(res.text)('.app-stale').length).to.be.greaterThan(0)
    })

    it('tells a postcode it cannot place from one that is not a postcode, with the words kept', async () => {
      const res = await request(t.app).get('/services').query({ q: 'walk', postcode: 'm1 1ae' }).expect(400)
      const $ = cheerio.load(res.text)
      expect($('.nhsuk-error-summary a[href="#postcode"]').text()).to.equal(
        'We cannot place M1 1AE. Check it, try a nearby postcode, or search without one',
      )
      expect($('#postcode-error').text()).to.match(/We cannot place M1 1AE/)
      expect($('#q').val()).to.equal('walk')
      expect($('#postcode').val()).to.equal('m1 1ae')
      const notOne = await request(t.app).get('/services').query({ q: 'walk', postcode: 'NW4 4B' }).expect(400)
      expect(cheerio.load(notOne.text)('#postcode-error').text()).to.match(/This is not a UK postcode/)
    })

    it('finds the right kind of service for the way people type', async () => {
      const cases: [string, RegExp][] = [
        ['lonely since my wife died', /befriend|friendship|bereavement|lunch|shed|knit|memory/i],
        ['im skint and cant pay the gas', /money|debt|benefit/i],
        ['help filling in pip forms', /benefit|advice/i],
        ['evicted need somewhere to live', /housing|tenancy/i],
        ['sofa surfing', /housing|tenancy/i],
        ['get back into work after illness', /working well|job/i],
        ['want to learn computers', /digital|tablet/i],
        ['looking after my mum with dementia', /carer|memory/i],
        ['new mum feeling low', /family hub|peer support|wellbeing|parent/i],
        ['drinking too much', /alcohol/i],
        ['free hot meal', /lunch|food|pantry/i],
        ['knitting group', /knit/i],
        ['bengali', /bengali/i],
        ['wheelchair accessible swimming', /swim/i],
        ['partner hits me', /domestic abuse|freedom/i],
      ]
      for (const [q, kind] of cases) {
        const found = names((await request(t.app).get('/services').query({ q }).expect(200)).text)
        expect(found.length, q).to.be.greaterThan(0)
        expect(found[0], q).to.match(kind)
      }
    })

    it('puts the urgent-support callout above crisis services for words of immediate risk', async () => {
      // Crisis services come first even when no listing uses the words typed, or a word has a slip in it.
      for (const q of [
        'feeling suicidal',
        'better off dead',
        'sucidal thoughts',
        'suicdial',
        "I can't go on anymore",
      ]) {
        const res = await request(t.app).get('/services').query({ q }).expect(200)
        const $ = cheerio.load(res.text)
        const callout = $('#urgent-support').text()
        for (const line of ['999', 'NHS 111', 'option 2', '116 123', '85258']) expect(callout, q).to.include(line)
        expect(callout, q).not.to.include('0808 2000 247')
        expect($('.app-result').first().text(), q).to.include('Crisis support')
        // The callout comes before the first result in the page.
        expect(res.text.indexOf('id="urgent-support"'), q).to.be.lessThan(res.text.indexOf('class="app-result"'))
      }
    })

    it('adds the domestic abuse helpline when the words are about abuse, and finds domestic abuse services', async () => {
      // Abuse as people describe it, with or without the word.
      for (const q of ['partner hits me', 'my partner is violent', 'my husband shouts at me', 'he controls my money']) {
        const $ = cheerio.load((await request(t.app).get('/services').query({ q }).expect(200)).text)
        const callout = $('#urgent-support').text()
        expect(callout, q).to.include('0808 2000 247')
        expect(callout, q).to.include('999')
        expect(names($.html())[0], q).to.match(/domestic abuse/i)
      }
    })

    it('shows the callout for crisis words even when the form has an error', async () => {
      for (const query of [
        { q: 'feeling suicidal', postcode: 'hello' },
        { q: 'partner hits me', age: 'old' },
      ]) {
        const $ = cheerio.load((await request(t.app).get('/services').query(query).expect(400)).text)
        expect($('.nhsuk-error-summary').length, query.q).to.equal(1)
        expect($('#urgent-support').text(), query.q).to.include('116 123')
      }
      const plain = cheerio.load((await request(t.app).get('/services').query({ q: 'walk', age: 'old' })).text)
      expect(plain('#urgent-support').length).to.equal(0)
    })

    it('shows the callout whenever nothing is found, and not on an everyday search', async () => {
      const none = cheerio.load((await request(t.app).get('/services').query({ q: 'xylophone' }).expect(200)).text)
      expect(none('#results-heading').text()).to.match(/^0 services found/)
      expect(none('#urgent-support').text()).to.include('Samaritans')
      const everyday = cheerio.load((await request(t.app).get('/services').query({ q: 'knitting' })).text)
      expect(everyday('#urgent-support').length).to.equal(0)
    })

    it('keeps the filters behind "Filter results" until one is used, with a link past them to the results', async () => {
      const plain = cheerio.load((await request(t.app).get('/services').query({ q: 'walk' })).text)
      expect(plain('details.app-filters__details summary').text().trim()).to.equal('Filter results')
      expect(plain('details.app-filters__details').attr('open')).to.equal(undefined)
      expect(plain('.app-skip-to-results a').attr('href')).to.equal('#results-heading')
      const chosen = cheerio.load((await request(t.app).get('/services').query({ q: 'walk', day: 'sat' })).text)
      expect(chosen('details.app-filters__details').attr('open')).to.equal('open')
    })

    it('gives a specific message for each bad value, never a 500', async () => {
      const cases: [Record<string, string>, string, string][] = [
        [{ age: 'old' }, 'age', 'Age must be a number, like 67'],
        [{ age: '300' }, 'age', 'Age must be 120 or less'],
        [{ day: 'someday' }, 'day', 'Choose days from the list'],
        [{ radius: '7' }, 'radius', 'Choose a distance from the list'],
        [{ radius: '2' }, 'postcode', 'Enter a postcode to search within a distance'],
        [{ postcode: 'hello' }, 'postcode', 'This is not a UK postcode. Enter a postcode like EN5 1AA'],
      ]
      for (const [query, field, message] of cases) {
        const res = await request(t.app).get('/services').query(query).expect(400)
        expect(
          cheerio.load(res.text)(`.nhsuk-error-summary a[href="#${field}"]`).text(),
          JSON.stringify(query),
        ).to.equal(message)
      }
    })
  })

  describe('GET /services/:id', () => {
    it('shows everything a person needs to go there', async () => {
      const res = await request(t.app).get(`/services/${DEMO_ANCHORS.walkingGroup}`).expect(200)
      const $ = cheerio.load(res.text)
      expect($('h1').text()).to.equal('Sunny Hill Park Saturday Health Walk')
      const text = $('main').text()
      for (const heading of ['When', 'Where', 'Who it is for', 'How to get in', 'Contact']) {
        expect($('h2').filter((_, el) => $(el).text() === heading).length, heading).to.equal(1)
      }
      expect(text).to.match(/Every Saturday/)
      expect(text).to.match(/NW4/)
      expect($('a[href*="openstreetmap.org"]').length).to.be.greaterThan(0)
      expect(text).to.match(/Details last checked/)
    })

    it('answers 404 for an unknown or malformed id', async () => {
      await request(t.app).get('/services/00000000-0000-4000-8000-000000000000').expect(404)
      await request(t.app).get('/services/not-an-id').expect(404)
    })
  })
})
