import { expect } from 'chai'
import * as cheerio from 'cheerio'
import request from 'supertest'
import { useTestApp } from '../../helpers/app'

describe('The web foundation', () => {
  const t = useTestApp('foundation')

  describe('GET /', () => {
    it('renders an NHS.UK page with a skip link, header, phase banner and footer', async () => {
      const res = await request(t.app).get('/').expect(200).expect('Content-Type', /html/)
      const $ = cheerio.load(res.text)
      expect($('a.nhsuk-skip-link').attr('href')).to.equal('#maincontent')
      expect($('header.nhsuk-header').length).to.equal(1)
      expect($('main#maincontent h1').text()).to.match(/Find support/)
      expect($('.app-phase-banner').text()).to.match(/Beta/)
      expect($('footer.nhsuk-footer').length).to.equal(1)
      expect($('html').attr('lang')).to.equal('en')
    })

    it('sends a Content-Security-Policy whose nonce matches the page scripts and changes per request', async () => {
      const first = await request(t.app).get('/')
      const second = await request(t.app).get('/')
      const nonce = (res: request.Response) =>
        /'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1]
      const n1 = nonce(first)
      expect(n1).to.be.a('string')
      expect(n1).to.not.equal(nonce(second))
      const $ = cheerio.load(first.text)
      $('script').each((_, el) => {
        expect($(el).attr('nonce')).to.equal(n1)
      })
      expect(first.headers['x-powered-by']).to.equal(undefined)
      expect(first.headers['x-request-id']).to.be.a('string')
    })

    it('sets no cookie on a page without a form', async () => {
      const res = await request(t.app).get('/')
      expect(res.headers['set-cookie']).to.equal(undefined)
    })
  })

  describe('GET /healthz', () => {
    it('answers ok when the database and search answer', async () => {
      const res = await request(t.app).get('/healthz').expect(200)
      expect(res.body).to.deep.equal({ status: 'ok', db: 'ok', search: 'ok' })
    })
  })

  describe('errors', () => {
    it('renders an NHS.UK 404 page for an unknown page', async () => {
      const res = await request(t.app).get('/no-such-page').expect(404)
      expect(cheerio.load(res.text)('h1').text()).to.equal('Page not found')
    })

    it('answers JSON under /api', async () => {
      const res = await request(t.app).get('/api/no-such-thing').expect(404).expect('Content-Type', /json/)
      expect(res.body).to.deep.equal({ error: 'Page not found' })
    })

    it('answers 400 with a message for malformed JSON, never a 500', async () => {
      const res = await request(t.app)
        .post('/api/anything')
        .set('Content-Type', 'application/json')
        .send('{"broken":')
        .expect(400)
      expect(res.body.error).to.equal('The request body is not valid JSON')
    })
  })

  describe('CSRF', () => {
    it('refuses a form post without a valid token with 403', async () => {
      const res = await request(t.app).post('/').type('form').send({ anything: 'x' }).expect(403)
      expect(cheerio.load(res.text)('h1').text()).to.equal('You cannot do that')
      await request(t.app).post('/').type('form').send({ _csrf: 'forged' }).expect(403)
    })
  })
})
