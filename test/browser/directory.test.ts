/// <reference lib="dom" />
import { expect } from 'chai'
import { DEMO_ANCHORS } from '../../server/data/demo/generate'
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
  })

  it('shows a crisis service, a stale listing and a temporarily closed one without accessibility problems', async () => {
    await b.visit('/services?need=crisis-support')
    await b.visit('/services?page=12')
    await b.visit(`/services/${DEMO_ANCHORS.punjabiBefriending}`)
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
