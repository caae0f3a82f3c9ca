import { expect } from 'chai'
import { createReferralOutcomeRepository } from '../../../server/data/repositories/referral-outcome.repository'
import { createReferralRepository } from '../../../server/data/repositories/referral.repository'
import { useTestDatabase } from '../../helpers/database'

describe('An outcome save racing a status change on the same referral', () => {
  const db = useTestDatabase('referral_outcome_race')

  it('lets exactly one of them write each version, so neither silently overwrites the other', async () => {
    const referrals = createReferralRepository(db.connection)
    const outcomes = createReferralOutcomeRepository(db.connection)
    const collection = db.connection.collection<{
      _id: string
      status: string
      version: number
      submittedAt: Date
      outcome?: unknown
    }>('referrals')
    for (let round = 0; round < 10; round++) {
      const id = `race-${round}`
      await collection.insertOne({ _id: id, status: 'accepted', version: 3, submittedAt: new Date() })
      const [saved, moved] = await Promise.all([
        outcomes.saveOutcome(id, 3, { workerView: 'helped' }),
        referrals.transition(id, { status: 'accepted', version: 3 }, { set: { status: 'attending' } }),
      ])
      expect([saved, moved].filter(Boolean), `round ${round}`).to.have.length(1)
      const doc = await collection.findOne({ _id: id })
      expect(doc?.version).to.equal(4)
      expect(doc?.status === 'attending').to.equal(moved)
      expect(doc?.outcome !== undefined).to.equal(saved)
    }
  })
})
