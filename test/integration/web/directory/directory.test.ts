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

    it('tells the user when a postcode does not exist, with a link to the field and their words kept', async () => {
      const res = await request(t.app).get('/services').query({ q: 'walk', postcode: 'ZZ9 9ZZ' }).expect(400)
      const $ = cheerio.load(res.text)
      expect($('.nhsuk-error-summary a[href="#postcode"]').text()).to.equal('Enter a real postcode, like EN5 1AA')
      expect($('#postcode-error').text()).to.match(/Enter a real postcode/)
      expect($('#q').val()).to.equal('walk')
      expect($('#postcode').val()).to.equal('ZZ9 9ZZ')
    })

    it('gives a specific message for each bad value, never a 500', async () => {
      const cases: [Record<string, string>, string, string][] = [
        [{ age: 'old' }, 'age', 'Age must be a number, like 67'],
        [{ age: '300' }, 'age', 'Age must be 120 or less'],
        [{ day: 'someday' }, 'day', 'Choose days from the list'],
        [{ radius: '7' }, 'radius', 'Choose a distance from the list'],
        [{ radius: '2' }, 'postcode', 'Enter a postcode to search within a distance'],
        [{ postcode: 'hello' }, 'postcode', 'Enter a full UK postcode, like EN5 1AA'],
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
