import { expect } from 'chai'
import {
  generateSyntheticReferrals,
  syntheticCareOrganisations,
} from '../../../server/services/demo/generate-referrals'
import { createModels } from '../../../server/data/models'
import type { ReferralRecord } from '../../../server/domain/referral-records'
import { createReferralRepository } from '../../../server/data/repositories/referral.repository'
import { createSyntheticReferralRepository } from '../../../server/data/repositories/synthetic-referrals.repository'
import { measureChanges, type MeasureRecord } from '../../../server/services/measures/measures'
import { engagementOf, readOutcome } from '../../../server/services/outcomes/outcome'
import { computeClocks } from '../../../server/domain/referral-clocks'
import { DECLINE_REASONS, isOpen, REFERRAL_STATUSES } from '../../../server/domain/referral-status'
import { useTestDatabase } from '../../helpers/database'
import { demoSyntheticServices } from '../../helpers/factories'

const now = new Date('2026-06-01T12:00:00Z')
const services = demoSyntheticServices(now)
const { practices, teams } = syntheticCareOrganisations()
const generate = (seed: number, count: number, batchSize = 500) => {
  const out = { people: [] as unknown[], referrals: [] as ReferralRecord[], signpostings: [] as unknown[] }
  for (const b of generateSyntheticReferrals({ seed, count, services, practices, teams, now, batchSize })) {
    out.people.push(...b.people)
    out.referrals.push(...b.referrals)
    out.signpostings.push(...b.signpostings)
  }
  return out
}

describe('generateSyntheticReferrals', () => {
  const db = useTestDatabase('synthetic_referrals')
  const sample = generate(7, 2000)

  it('makes the same documents from the same seed, whatever the batch size, and others from another seed', () => {
    const again = generate(7, 2000, 300)
    expect(again).to.deep.equal(sample)
    const other = generate(8, 50)
    expect(other.referrals[0]!.id).to.not.equal(sample.referrals[0]!.id)
    expect(sample.referrals).to.have.length(2000)
  })

  it('makes documents that the mongoose models accept as they are', () => {
    const { Person, Referral, Signposting } = createModels(db.connection)
    const check = (model: typeof Person | typeof Referral | typeof Signposting, docs: { id: string }[]) => {
      for (const { id, ...rest } of docs) {
        const error = new model({ _id: id, ...rest }).validateSync()
        expect(error, `${model.modelName} ${id}: ${error?.message}`).to.equal(undefined)
      }
    }
    check(Person, sample.people as { id: string }[])
    check(Referral, sample.referrals)
    check(Signposting, sample.signpostings as { id: string }[])
    expect(sample.signpostings.length).to.be.greaterThan(100)
  })

  it('walks each referral through the real lifecycle: events chain, clocks from the targets, closed iff not open', () => {
    for (const r of sample.referrals) {
      expect(r.events[0]).to.include({ action: 'submit', from: null, to: 'new' })
      r.events.forEach((e, i) => {
        if (i > 0) expect(e.from, r.id).to.equal(r.events[i - 1]!.to)
        if (i > 0) expect(e.at.getTime(), r.id).to.be.at.least(r.events[i - 1]!.at.getTime())
      })
      expect(r.status).to.equal(r.events.at(-1)!.to)
      expect(r.version).to.equal(r.events.length)
      expect(r.clocks).to.deep.equal(computeClocks(r.submittedAt))
      expect(r.open).to.equal(isOpen(r.status))
      expect(r.closedAt === null).to.equal(r.open)
      expect(r.submittedAt.getTime()).to.be.at.most(now.getTime())
      if (r.status === 'declined') expect(Object.keys(DECLINE_REASONS)).to.include(r.declineReason)
      if (r.firstContactAt) expect(r.firstContactAt.getTime()).to.be.at.least(r.submittedAt.getTime())
    }
  })

  it('spreads referrals across the lifecycle in plausible proportions', () => {
    const share = (test: (r: ReferralRecord) => boolean) =>
      sample.referrals.filter(test).length / sample.referrals.length
    for (const status of REFERRAL_STATUSES)
      expect(
        share((r) => r.status === status),
        status,
      ).to.be.greaterThan(0)
    expect(share((r) => r.status === 'completed')).to.be.within(0.3, 0.75)
    expect(share((r) => r.status === 'declined')).to.be.within(0.05, 0.3)
    expect(share((r) => r.declineReason === 'no_capacity')).to.be.greaterThan(0.02)
    expect(share((r) => r.status === 'did_not_engage')).to.be.within(0.03, 0.25)
    const months = new Set(sample.referrals.map((r) => r.submittedAt.toISOString().slice(0, 7)))
    expect(months.size).to.be.at.least(17)
    expect(new Set(sample.referrals.map((r) => r.practiceId)).size).to.equal(practices.length)
  })

  it('gives completed referrals an outcome and SWEMWBS before and after, as closing the loop stores them', () => {
    const completed = sample.referrals.filter((r) => r.status === 'completed')
    for (const r of completed) expect(engagementOf(r).state).to.equal('engaged')
    const withView = completed.filter((r) => readOutcome(r.outcome).worker ?? readOutcome(r.outcome).person)
    expect(withView.length).to.be.greaterThan(completed.length * 0.9)
    const withChange = completed.filter((r) => measureChanges(r.measures as unknown as MeasureRecord[])[0]?.followUp)
    expect(withChange.length).to.be.greaterThan(completed.length / 3)
    expect(completed.some((r) => readOutcome(r.outcome).unmetNeeds.length > 0)).to.equal(true)
  })

  it('inserts into the database once: a re-run with the same seed adds nothing', async function () {
    this.timeout(60_000)
    const repo = createSyntheticReferralRepository(db.connection)
    const [batch] = [...generateSyntheticReferrals({ seed: 3, count: 200, services, practices, teams, now })]
    const first = await repo.insertBatch(batch!)
    expect(first.referrals).to.equal(200)
    expect(first.people).to.equal(batch!.people.length)
    const second = await repo.insertBatch(batch!)
    expect(second).to.deep.equal({ people: 0, referrals: 0, signpostings: 0, episodes: 0 })
    const stored = await createReferralRepository(db.connection).get(batch!.referrals[0]!.id)
    expect(stored?.events).to.deep.equal(batch!.referrals[0]!.events)
    expect(stored?.origin).to.equal('demo')
  })
})
