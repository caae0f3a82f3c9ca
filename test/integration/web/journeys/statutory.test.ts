// The accessibility statement and the privacy notice say what the law asks, with this deployment's own details.
import * as cheerio from 'cheerio'
import { expect } from 'chai'
import request from 'supertest'
import { useTestApp } from '../../../helpers/app'

describe('Statutory pages over HTTP', () => {
  const t = useTestApp('journeys_statutory', () => ({
    DEMO: 'false',
    OPERATOR_NAME: 'Barnet Social Prescribing (test)',
    OPERATOR_EMAIL: 'access@barnet-sp.test',
    DATA_PROTECTION_OFFICER_EMAIL: 'dpo@barnet-sp.test',
    RECORD_RETENTION_YEARS: '6',
    ACCESSIBILITY_TESTED: '2026-11-30',
  }))

  it('gives the accessibility statement the sections the regulations ask for, naming this deployment', async () => {
    const $ = cheerio.load((await request(t.app).get('/accessibility').expect(200)).text)
    const headings = $('main h2')
      .map((_, h) => $(h).text())
      .get()
    expect(headings).to.include.members([
      'How accessible this website is',
      'Feedback and contact information',
      'Reporting accessibility problems with this website',
      'Enforcement procedure',
      "Technical information about this website's accessibility",
      'Non-accessible content',
      'Preparation of this accessibility statement',
    ])
    const text = $('main').text()
    expect(text).to.contain('run by Barnet Social Prescribing (test)')
    expect(text).to.contain('access@barnet-sp.test')
    expect(text).to.contain('Equality and Human Rights Commission')
    expect(text).to.contain('partially compliant')
    expect(text).to.contain('30 November 2026')
  })

  it('names the controller, the UK GDPR lawful bases, retention, rights and how to complain to the ICO', async () => {
    const $ = cheerio.load((await request(t.app).get('/privacy').expect(200)).text)
    const text = $('main').text()
    expect($('#controller').text()).to.equal('Barnet Social Prescribing (test)')
    expect(text).to.contain('Article 6(1)(e)')
    expect(text).to.contain('Article 9(2)(h)')
    expect($('#retention').text()).to.equal('6 years')
    expect(text).to.contain('dpo@barnet-sp.test')
    expect(text).to.contain('ask for a copy of the information we hold about you')
    expect(text).to.contain('ico.org.uk')
  })
})
