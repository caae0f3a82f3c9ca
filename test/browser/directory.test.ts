/// <reference lib="dom" />
import { expect } from 'chai'
import type { Page } from 'playwright-core'
import { DEMO_ANCHORS } from '../../server/data/demo/generate'
import { DEMO_PASSWORD } from '../../server/services/demo-accounts'
import { expectAccessible, useBrowser } from '../helpers/browser'

describe('A navigator using the directory in a browser', () => {
  const b = useBrowser('browser_directory', { DEMO: 'true' })

  it('searches from the home page, filters, and opens a service', async () => {
    const page = await b.visit('/')
    await page.fill('#q', 'walking group')
    await page.fill('#postcode', DEMO_ANCHORS.walkingPostcode)
    await page.click('button:has-text("Search")')
    await page.waitForURL(/\/services\?/)
    await expectAccessible(page)
    await page.selectOption('#radius', '2')
    await page.click('summary:has-text("Filter results")')
    await page.check('#day-sat')
    await page.check('#free')
    await page.click('button:has-text("Apply filters")')
    await page.waitForSelector('#results-heading')
    await expectAccessible(page)
    const first = page.locator('.app-result__name a').first()
    expect(await first.textContent()).to.equal('Sunny Hill Park Saturday Health Walk')
    await first.click()
    await page.waitForSelector('h1:has-text("Sunny Hill Park Saturday Health Walk")')
    await expectAccessible(page)
  })

  it('shows an accessible error summary for a postcode that does not exist, focused for screen readers', async () => {
    const page = await b.visit('/services?q=walk&postcode=ZZ9+9ZZ', 400)
    const summary = page.locator('.nhsuk-error-summary')
    expect(await summary.isVisible()).to.equal(true)
    await page.click('.nhsuk-error-summary a[href="#postcode"]')
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('postcode')
    // Crisis words bring the urgent-support callout on a form error too.
    const crisis = await b.visit('/services?q=feeling+suicidal&postcode=hello', 400)
    expect(await crisis.locator('#urgent-support').isVisible()).to.equal(true)
  })

  it('shows a crisis service, a stale listing and a temporarily closed one without accessibility problems', async () => {
    await b.visit('/services?need=crisis-support')
    await b.visit('/services?page=12')
    await b.visit(`/services/${DEMO_ANCHORS.punjabiBefriending}`)
  })

  /** Searches with the form on the page in view, as a person does. */
  async function searchFor(page: Page, words: string) {
    await page.fill('#q', words)
    await page.click('button:has-text("Search")')
    await page.waitForSelector('#results-heading')
    await expectAccessible(page)
  }

  /** The callout is on screen, above the first result (if any), and no filter checkbox shows before that result. */
  async function expectCalloutFirst(page: Page) {
    const callout = page.locator('#urgent-support')
    expect(await callout.isVisible()).to.equal(true)
    const calloutTop = (await callout.boundingBox())!.y
    const first = page.locator('.app-result').first()
    if ((await first.count()) === 0) return
    const firstTop = (await first.boundingBox())!.y
    expect(calloutTop).to.be.lessThan(firstTop)
    const boxesShownBefore = await page.evaluate((top) => {
      return [...document.querySelectorAll('.nhsuk-checkboxes__input')].filter((box) => {
        const rect = box.getBoundingClientRect()
        return rect.height > 0 && rect.top + window.scrollY < top
      }).length
    }, firstTop)
    expect(boxesShownBefore).to.equal(0)
  }

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 360, height: 740 },
  ]) {
    it(`puts urgent support first for crisis words and empty searches, from the home page (${viewport.width} px)`, async () => {
      const context = await b.newContext({ viewport, isMobile: viewport.width < 400 })
      const page = await context.newPage()
      await page.goto(`${b.baseUrl}/`)
      await expectAccessible(page)
      await searchFor(page, 'feeling suicidal')
      await expectCalloutFirst(page)
      const callout = (await page.locator('#urgent-support').textContent()) ?? ''
      for (const line of ['999', 'NHS 111', '116 123', '85258']) expect(callout).to.include(line)
      expect(await page.locator('.app-result').first().textContent()).to.include('Crisis support')

      // Words no listing uses still bring the callout and crisis services first.
      await searchFor(page, 'better off dead')
      await expectCalloutFirst(page)
      expect(await page.locator('.app-result').first().textContent()).to.include('Crisis support')

      await searchFor(page, 'my partner hits me')
      await expectCalloutFirst(page)
      expect(await page.locator('#urgent-support').textContent()).to.include('0808 2000 247')

      await searchFor(page, 'xylophone')
      await expectCalloutFirst(page)
      expect(await page.locator('#results-heading').textContent()).to.match(/^0 services found/)

      // The filters open and close without JavaScript's help, and the skip link goes to the results.
      await searchFor(page, 'knitting group')
      expect(await page.locator('#urgent-support').count()).to.equal(0)
      expect(await page.locator('#day-sat').isVisible()).to.equal(false)
      await page.click('summary:has-text("Filter results")')
      expect(await page.locator('#day-sat').isVisible()).to.equal(true)
      await expectAccessible(page)
      await page.click('a:has-text("Skip to the results")')
      expect(page.url()).to.match(/#results-heading$/)
      await context.close()
    })
  }

  it('shows staff the same urgent support: a link worker signs in and searches from the home page', async () => {
    const page = await b.visit('/sign-in')
    await page.fill('#email', 'link.worker@demo.loopwell.test')
    await page.fill('#password', DEMO_PASSWORD)
    await page.click('button:has-text("Sign in")')
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
    await expectAccessible(page)
    await page.click('a.nhsuk-header__service-logo')
    await page.waitForSelector('#q')
    await expectAccessible(page)
    await searchFor(page, 'he says he will kill me, I am not safe at home')
    await expectCalloutFirst(page)
    expect(await page.locator('#urgent-support').textContent()).to.include('0808 2000 247')
  })

  it('reads well on a phone', async () => {
    const context = await b.newContext({ viewport: { width: 360, height: 740 }, isMobile: true })
    const page = await context.newPage()
    for (const path of ['/services?q=befriending', `/services/${DEMO_ANCHORS.walkingGroup}`]) {
      await page.goto(b.baseUrl + path)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow, path).to.be.at.most(0)
    }
    await context.close()
  })
})
