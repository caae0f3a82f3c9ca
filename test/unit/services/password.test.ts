import { expect } from 'chai'
import { hashPassword, passwordProblem, verifyPassword } from '../../../server/services/password'

describe('passwords', () => {
  describe('passwordProblem', () => {
    it('asks for 12 characters or more', () => {
      expect(passwordProblem('short one')).to.equal('Password must be 12 characters or more')
    })

    it('refuses common passwords, whatever their case', () => {
      expect(passwordProblem('password1234')).to.match(/common passwords/)
      expect(passwordProblem('PASSWORD1234')).to.match(/common passwords/)
      expect(passwordProblem('aaaaaaaaaaaaaa')).to.match(/common passwords/)
    })

    it('refuses the email address as the password', () => {
      expect(passwordProblem('someone@example.org', { email: 'Someone@example.org' })).to.match(/email address/)
    })

    it('accepts a long passphrase', () => {
      expect(passwordProblem('four quiet river stones')).to.equal(null)
    })
  })

  describe('hashing', () => {
    it('stores argon2id hashes that verify only the right password', async () => {
      const hash = await hashPassword('four quiet river stones')
      expect(hash).to.match(/^\$argon2id\$/)
      expect(await verifyPassword(hash, 'four quiet river stones')).to.equal(true)
      expect(await verifyPassword(hash, 'four quiet river stone')).to.equal(false)
      expect(await verifyPassword('not a hash', 'x')).to.equal(false)
    })
  })
})
