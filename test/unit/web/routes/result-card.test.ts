import { expect } from 'chai'
import { load } from 'cheerio'
import { resultCardHtml, resultCardsHtml, type ResultCard } from '../../../../server/web/routes/directory/result-card'

function card(overrides: Partial<ResultCard> = {}): ResultCard {
  return {
    id: '0b0e3a86-4f5c-4a59-9a55-6a1f0b0b2b11',
    href: '/services/0b0e3a86-4f5c-4a59-9a55-6a1f0b0b2b11',
    name: 'Knit and natter',
    organizationName: 'Barnet Crafts',
    summary: 'A weekly knitting group.',
    distance: null,
    nextOpening: null,
    cost: 'Free',
    capacity: { label: 'Open to referrals', tag: 'nhsuk-tag--green' },
    temporarilyClosed: false,
    crisis: false,
    signpostOnly: false,
    lastChecked: '4 March 2026',
    stale: false,
    ...overrides,
  }
}

describe('resultCardHtml', () => {
  it('writes the name as a link, the organisation, the summary, the capacity tag, cost and when last checked', () => {
    const $ = load(`<ul>${resultCardHtml(card())}</ul>`)
    expect($('li.app-result h3.app-result__name a').attr('href')).to.equal(card().href)
    expect($('li.app-result h3 a').text()).to.equal('Knit and natter')
    expect($('.app-result__org').text()).to.equal('Barnet Crafts')
    expect(
      $('.app-result__tags strong')
        .map((_, e) => $(e).text())
        .get(),
    ).to.deep.equal(['Open to referrals'])
    expect($('.app-result__tags strong').attr('class')).to.equal('nhsuk-tag nhsuk-tag--green')
    expect(
      $('dl.app-result__facts dt')
        .map((_, e) => $(e).text())
        .get(),
    ).to.deep.equal(['Cost', 'Last checked'])
    expect($('dl.app-result__facts dd').last().text()).to.equal('4 March 2026')
  })

  it('adds the crisis, closed and signpost tags, distance, next session and the stale warning only when they apply', () => {
    const $ = load(
      `<ul>${resultCardHtml(
        card({
          crisis: true,
          temporarilyClosed: true,
          signpostOnly: true,
          distance: '1.2 miles away',
          nextOpening: 'Tuesday 4 March, 10am',
          stale: true,
        }),
      )}</ul>`,
    )
    expect(
      $('.app-result__tags strong')
        .map((_, e) => $(e).text())
        .get(),
    ).to.deep.equal(['Crisis support', 'Temporarily closed', 'Open to referrals', 'Signpost only'])
    expect(
      $('dl.app-result__facts dt')
        .map((_, e) => $(e).text())
        .get(),
    ).to.deep.equal(['Distance', 'Next session', 'Cost', 'Last checked'])
    expect($('.app-stale').text()).to.equal('Not recently checked: details may be out of date')
  })

  it('escapes every value as {{value}} would, so listing text cannot add markup', () => {
    const hostile = `<script>alert(1)</script>" onmouseover="x' \`=&`
    const html = resultCardHtml(
      card({
        href: `/services/x" onclick="y`,
        name: hostile,
        organizationName: hostile,
        summary: hostile,
        distance: hostile,
        nextOpening: hostile,
        cost: hostile,
        lastChecked: hostile,
        capacity: { label: hostile, tag: `x" onclick="y` },
      }),
    )
    expect(html).not.to.include('<script>')
    expect(html).not.to.include('" onclick="')
    expect(html).not.to.include('" onmouseover="')
    const $ = load(`<ul>${html}</ul>`)
    expect($('script')).to.have.length(0)
    expect($('h3 a').text()).to.equal(hostile)
    expect($('.app-result__org').text()).to.equal(hostile)
    expect($('h3 a').attr('onclick')).to.equal(undefined)
  })
})

describe('resultCardsHtml', () => {
  it('writes the cards in the order given', () => {
    const $ = load(`<ul>${resultCardsHtml([card({ name: 'First' }), card({ name: 'Second' })])}</ul>`)
    expect(
      $('li.app-result h3')
        .map((_, e) => $(e).text())
        .get(),
    ).to.deep.equal(['First', 'Second'])
    expect(resultCardsHtml([])).to.equal('')
  })
})
