// Version claims on the real database: one winner among racers, and recovery from a claim whose winner never wrote.
import { expect } from 'chai'
import { createModels } from '../../../server/data/models'
import { claimVersion, STALE_CLAIM_MS } from '../../../server/data/record-claims'
import { useTestDatabase } from '../../helpers/database'

describe('Version claims', () => {
  const database = useTestDatabase('record_claims')

  it('lets exactly one of 20 racers claim a version', async () => {
    const models = createModels(database.connection)
    const now = new Date()
    const results = await Promise.all(Array.from({ length: 20 }, () => claimVersion(models, 'referral:a#2', now)))
    expect(results.filter(Boolean)).to.have.length(1)
  })

  it('lets one racer take over a stale claim when the record never moved on, and nobody when it did', async () => {
    const models = createModels(database.connection)
    const now = new Date()
    await models.RecordClaim.create({ _id: 'referral:b#2', at: new Date(now.getTime() - STALE_CLAIM_MS - 1000) })
    const stuck = await Promise.all(
      Array.from({ length: 10 }, () => claimVersion(models, 'referral:b#2', now, async () => true)),
    )
    expect(stuck.filter(Boolean)).to.have.length(1)

    await models.RecordClaim.create({ _id: 'referral:c#2', at: new Date(now.getTime() - STALE_CLAIM_MS - 1000) })
    expect(await claimVersion(models, 'referral:c#2', now, async () => false)).to.equal(false)

    await models.RecordClaim.create({ _id: 'referral:d#2', at: new Date(now.getTime() - 1000) })
    expect(await claimVersion(models, 'referral:d#2', now, async () => true)).to.equal(false)
  })
})
