import { expect } from 'chai'
import * as cheerio from 'cheerio'
import request from 'supertest'
import { DEMO_VCO } from '../../../../server/services/demo-accounts'
import { useTestApp } from '../../../helpers/app'
import { csrfTokenFrom, signIn, formOn, type Agent } from '../../../helpers/accounts'
import { linkIn, useSmtpServer } from '../../../helpers/smtp'

const PUBLIC_URL = 'http://loopwell.test'
const ADMIN = { id: 'x', email: 'x', roles: ['admin' as const], memberships: [] }

describe('Invitations and password resets, by email', () => {
  const smtp = useSmtpServer()
  const t = useTestApp('invitations', () => ({ DEMO: 'true', SMTP_URL: smtp.url, PUBLIC_URL }))
  const path = (link: string) => link.slice(PUBLIC_URL.length)
  /** Sends the set-password form of an invitation or reset `link`, with its page's CSRF token. */
  const setPassword = (agent: Agent, link: string, _csrf: string, password: string, confirmPassword = password) =>
    agent.post(link).type('form').send({ _csrf, password, confirmPassword })

  async function actions(user: string) {
    return (await t.services.audit.search({ user })).events.map((e) => e.action)
  }

  describe('an admin invites a VCO member', () => {
    it('sends a short email with a single-use link; the invitee sets a password and signs in', async () => {
      const admin = await signIn(t.app, 'admin@demo.loopwell.test')
      const _csrf = await csrfTokenFrom(admin, '/admin/invitations/new')
      await admin
        .post('/admin/invitations/new')
        .type('form')
        .send({
          _csrf,
          name: 'Nia New',
          email: 'Nia.New@Example.org',
          roles: 'vco_member',
          vcoOrganisationId: DEMO_VCO.id,
        })
        .expect(303)
      const mail = await smtp.waitFor('nia.new@example.org')
      expect(mail.subject).to.equal('You have been invited to Loopwell')
      expect(mail.text).to.not.contain(DEMO_VCO.name)
      const link = path(linkIn(mail, `${PUBLIC_URL}/invitations/`))

      const invitee = request.agent(t.app)
      const page = await invitee.get(link).expect(200)
      expect(cheerio.load(page.text)('h1').text()).to.equal('Set your password')
      const token = cheerio.load(page.text)('input[name="_csrf"]').val() as string

      const weak = await setPassword(invitee, link, token, 'password1234')
      expect(weak.status).to.equal(400)
      expect(cheerio.load(weak.text)('#password-error').text()).to.contain('common passwords')

      await setPassword(invitee, link, token, 'a tidy green allotment')
        .expect(303)
        .expect('Location', '/sign-in?done=password-set')
      await invitee.get(link).expect(410)

      const member = await signIn(t.app, 'nia.new@example.org', 'a tidy green allotment')
      const account = await member.get('/account').expect(200)
      expect(account.text).to.contain(DEMO_VCO.name)
      expect(await actions('nia.new@example.org')).to.include.members(['invitation.accepted', 'sign-in.success'])
      const nia = (await t.services.accounts.listUsers(ADMIN)).find((u) => u.email === 'nia.new@example.org')!
      const sent = (await t.services.audit.search({ recordId: nia.id, action: 'invitation.sent' })).events
      expect(sent.map((e) => e.actorEmail)).to.deep.equal(['admin@demo.loopwell.test'])
    })

    it('re-renders the form with 400 and writes nothing when the role needs an organisation', async () => {
      const admin = await signIn(t.app, 'admin@demo.loopwell.test')
      const _csrf = await csrfTokenFrom(admin, '/admin/invitations/new')
      const res = await admin
        .post('/admin/invitations/new')
        .type('form')
        .send({ _csrf, name: 'Orphan', email: 'orphan@example.org', roles: 'vco_member' })
        .expect(400)
      const $ = cheerio.load(res.text)
      expect($('.nhsuk-error-summary a').attr('href')).to.equal('#vcoOrganisationId')
      expect($('#email').val()).to.equal('orphan@example.org')
      const users = await t.services.accounts.listUsers(ADMIN)
      expect(users.map((u) => u.email)).to.not.include('orphan@example.org')
      expect(smtp.to('orphan@example.org')).to.deep.equal([])
    })
  })

  describe('an organisation manager invites a colleague', () => {
    it('invites them into the manager’s own organisation as a VCO member', async () => {
      const manager = await signIn(t.app, 'vco.manager@demo.loopwell.test')
      const url = `/organisations/${DEMO_VCO.id}/colleagues`
      const _csrf = await csrfTokenFrom(manager, url)
      await manager.post(url).type('form').send({ _csrf, name: 'Cal Colleague', email: 'cal@example.org' }).expect(303)
      const mail = await smtp.waitFor('cal@example.org')
      const users = await t.services.accounts.listUsers(ADMIN)
      const cal = users.find((u) => u.email === 'cal@example.org')!
      expect(cal.roles).to.deep.equal(['vco_member'])
      expect(cal.memberships.map((m) => [m.organisationId, m.manager])).to.deep.equal([[DEMO_VCO.id, false]])
      expect(linkIn(mail, `${PUBLIC_URL}/invitations/`)).to.match(/\/invitations\/[A-Za-z0-9_-]{40,}$/)
    })
  })

  describe('password reset', () => {
    it('answers the same whether or not the address has an account, and only emails a real account', async () => {
      const form = await formOn(t.app, '/forgot-password')
      const known = await form.post({ email: 'link.worker@demo.loopwell.test' })
      const unknown = await form.post({ email: 'nobody@example.org' })
      expect(known.status).to.equal(200)
      expect(unknown.status).to.equal(200)
      const main = (html: string) => cheerio.load(html)('main').html()
      expect(main(known.text)).to.equal(main(unknown.text))
      await smtp.waitFor('link.worker@demo.loopwell.test')
      expect(smtp.to('nobody@example.org')).to.deep.equal([])
    })

    it('sets a new password from the link once, ends existing sessions, and the old password stops working', async () => {
      const email = 'commissioner@demo.loopwell.test'
      const existing = await signIn(t.app, email)
      const form = await formOn(t.app, '/forgot-password')
      const { agent } = form
      await form.post({ email }).expect(200)
      const mail = await smtp.waitFor(email)
      expect(mail.subject).to.equal('Reset your Loopwell password')
      const link = path(linkIn(mail, `${PUBLIC_URL}/reset-password/`))
      const page = await agent.get(link).expect(200)
      const token = cheerio.load(page.text)('input[name="_csrf"]').val() as string
      const mismatch = await setPassword(agent, link, token, 'sea shells by the shore', 'other')
      expect(mismatch.status).to.equal(400)
      await setPassword(agent, link, token, 'sea shells by the shore').expect(303)
      await setPassword(agent, link, token, 'x').expect(410)
      await existing.get('/account').expect(303)
      const outcome = await t.services.accounts.signIn({ email, password: 'loopwell-demo', ip: null })
      expect(outcome.outcome).to.equal('invalid')
      await signIn(t.app, email, 'sea shells by the shore')
      expect(await actions(email)).to.include.members(['password-reset.requested', 'password-reset.completed'])
    })
  })
})
