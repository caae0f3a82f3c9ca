/// <reference lib="dom" />
import { expect } from 'chai'
import type { Page } from 'playwright-core'
import { DEMO_PASSWORD, DEMO_PRACTICE, DEMO_TEAM, DEMO_VCO } from '../../server/services/demo-accounts'
import { expectAccessible, signIn, useDemoBrowserWithMail } from '../helpers/browser'
import { linkIn } from '../helpers/smtp'

const ROLES = [
  { role: 'admin', label: 'Admin (directory curator)', select: null },
  { role: 'link_worker', label: 'Link worker', select: ['teamId', DEMO_TEAM.id] },
  { role: 'vco_member', label: 'VCO member', select: ['vcoOrganisationId', DEMO_VCO.id] },
  { role: 'gp_user', label: 'GP practice staff', select: ['practiceId', DEMO_PRACTICE.id] },
  { role: 'commissioner', label: 'Commissioner', select: null },
] as const

describe('Accounts in a browser', () => {
  const b = useDemoBrowserWithMail('browser_accounts')
  const { smtp } = b

  const signInAs = (page: Page, email: string, password: string) => signIn(page, b.baseUrl, email, { password })

  it('shows the demo sign-ins, and an accessible error summary for a failed sign-in', async () => {
    const page = await b.visit('/sign-in')
    expect(await page.textContent('table')).to.contain('admin@demo.loopwell.test')
    await page.fill('#email', 'admin@demo.loopwell.test')
    await page.fill('#password', 'not the password')
    await page.click('button:has-text("Sign in")')
    expect(await page.textContent('.nhsuk-error-summary')).to.contain('Enter a correct email address and password')
    await expectAccessible(page)
  })

  for (const { role, label, select } of ROLES) {
    it(`invite → accept → sign in → sign out works for the role ${label}`, async function () {
      this.timeout(120_000)
      const email = `new.${role}@example.org`
      const page = b.page
      await signInAs(page, 'admin@demo.loopwell.test', DEMO_PASSWORD)
      await b.visit('/admin/invitations/new')
      await page.fill('#name', `New ${label}`)
      await page.fill('#email', email)
      await page.check(`input[name="roles"][value="${role}"]`)
      if (select) await page.selectOption(`#${select[0]}`, select[1])
      await page.click('button:has-text("Send invitation")')
      await page.waitForURL(/\/admin\/users\?invited=1$/)
      await expectAccessible(page)

      const mail = await smtp.waitFor(email)
      const link = linkIn(mail, 'http://loopwell.test/invitations/').replace('http://loopwell.test', '')
      const context = await b.newContext()
      const invitee = await context.newPage()
      await invitee.goto(b.baseUrl + link)
      expect(await invitee.textContent('h1')).to.equal('Set your password')
      await expectAccessible(invitee)
      await invitee.fill('#password', 'short')
      await invitee.fill('#confirmPassword', 'short')
      await invitee.click('button:has-text("Set password")')
      expect(await invitee.textContent('.nhsuk-error-summary')).to.contain('12 characters or more')
      await expectAccessible(invitee)
      await invitee.fill('#password', 'four quiet river stones')
      await invitee.fill('#confirmPassword', 'four quiet river stones')
      await invitee.click('button:has-text("Set password")')
      await invitee.waitForURL(/\/sign-in\?done=password-set$/)
      await expectAccessible(invitee)
      await invitee.fill('#email', email)
      await invitee.fill('#password', 'four quiet river stones')
      await invitee.click('button:has-text("Sign in")')
      await invitee.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
      expect(await invitee.textContent('.nhsuk-header__account')).to.contain(`New ${label}`)
      await expectAccessible(invitee)
      await invitee.click('button:has-text("Sign out")')
      await invitee.waitForURL(/\/sign-in\?done=signed-out$/)
      expect(await invitee.textContent('main')).to.contain('You have signed out.')
      await context.close()
    })
  }

  it('shows an admin the audit log with those events, and every admin page passes axe', async () => {
    const page = b.page
    await signInAs(page, 'admin@demo.loopwell.test', DEMO_PASSWORD)
    await b.visit('/admin/users')
    await b.visit('/admin/outbox')
    await b.visit('/admin/audit?action=invitation.accepted')
    expect(await page.textContent('main')).to.contain('new.gp_user@example.org')
    await b.visit('/admin/audit?from-day=31&from-month=2&from-year=2026', 400)
    for (const action of ['sign-in.success', 'sign-in.failure', 'sign-out', 'invitation.sent']) {
      await b.visit(`/admin/audit?action=${action}`)
      expect(await page.locator('tbody tr').count(), action).to.be.greaterThan(0)
    }
    await page.click('text=Users')
    await page.click('text=Lina Worker')
    await expectAccessible(page)
    await b.visit('/forgot-password')
  })

  it('lets a VCO manager see colleagues and invite one, with accessible pages', async () => {
    const page = b.page
    await signInAs(page, 'vco.manager@demo.loopwell.test', DEMO_PASSWORD)
    await page.click(`text=Colleagues at ${DEMO_VCO.name}`)
    await expectAccessible(page)
    await page.click('button:has-text("Send invitation")')
    expect(await page.textContent('.nhsuk-error-summary')).to.contain('Enter their full name')
    await expectAccessible(page)
  })
})
