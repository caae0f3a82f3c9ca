import { expect } from 'chai'
import * as cheerio from 'cheerio'
import { createModels } from '../../../../server/data/models'
import { useTestApp } from '../../../helpers/app'
import { formOn } from '../../../helpers/accounts'
import { useTestDatabase } from '../../../helpers/database'

describe('Brute-force protection', () => {
  describe('per address', () => {
    const t = useTestApp('brute_force', { DEMO: 'true', AUTH_RATE_LIMIT_PER_15_MINUTES: '4' })

    it('slows one network down after a few attempts, across accounts, with a clear message', async () => {
      const form = await formOn(t.app, '/sign-in')
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) {
        const res = await form.post({ email: `guess${i}@example.org`, password: 'guessing-password' })
        statuses.push(res.status)
        if (res.status === 429) {
          expect(cheerio.load(res.text)('main').text()).to.contain('too many attempts from your network')
        }
      }
      expect(statuses).to.deep.equal([401, 401, 401, 401, 429])
    })
  })

  describe('the audit log', () => {
    const database = useTestDatabase('audit_append_only')

    it('refuses to change or delete an event', async () => {
      const { AuditEvent } = createModels(database.connection)
      await AuditEvent.create({ _id: 'e1', at: new Date(), action: 'sign-in.success' })
      let updateError: unknown
      await AuditEvent.updateOne({ _id: 'e1' }, { $set: { action: 'x' } }).catch((e: unknown) => (updateError = e))
      let deleteError: unknown
      await AuditEvent.deleteOne({ _id: 'e1' }).catch((e: unknown) => (deleteError = e))
      expect(String(updateError)).to.match(/append-only/)
      expect(String(deleteError)).to.match(/append-only/)
      expect((await AuditEvent.findById('e1').lean())?.action).to.equal('sign-in.success')
    })
  })
})
