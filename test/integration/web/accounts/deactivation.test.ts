// Switching a leaver's account off and on again, over HTTP on the real database: by an admin for anyone, by a VCO
// manager for their own organisation's members only. A confirmation page first; the user's sessions end at once;
// they cannot sign in or use a link we sent; every change is audited.
import * as cheerio from 'cheerio'
import { expect } from 'chai'
import request from 'supertest'
import { nameUuid } from '../../../../server/domain/ids'
import { DEMO_PASSWORD, DEMO_VCO } from '../../../../server/services/demo-accounts'
import { useTestApp } from '../../../helpers/app'
import { useSignedIn, csrfTokenFrom, signIn } from '../../../helpers/accounts'

const ADMIN = 'admin@demo.loopwell.test'
const VCO_MEMBER = 'vco.member@demo.loopwell.test'
const VCO_MANAGER = 'vco.manager@demo.loopwell.test'
const userId = (key: string) => nameUuid(`demo:user:${key}`)

describe('Deactivating and reactivating accounts', () => {
  const t = useTestApp('accounts_deactivation', { DEMO: 'true' })
  const admin = useSignedIn(t, ADMIN)
  const manager = useSignedIn(t, VCO_MANAGER)

  const signInAnswer = async (email: string) => {
    const agent = request.agent(t.app)
    const _csrf = await csrfTokenFrom(agent, '/sign-in')
    return agent.post('/sign-in').type('form').send({ _csrf, email, password: DEMO_PASSWORD })
  }
  const audited = async (recordId: string) =>
    (await t.services.audit.search({ recordId, page: 1 })).events
      .filter((e) => e.action.startsWith('account.'))
      .map((e) => e.action)

  it('lets an admin deactivate a user after a confirmation page: their session ends and they cannot sign in', async () => {
    const member = await signIn(t.app, VCO_MEMBER)
    await member.get('/referrals/inbox').expect(200)

    const user = cheerio.load((await admin.get(`/admin/users/${userId('vco-member')}`).expect(200)).text)
    const link = user(`a[href="/admin/users/${userId('vco-member')}/status"]`)
    expect(link.text()).to.contain('Deactivate')
    const confirm = cheerio.load((await admin.get(link.attr('href')!).expect(200)).text)
    expect(confirm('h1').text()).to.contain('Deactivate')
    expect(confirm('main').text()).to.contain('signed out everywhere at once')

    // Without the form's token nothing changes.
    await admin.post(link.attr('href')!).type('form').send({ status: 'disabled' }).expect(403)
    await member.get('/referrals/inbox').expect(200)

    const res = await admin
      .post(link.attr('href')!)
      .type('form')
      .send({ _csrf: String(confirm('input[name="_csrf"]').val()), status: 'disabled' })
      .expect(303)
    const after = cheerio.load((await admin.get(res.headers.location!).expect(200)).text)
    expect(after('.nhsuk-inset-text').text()).to.contain('Account deactivated')
    expect(after('.nhsuk-summary-list').text()).to.contain('Deactivated')

    const ended = await member.get('/referrals/inbox')
    expect(ended.status).to.equal(303)
    expect(ended.headers.location).to.match(/^\/sign-in/)
    expect((await signInAnswer(VCO_MEMBER)).status).to.equal(401)
    // A password reset link for a deactivated account is never sent.
    t.services.accounts.requestPasswordReset(VCO_MEMBER, null)
    await t.services.accounts.settled()
    expect(await audited(userId('vco-member'))).to.deep.equal(['account.deactivated'])
  })

  it('lets a VCO manager reactivate a member of their own organisation from the colleagues page', async () => {
    const colleagues = `/organisations/${DEMO_VCO.id}/colleagues`
    const $ = cheerio.load((await manager.get(colleagues).expect(200)).text)
    const row = $('tr').filter((_, tr) => $(tr).text().includes(VCO_MEMBER))
    expect(row.text()).to.contain('Deactivated')
    const link = row.find('a')
    expect(link.text()).to.contain('Reactivate')
    const confirm = cheerio.load((await manager.get(link.attr('href')!).expect(200)).text)
    expect(confirm('main').text()).to.contain('sign in again with their password')
    const res = await manager
      .post(link.attr('href')!)
      .type('form')
      .send({ _csrf: String(confirm('input[name="_csrf"]').val()), status: 'active' })
      .expect(303)
    expect(res.headers.location).to.equal(`${colleagues}?status=active`)
    expect((await signInAnswer(VCO_MEMBER)).status).to.equal(303)
    expect(await audited(userId('vco-member'))).to.deep.equal(['account.reactivated', 'account.deactivated'])
  })

  it('does not let a manager change their own account, an admin, or anyone outside their organisation', async () => {
    const $ = cheerio.load((await manager.get(`/organisations/${DEMO_VCO.id}/colleagues`).expect(200)).text)
    const own = $('tr').filter((_, tr) => $(tr).text().includes(VCO_MANAGER))
    expect(own.find('a').length).to.equal(0)
    const _csrf = await csrfTokenFrom(manager, `/organisations/${DEMO_VCO.id}/colleagues`)
    // Someone at another organisation, or an admin, answers as an account that does not exist.
    for (const key of ['link-worker', 'admin']) {
      await manager.get(`/organisations/${DEMO_VCO.id}/colleagues/${userId(key)}/status`).expect(404)
      await manager
        .post(`/organisations/${DEMO_VCO.id}/colleagues/${userId(key)}/status`)
        .type('form')
        .send({ _csrf, status: 'disabled' })
        .expect(404)
    }
    const self = await manager
      .post(`/organisations/${DEMO_VCO.id}/colleagues/${userId('vco-manager')}/status`)
      .type('form')
      .send({ _csrf, status: 'disabled' })
    expect(self.status).to.equal(400)
    expect((await signInAnswer('link.worker@demo.loopwell.test')).status).to.equal(303)
    expect((await signInAnswer(VCO_MANAGER)).status).to.equal(303)
  })

  it('stops an invitation link working once the invited account is deactivated, and sends a new one on reactivation', async () => {
    const actor = { id: userId('admin'), email: ADMIN, roles: ['admin' as const], memberships: [] }
    const invitedId = await t.services.accounts.invite(
      actor,
      { name: 'Leaver Before Starting', email: 'leaver@example.test', roles: ['commissioner'], memberships: [] },
      null,
    )
    const linkIn = async () => {
      const mail = (await t.services.outbox!.list(50)).find((m) => m.to === 'leaver@example.test')!
      return /\/invitations\/[A-Za-z0-9_-]+/.exec(mail.text)![0]
    }
    const first = await linkIn()
    await request(t.app).get(first).expect(200)
    expect(await t.services.accounts.setAccountStatus(actor, invitedId, 'disabled', { ip: null })).to.equal('disabled')
    await request(t.app).get(first).expect(410)
    expect(await t.services.accounts.setAccountStatus(actor, invitedId, 'active', { ip: null })).to.equal('invited')
    await request(t.app).get(first).expect(410)
    await request(t.app)
      .get(await linkIn())
      .expect(200)
  })

  it('does not let an admin deactivate their own account', async () => {
    const user = cheerio.load((await admin.get(`/admin/users/${userId('admin')}`).expect(200)).text)
    expect(user(`a[href$="/status"]`).length).to.equal(0)
    const _csrf = await csrfTokenFrom(admin, `/admin/users/${userId('admin')}/status`)
    const res = await admin
      .post(`/admin/users/${userId('admin')}/status`)
      .type('form')
      .send({ _csrf, status: 'disabled' })
      .expect(400)
    expect(cheerio.load(res.text)('.nhsuk-error-summary').text()).to.contain('You cannot deactivate your own account')
    await admin.get('/admin/users').expect(200)
  })
})
