/// <reference lib="dom" />
// Real Chromium (Debian's /usr/bin/chromium, never a downloaded build) driven by playwright-core, with axe-core
// run on every page a test visits: any WCAG 2.2 A/AA violation fails the test.
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { createRequire } from 'node:module'
import { expect } from 'chai'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { DEMO_PASSWORD } from '../../server/services/demo-accounts'
import { useTestApp, type TestApp } from './app'
import { useSmtpServer, type TestSmtp } from './smtp'

const require = createRequire(import.meta.url)
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

export async function expectAccessible(page: Page): Promise<void> {
  // Evaluated over the DevTools protocol, so our own Content-Security-Policy stays on while axe runs.
  await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async (tags) => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: unknown[] }> } }
    ).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } })
    return result.violations
  }, WCAG_TAGS)
  const summary = (violations as AxeViolation[]).map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  )
  expect(summary, `axe violations on ${page.url()}`).to.deep.equal([])
}

export interface BrowserSession extends TestApp {
  readonly baseUrl: string
  readonly page: Page
  /** Go to a path, expect the status, and check the page with axe. */
  visit(path: string, status?: number): Promise<Page>
  /** A context of its own (a separate person's browser), closed after the test that made it. */
  newContext(options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>
}

export function useBrowser(
  label: string,
  env: Record<string, string> | (() => Record<string, string>) = {},
): BrowserSession {
  const t = useTestApp(label, env)
  let server: Server | undefined
  let browser: Browser | undefined
  let context: BrowserContext | undefined
  let page: Page | undefined
  let baseUrl = ''
  const made: BrowserContext[] = []

  before(async function () {
    this.timeout(60_000)
    server = await new Promise<Server>((resolve) => {
      const s = t.app.listen(0, '127.0.0.1', () => resolve(s))
    })
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS })
  })
  beforeEach(async () => {
    context = await browser!.newContext()
    page = await context.newPage()
  })
  afterEach(async () => {
    await Promise.all([context, ...made.splice(0)].map((c) => c?.close()))
  })
  after(async () => {
    await browser?.close()
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  })

  return {
    get app() {
      return t.app
    },
    get services() {
      return t.services
    },
    get config() {
      return t.config
    },
    get connection() {
      return t.connection
    },
    get baseUrl() {
      return baseUrl
    },
    get page() {
      return page!
    },
    async visit(path: string, status = 200) {
      const response = await page!.goto(baseUrl + path)
      expect(response?.status(), `status of ${path}`).to.equal(status)
      await expectAccessible(page!)
      return page!
    },
    async newContext(options) {
      const own = await browser!.newContext(options)
      made.push(own)
      return own
    },
  }
}

/** A browser on the app with the demo data, sending its emails to an in-process SMTP server the test can read. */
export function useDemoBrowserWithMail(
  label: string,
  env: Record<string, string> = {},
): BrowserSession & { smtp: TestSmtp } {
  const smtp = useSmtpServer()
  const b = useBrowser(label, () => ({ DEMO: 'true', SMTP_URL: smtp.url, PUBLIC_URL: 'http://loopwell.test', ...env }))
  return Object.assign(b, { smtp })
}

/**
 * Signs in through the sign-in page as a person would: fills the form, clicks "Sign in" and waits for the page they
 * land on (each role starts at its own work). With `from` 'home', starts at the home page and clicks the header's
 * "Sign in" link. Checks every page with axe unless `axe` is false.
 */
export async function signIn(
  page: Page,
  baseUrl: string,
  email: string,
  options: { password?: string; from?: 'home' | 'sign-in'; axe?: boolean } = {},
): Promise<void> {
  const axe = options.axe ?? true
  if (options.from === 'home') {
    await page.goto(`${baseUrl}/`)
    if (axe) await expectAccessible(page)
    await Promise.all([page.waitForEvent('load'), page.click('.nhsuk-header a:has-text("Sign in")')])
  } else await page.goto(`${baseUrl}/sign-in`)
  if (axe) await expectAccessible(page)
  await page.fill('#email', email)
  await page.fill('#password', options.password ?? DEMO_PASSWORD)
  await page.click('button:has-text("Sign in")')
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
  if (axe) await expectAccessible(page)
}

/** Clicks a link or button and waits for the next page, then checks it with axe and that it does not scroll sideways. */
export async function clickTo(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.click(selector)])
  await expectAccessible(page)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  expect(overflow, `sideways scroll on ${page.url()}`).to.be.at.most(0)
}

/** Follows a header menu entry; on a phone the menu may keep it behind "More". */
export async function menu(page: Page, text: string): Promise<void> {
  const link = page.locator('.nhsuk-header__navigation-link', { hasText: text }).first()
  if (!(await link.isVisible())) await page.click('#toggle-menu')
  await Promise.all([page.waitForEvent('load'), link.click()])
  await expectAccessible(page)
}

/**
 * Fills in a service's referral form as the link worker (not sending it): consent given, the first need, a note and
 * the contact preference whose radio `contact` selects; the GP told of the outcome only when `gpFeedback` is set.
 */
export async function fillReferralForm(
  page: Page,
  form: { note: string; contact: string; gpFeedback?: boolean },
): Promise<void> {
  await page.check('#consent')
  if (form.gpFeedback) await page.check('#gpFeedback')
  await page.check('#needs')
  await page.fill('#note', form.note)
  await page.check(form.contact)
}
