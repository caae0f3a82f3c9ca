/// <reference lib="dom" />
import { expect } from 'chai'
import { useBrowser } from '../helpers/browser'

describe('The foundation in a browser', () => {
  const b = useBrowser('browser_foundation')

  for (const [path, status] of [
    ['/', 200],
    ['/accessibility', 200],
    ['/privacy', 200],
    ['/no-such-page', 404],
  ] as const) {
    it(`shows ${path} with no accessibility violations`, async () => {
      await b.visit(path, status)
    })
  }

  it('lets a keyboard user skip straight to the content', async () => {
    const page = await b.visit('/')
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim())
    expect(focused).to.equal('Skip to main content')
    await page.keyboard.press('Enter')
    // Without JavaScript the anchor is followed; with it, nhsuk-frontend moves focus itself. Either way the next Tab
    // must land inside the main content, past the header.
    await page.keyboard.press('Tab')
    const inMain = await page.evaluate(() => Boolean(document.activeElement?.closest('main#maincontent')))
    expect(inMain).to.equal(true)
  })

  it('lets a keyboard user skip to the content with JavaScript switched off too', async () => {
    const context = await b.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(b.baseUrl + '/')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    expect(page.url()).to.match(/#maincontent$/)
    await page.keyboard.press('Tab')
    expect(await page.locator('main#maincontent #q').evaluate((el) => el === document.activeElement)).to.equal(true)
    await context.close()
  })

  it('runs its scripts under the Content-Security-Policy without errors', async () => {
    const errors: string[] = []
    b.page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    b.page.on('pageerror', (e) => errors.push(e.message))
    await b.visit('/')
    await b.page.waitForFunction(() => document.body.classList.contains('nhsuk-frontend-supported'))
    expect(errors).to.deep.equal([])
  })

  it('reads well on a phone: nothing is wider than the screen', async () => {
    const context = await b.newContext({ viewport: { width: 360, height: 740 }, isMobile: true })
    const page = await context.newPage()
    await page.goto(b.baseUrl + '/')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).to.be.at.most(0)
    await context.close()
  })
})
