import { expect } from 'chai'
import { createAccountRepository } from '../../../server/data/repositories/account.repository'
import { useTestDatabase } from '../../helpers/database'

describe('AccountRepository › useToken', () => {
  const db = useTestDatabase('account_token')
  const now = new Date('2026-06-01T12:00:00Z')

  it('lets a single-use link be used by exactly one of several requests arriving at once', async () => {
    const accounts = createAccountRepository(db.connection)
    for (let round = 0; round < 5; round++) {
      const id = `token-${round}`
      await accounts.insertToken({
        id,
        purpose: 'password-reset',
        userId: 'u1',
        expiresAt: new Date(now.getTime() + 3_600_000),
        usedAt: null,
        createdBy: null,
      })
      const results = await Promise.all(Array.from({ length: 6 }, () => accounts.useToken(id, 'password-reset', now)))
      expect(results.filter(Boolean), `round ${round}`).to.have.length(1)
      expect(await accounts.useToken(id, 'password-reset', now)).to.equal(false)
    }
  })

  it('refuses an expired link or one for another purpose', async () => {
    const accounts = createAccountRepository(db.connection)
    await accounts.insertToken({
      id: 'old',
      purpose: 'password-reset',
      userId: 'u1',
      expiresAt: new Date(now.getTime() - 1),
      usedAt: null,
      createdBy: null,
    })
    expect(await accounts.useToken('old', 'password-reset', now)).to.equal(false)
    expect(await accounts.useToken('token-0', 'invitation', now)).to.equal(false)
  })
})
