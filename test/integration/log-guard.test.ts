// The lane's log guard (test/helpers/log-guard.ts) itself: it must fail a file whose logs hold personal data or a
// secret, and pass one whose logs hold none. Lines are logged through the app's own logger, as the app logs them.
import { expect } from 'chai'
import { createLogger } from '../../server/logger'
import { checkLogs } from '../helpers/log-guard'
import { useTestDatabase } from '../helpers/database'

describe('The log guard of the integration and hostile lanes', () => {
  const database = useTestDatabase('log_guard')
  const log = createLogger('log-guard-test')

  before(async () => {
    await database.connection.collection('people').insertOne({
      _id: 'person' as never,
      givenName: 'Quillon',
      familyName: 'Xanthopoulos',
      nhsNumber: '9434765919',
      phone: '07700 900777',
      address: '77 Zephyr Mews',
    })
    await database.connection.collection('mail_outbox').insertOne({
      _id: 'mail' as never,
      text: 'Choose a password: http://loopwell.test/invitations/AbCdEfGhIjKlMnOpQrStUv123',
    })
  })

  async function failure(): Promise<string> {
    try {
      await checkLogs(database.connection)
    } catch (error) {
      return (error as Error).message
    }
    return ''
  }

  it('fails on a name, an NHS number, an email, a password, a phone number, an address or a secret', async () => {
    const cases: [() => void, string][] = [
      [() => log.info({ who: 'Quillon Xanthopoulos' }, 'referral made'), "a person's name"],
      [() => log.warn('could not reach Xanthopoulos'), "a person's family name"],
      [() => log.info({ n: 'nhs 943 476 5919' }, 'lookup'), 'an NHS number'],
      [() => log.info({ to: 'someone@example.org' }, 'mail sent'), 'an email address'],
      [() => log.info({ password: 'hunter2' }, 'form'), 'a password field'],
      [() => log.info({ phone: '07700 900777' }, 'text sent'), "a person's phone"],
      [() => log.info('letter to 77 Zephyr Mews'), "a person's address"],
      [() => log.info({ path: '/reset-password/AbCdEfGhIjKlMnOpQrSt' }, 'request'), 'the secret of a single-use link'],
      [() => log.info('token AbCdEfGhIjKlMnOpQrStUv123 used'), 'the secret of a link'],
    ]
    for (const [logIt, what] of cases) {
      logIt()
      expect(await failure(), what).to.contain(what)
    }
  })

  it('passes logs with none of them: request lines with redacted secrets, ids and counts', async () => {
    log.info({ path: '/invitations/[redacted]', statusCode: 200, ms: 12 }, 'request completed')
    log.info({ referralId: '0b7c3f0e-8a55-4d7e-9a43-2f1f7c1f2a10', facts: 1234567890 }, 'report facts built')
    expect(await failure()).to.equal('')
  })
})
