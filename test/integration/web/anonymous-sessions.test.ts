// Anonymous visitors cost no session: pages with forms use a signed double-submit CSRF token instead, and the
// forms still refuse a token made for another visitor.
import { expect } from 'chai'
import request from 'supertest'
import { pathFor, paths } from '../../../server/paths'
import { useTestApp } from '../../helpers/app'
import { csrfTokenFrom, signIn } from '../../helpers/accounts'

const LISTING = '2097ea16-d796-54d2-8f38-718a3129255b'

describe('Anonymous visitors and sessions', () => {
  const t = useTestApp('anonymous_sessions', { DEMO: 'true' })
  const sessions = () => t.connection.db!.collection('sessions').countDocuments()

  it('stores no session for 100 anonymous views of pages with forms', async function () {
    this.timeout(120_000)
    const before = await sessions()
    const pages = [paths.signIn, paths.forgotPassword, pathFor(paths.reportService, { id: LISTING })]
    for (let i = 0; i < 100; i++) {
      const res = await request(t.app).get(pages[i % pages.length]!)
      expect(res.status).to.equal(200)
      expect(res.text).to.contain('name="_csrf"')
    }
    expect(await sessions()).to.equal(before)
  })

  it('accepts an anonymous form with its own token, still without a session, and refuses another visitor’s token', async () => {
    const before = await sessions()
    const visitor = request.agent(t.app)
    const _csrf = await csrfTokenFrom(visitor, paths.forgotPassword)
    expect(_csrf).to.match(/^a\./)
    await visitor.post(paths.forgotPassword).type('form').send({ _csrf, email: 'nobody@example.org' }).expect(200)
    expect(await sessions()).to.equal(before)

    const other = request.agent(t.app)
    await csrfTokenFrom(other, paths.forgotPassword)
    await other.post(paths.forgotPassword).type('form').send({ _csrf, email: 'nobody@example.org' }).expect(403)
    await request(t.app)
      .post(paths.forgotPassword)
      .type('form')
      .send({ _csrf, email: 'nobody@example.org' })
      .expect(403)
  })

  it('makes a session at sign-in, whose forms then need the session’s own token', async () => {
    const before = await sessions()
    const agent = await signIn(t.app, 'link.worker@demo.loopwell.test')
    expect(await sessions()).to.equal(before + 1)
    const anonymous = await csrfTokenFrom(request.agent(t.app), paths.signIn)
    await agent.post(paths.signOut).type('form').send({ _csrf: anonymous }).expect(403)
    const own = await csrfTokenFrom(agent, paths.account)
    expect(own).to.not.match(/^a\./)
    await agent.post(paths.signOut).type('form').send({ _csrf: own }).expect(303)
    await t.services.accounts.settled()
  })
})
