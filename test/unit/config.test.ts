import { expect } from 'chai'
import { ConfigError, loadConfig } from '../../server/config'

describe('loadConfig', () => {
  it('gives working defaults for a fresh checkout', () => {
    const config = loadConfig({})
    expect(config.port).to.equal(3000)
    expect(config.mongodbUri).to.equal(undefined)
    expect(config.demo).to.equal(true)
    expect(config.publicUrl).to.equal('http://localhost:3000')
    expect(Object.isFrozen(config)).to.equal(true)
  })

  it('names the variable when a value is bad', () => {
    expect(() => loadConfig({ PORT: 'abc' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.matches(/PORT/)
    expect(() => loadConfig({ MONGODB_URI: 'postgres://x' })).to.throw(/MONGODB_URI must start with mongodb/)
    expect(() => loadConfig({ SMTP_URL: 'mail.example' })).to.throw(/SMTP_URL/)
  })

  it('requires SESSION_SECRET in production and turns demo data off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(/SESSION_SECRET is required in production/)
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) })
    expect(config.demo).to.equal(false)
    expect(config.production).to.equal(true)
  })

  it("reads the episode caseload's overdue days, 2 / 10 / 21 unless set", () => {
    expect(loadConfig({}).episodeTargets).to.deep.equal({ triageDays: 2, conversationDays: 10, contactEveryDays: 21 })
    const set = loadConfig({ EPISODE_TRIAGE_DAYS: '3', EPISODE_CONVERSATION_DAYS: '14', EPISODE_CONTACT_DAYS: '28' })
    expect(set.episodeTargets).to.deep.equal({ triageDays: 3, conversationDays: 14, contactEveryDays: 28 })
    expect(() => loadConfig({ EPISODE_CONTACT_DAYS: '0' })).to.throw(/EPISODE_CONTACT_DAYS/)
  })

  it('treats empty strings as unset', () => {
    expect(loadConfig({ MONGODB_URI: '', PORT: '' }).port).to.equal(3000)
  })

  it('reads Meilisearch settings only when MEILI_URL is set', () => {
    expect(loadConfig({}).meili).to.equal(undefined)
    expect(loadConfig({ MEILI_URL: 'http://127.0.0.1:7700', MEILI_KEY: 'k' }).meili).to.deep.equal({
      url: 'http://127.0.0.1:7700',
      key: 'k',
    })
  })

  it('runs the in-process search index in a worker thread unless SEARCH_WORKER says not to', () => {
    expect(loadConfig({}).searchInWorker).to.equal(true)
    expect(loadConfig({ SEARCH_WORKER: 'false' }).searchInWorker).to.equal(false)
    expect(() => loadConfig({ SEARCH_WORKER: 'sometimes' })).to.throw(/SEARCH_WORKER/)
  })

  it('reads the local postcode table from POSTCODES_FILE, naming it when there is no such file', () => {
    expect(loadConfig({}).postcodesFile).to.equal(undefined)
    expect(loadConfig({ POSTCODES_FILE: 'server/data/demo/postcodes.csv' }).postcodesFile).to.match(
      /server\/data\/demo\/postcodes\.csv$/,
    )
    expect(() => loadConfig({ POSTCODES_FILE: 'no/such/postcodes.csv' })).to.throw(/POSTCODES_FILE names no file/)
  })
})
