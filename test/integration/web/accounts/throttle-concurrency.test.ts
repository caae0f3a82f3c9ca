// Sign-in lockout, the per-network limit and single-use links under concurrency: every attempt counts and a link is
// used once, whatever the interleaving.
import { expect } from 'chai'
import request from 'supertest'
import { createMailer } from '../../../../server/data/mail/create-mailer'
import { createModels } from '../../../../server/data/models'
import {
  createAccountRepository,
  type AccountRepository,
} from '../../../../server/data/repositories/account.repository'
import { createAuditRepository } from '../../../../server/data/repositories/audit.repository'
import { createAccountService } from '../../../../server/services/account.service'
import { createAuditService } from '../../../../server/services/audit.service'
import { DEMO_PASSWORD } from '../../../../server/services/demo-accounts'
import { useTestApp } from '../../../helpers/app'
import { csrfTokenFrom } from '../../../helpers/accounts'
import { useTestDatabase } from '../../../helpers/database'

const GP = 'gp@demo.loopwell.test'

/** Resolves every waiter once `size` have arrived: forces all of one step to happen before any of the next. */
function barrier(size: number) {
  let arrived = 0
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return async () => {
    if (++arrived >= size) open()
    await opened
  }
}

describe('Accounts under concurrency: sign-in throttling and single-use links', () => {
  describe('over HTTP', () => {
    const t = useTestApp('throttle_http', { DEMO: 'true', SIGN_IN_MAX_FAILURES: '5' })

    it('locks an account after 25 simultaneous wrong passwords: at most 5 are checked, none answers 500', async function () {
      this.timeout(120_000)
      const agents = await Promise.all(
        Array.from({ length: 25 }, async () => {
          const agent = request.agent(t.app)
          return { agent, _csrf: await csrfTokenFrom(agent, '/sign-in') }
        }),
      )
      const statuses = await Promise.all(
        agents.map(({ agent, _csrf }, i) =>
          agent
            .post('/sign-in')
            .type('form')
            .send({ _csrf, email: GP, password: `wrong-guess-${i}` }),
        ),
      ).then((all) => all.map((r) => r.status))
      expect(statuses.filter((s) => s !== 401 && s !== 429)).to.deep.equal([])
      expect(statuses.filter((s) => s === 401).length).to.be.at.most(4)
      const { events } = await t.services.audit.search({ user: GP })
      expect(events.filter((e) => e.action === 'sign-in.failure').length).to.be.at.most(5)

      const right = agents[0]!
      const res = await right.agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: right._csrf, email: GP, password: DEMO_PASSWORD })
      expect(res.status).to.equal(429)
    })
  })

  describe('with forced interleavings', () => {
    const database = useTestDatabase('throttle_forced')

    /** The account service on the real database, with a pause between recording attempts and counting them. */
    async function serviceWith(pause: { beforeCount?: () => Promise<void>; beforeUse?: () => Promise<void> }) {
      const models = createModels(database.connection)
      const real = createAccountRepository(database.connection, models)
      const accounts: AccountRepository = {
        ...real,
        countAttempts: async (key, since) => {
          await pause.beforeCount?.()
          return real.countAttempts(key, since)
        },
        useToken: async (id, purpose, now) => {
          await pause.beforeUse?.()
          return real.useToken(id, purpose, now)
        },
      }
      const audit = createAuditService({
        audit: createAuditRepository(database.connection, models),
        findUserIdByEmail: async (email) => (await real.findUserByEmail(email))?.id ?? null,
      })
      const service = createAccountService({
        accounts,
        audit,
        mailer: createMailer({ from: 'test@example.org', connection: database.connection, models }).mailer,
        settings: {
          publicUrl: 'http://localhost',
          invitationMs: 86_400_000,
          passwordResetMs: 3_600_000,
          signIn: { maxFailures: 5, lockMs: 15 * 60_000, perNetworkPer15Minutes: 10 },
        },
      })
      return { service, audit, real, models }
    }

    async function user(service: Awaited<ReturnType<typeof serviceWith>>['service'], email: string) {
      await service.ensureUser({
        id: email,
        email,
        name: 'Test',
        password: DEMO_PASSWORD,
        roles: ['admin'],
        memberships: [],
      })
    }

    it('all 25 recorded before any is counted: every guess is refused unchecked, and the right password too', async function () {
      this.timeout(120_000)
      const { service, audit } = await serviceWith({ beforeCount: barrier(25) })
      const email = 'all-first@example.org'
      await user(service, email)
      const outcomes = await Promise.all(
        Array.from({ length: 25 }, (_, i) => service.signIn({ email, password: `guess-${i}`, ip: null })),
      )
      expect(outcomes.map((o) => o.outcome)).to.deep.equal(Array(25).fill('locked'))
      const { events } = await audit.search({ user: email })
      expect(events.filter((e) => e.action === 'sign-in.failure')).to.have.length(0)
      const after = await serviceWith({})
      expect((await after.service.signIn({ email, password: DEMO_PASSWORD, ip: null })).outcome).to.equal('locked')
    })

    it('each counted straight after its own record, in turn: exactly 5 are checked, the 5th locks', async function () {
      this.timeout(120_000)
      let turn = Promise.resolve()
      const { service, audit } = await serviceWith({})
      const email = 'in-turn@example.org'
      await user(service, email)
      const outcomes: string[] = []
      await Promise.all(
        Array.from({ length: 12 }, (_, i) => {
          const mine = turn.then(() => service.signIn({ email, password: `guess-${i}`, ip: null }))
          turn = mine.then((o) => void outcomes.push(o.outcome))
          return mine
        }),
      )
      expect(outcomes).to.deep.equal([...Array(4).fill('invalid'), ...Array(8).fill('locked')])
      const { events } = await audit.search({ user: email })
      expect(events.filter((e) => e.action === 'sign-in.failure')).to.have.length(5)
    })

    it('the per-network limit: of 30 simultaneous forms from one address, never more than 10 are let through', async function () {
      this.timeout(120_000)
      const { service } = await serviceWith({ beforeCount: barrier(30) })
      const allowed = await Promise.all(Array.from({ length: 30 }, () => service.networkAttemptAllowed('192.0.2.7')))
      // All counted after all were recorded: every one sees 30, so none passes; the limit never lets more through.
      expect(allowed.filter(Boolean)).to.have.length(0)
      const fresh = await serviceWith({})
      const one = await Promise.all(Array.from({ length: 30 }, () => fresh.service.networkAttemptAllowed('192.0.2.8')))
      expect(one.filter(Boolean).length).to.be.at.most(10)
    })

    it('an invitation link used by 8 requests at once, all past the check before any uses it: one sets the password', async function () {
      this.timeout(120_000)
      const { service, models } = await serviceWith({ beforeUse: barrier(8) })
      await service.ensureUser({
        id: 'inviter',
        email: 'inviter@example.org',
        name: 'Inviter',
        password: DEMO_PASSWORD,
        roles: ['admin'],
        memberships: [],
      })
      const admin = { id: 'inviter', email: 'inviter@example.org', roles: ['admin' as const], memberships: [] }
      await service.invite(
        admin,
        { name: 'New', email: 'invitee@example.org', roles: ['admin'], memberships: [] },
        null,
      )
      const mail = await models.MailMessage.findOne({ to: 'invitee@example.org' }).lean()
      const secret = /\/invitations\/([A-Za-z0-9_-]+)/.exec(String(mail?.text))![1]!
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) => service.acceptInvitation(secret, `a new passphrase number ${i}`, null)),
      )
      expect(outcomes.filter(Boolean)).to.have.length(1)
    })
  })
})
