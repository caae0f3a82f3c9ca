// The one-winner writes on the real database: one winner among racers, recovery from a claim whose winner never
// wrote, real errors thrown rather than taken for a lost race, and spent claims removed.
import { expect } from 'chai'
import { createModels } from '../../../server/data/models'
import {
  CLAIMS_KEPT_MS,
  claimVersion,
  insertOnce,
  removeSpentClaims,
  STALE_CLAIM_MS,
} from '../../../server/data/atomic'
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

  it('inserts once: true for the one insert, false for the same _id again', async () => {
    const models = createModels(database.connection)
    const at = new Date()
    const results = await Promise.all(
      Array.from({ length: 10 }, () => insertOnce(models.RecordClaim, { _id: 'token:once', at })),
    )
    expect(results.filter(Boolean)).to.have.length(1)
    expect(await insertOnce(models.RecordClaim, { _id: 'token:once', at })).to.equal(false)
  })

  it('throws a real failure instead of reporting a lost race', async () => {
    const models = createModels(database.connection)
    let thrown: unknown = null
    await insertOnce(models.RecordClaim, { _id: 'token:bad', at: 'not a date' }).catch((error: unknown) => {
      thrown = error
    })
    expect(thrown).to.be.instanceOf(Error)
    expect(await models.RecordClaim.exists({ _id: 'token:bad' })).to.equal(null)
  })

  it('removes spent claims and keeps recent ones', async () => {
    const models = createModels(database.connection)
    const now = new Date()
    await models.RecordClaim.create({ _id: 'referral:old#2', at: new Date(now.getTime() - CLAIMS_KEPT_MS - 1000) })
    await models.RecordClaim.create({ _id: 'referral:new#2', at: new Date(now.getTime() - 1000) })
    expect(await removeSpentClaims(models, now)).to.be.at.least(1)
    expect(await models.RecordClaim.exists({ _id: 'referral:old#2' })).to.equal(null)
    expect(await models.RecordClaim.exists({ _id: 'referral:new#2' })).to.not.equal(null)
  })
})
