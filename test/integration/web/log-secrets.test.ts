// No secret reaches the logs: every single-use link made in this run (invitation, password reset, feedback, listing
// check) is opened and used over HTTP with logging at its most verbose, and the captured lines are searched for it.
import { expect } from 'chai'
import type { LevelWithSilent } from 'pino'
import * as cheerio from 'cheerio'
import request from 'supertest'
import { createModels } from '../../../server/data/models'
import { configureLogger, logger, tapLogs } from '../../../server/logger'
import { paths } from '../../../server/paths'
import { DEMO_REFERRALS } from '../../../server/services/demo-referrals'
import { useTestApp } from '../../helpers/app'
import { csrfTokenFrom, signIn } from '../../helpers/accounts'
import { demoActor } from '../../helpers/referrals'

const SECRET_LINK = /\/(?:invitations|reset-password|feedback|listing-check)\/([A-Za-z0-9_-]{20,})/g

describe('Secrets in logs', () => {
  const lines: string[] = []
  let untap: () => void = () => undefined
  let level = logger().level as LevelWithSilent
  before(() => {
    level = logger().level as LevelWithSilent
    untap = tapLogs((line) => lines.push(line))
    configureLogger('trace')
  })
  after(() => {
    untap()
    // As it was: the lane's log guard (test/helpers/log-guard.ts) captures every line at the most verbose level.
    configureLogger(level)
  })
  const t = useTestApp('log_secrets', { DEMO: 'true', PUBLIC_URL: 'http://loopwell.test' })

  it('never logs the secret of any link it made, though every link was opened, used and misused', async function () {
    this.timeout(120_000)
    const admin = await signIn(t.app, 'admin@demo.loopwell.test')
    const adminCsrf = await csrfTokenFrom(admin, paths.adminInvite)
    await admin
      .post(paths.adminInvite)
      .type('form')
      .send({ _csrf: adminCsrf, name: 'New Person', email: 'new.person@example.org', roles: 'admin' })
      .expect(303)
    const anon = request.agent(t.app)
    const forgotCsrf = await csrfTokenFrom(anon, paths.forgotPassword)
    await anon
      .post(paths.forgotPassword)
      .type('form')
      .send({ _csrf: forgotCsrf, email: 'vco.member@demo.loopwell.test' })
      .expect(200)
    await t.services.accounts.settled()
    const feedback = await t.services.personFeedback.issue(
      demoActor('link-worker'),
      DEMO_REFERRALS.attending,
      { channel: 'copy' },
      null,
    )
    await t.services.freshness.runReminders(new Date(Date.now() + 3 * 365 * 86_400_000))

    const { MailMessage } = createModels(t.connection)
    const texts = [feedback.url, ...(await MailMessage.find({}).lean()).map((m) => String(m.text))]
    const links = [...new Set(texts.flatMap((text) => [...text.matchAll(SECRET_LINK)].map((m) => m[0])))]
    const secrets = links.map((link) => link.split('/').pop()!)
    expect(links.map((l) => l.split('/')[1])).to.include.members([
      'invitations',
      'reset-password',
      'feedback',
      'listing-check',
    ])

    for (const link of links) {
      const visitor = request.agent(t.app)
      const page = await visitor.get(link)
      expect(page.status, link).to.be.below(500)
      const _csrf = String(cheerio.load(page.text)('input[name="_csrf"]').first().val() ?? '')
      const wrong = await visitor.post(link).type('form').send({ _csrf, password: 'x', confirmPassword: 'y' })
      expect(wrong.status, link).to.be.below(500)
      await visitor.post(link).type('form').send({ password: 'no csrf token' })
      await visitor.get(`${link}x`)
      await visitor.get(`${link}/%ZZ`)
      await visitor.post(link).set('content-type', 'application/json').set('x-csrf-token', _csrf).send('{"broken')
      await visitor.get(`${link}?answer=accurate`)
    }

    const log = lines.join('')
    expect(log, 'the requests were logged').to.contain('/[redacted]')
    for (const secret of secrets) expect(log.includes(secret), `a secret of ${secrets.length}`).to.equal(false)
  })
})
