import { expect } from 'chai'
import { addMonths, addWorkingDays, computeClocks, overdueSteps } from '../../../server/domain/referral-clocks'

const at = (iso: string) => new Date(iso)

describe('Referral clocks', () => {
  describe('addWorkingDays', () => {
    for (const [behaviour, from, next] of [
      ['skips the weekend: Friday + 1 working day is Monday', '2026-03-13T10:00:00Z', '2026-03-16T10:00:00.000Z'],
      ['is the next day midweek', '2026-03-10T10:00:00Z', '2026-03-11T10:00:00.000Z'],
      ['starts a weekend referral on Monday', '2026-03-14T10:00:00Z', '2026-03-17T10:00:00.000Z'],
      // 25 December is a Friday; Boxing Day falls on a Saturday, so Monday 28 December is its substitute.
      [
        'skips bank holidays in England and Wales: Christmas Eve + 1 working day is the 29th in 2026',
        '2026-12-24T10:00:00Z',
        '2026-12-29T10:00:00.000Z',
      ],
      ['skips Good Friday and Easter Monday', '2026-04-02T10:00:00+01:00', '2026-04-07T09:00:00.000Z'],
      [
        'counts days in UK time: 23:30 UTC on a Sunday in summer is already Monday in London',
        '2026-06-14T23:30:00Z',
        '2026-06-15T23:30:00.000Z',
      ],
    ] as const)
      it(behaviour, () => {
        expect(addWorkingDays(at(from), 1).toISOString()).to.equal(next)
      })
  })

  it('adds a month, keeping to the end of a shorter month and to the local time across the clock change', () => {
    expect(addMonths(at('2026-01-31T09:00:00Z'), 1).toISOString()).to.equal('2026-02-28T09:00:00.000Z')
    // 09:00 GMT in March is 09:00 BST (08:00 UTC) in April.
    expect(addMonths(at('2026-03-15T09:00:00Z'), 1).toISOString()).to.equal('2026-04-15T08:00:00.000Z')
  })

  it('uses the source documents’ targets by default: 1 working day, 5 days, 15 days, 1 month, 14 days', () => {
    const c = computeClocks(at('2026-03-10T10:00:00Z'))
    expect(c.acknowledgeBy.toISOString()).to.equal('2026-03-11T10:00:00.000Z')
    expect(c.contactBy.toISOString()).to.equal('2026-03-15T10:00:00.000Z')
    expect(c.outcomeBy.toISOString()).to.equal('2026-03-25T10:00:00.000Z')
    expect(c.reviewAt.toISOString()).to.equal('2026-04-10T09:00:00.000Z')
    expect(c.returnAt.toISOString()).to.equal('2026-03-24T10:00:00.000Z')
  })

  it('takes configured targets', () => {
    const c = computeClocks(at('2026-03-10T10:00:00Z'), {
      acknowledgeWorkingDays: 2,
      contactDays: 3,
      outcomeDays: 10,
      reviewMonths: 2,
      returnDays: 7,
      escalateHours: 1,
    })
    expect(c.acknowledgeBy.toISOString()).to.equal('2026-03-12T10:00:00.000Z')
    expect(c.reviewAt.toISOString()).to.equal('2026-05-10T09:00:00.000Z')
  })

  describe('overdueSteps', () => {
    const clocks = computeClocks(at('2026-03-10T10:00:00Z'))
    it('names each step past its time that is not done', () => {
      const state = { status: 'new', clocks, acknowledgedAt: null, firstContactAt: null }
      expect(overdueSteps(state, at('2026-03-11T09:00:00Z'))).to.deep.equal([])
      expect(overdueSteps(state, at('2026-03-12T09:00:00Z'))).to.deep.equal(['acknowledge'])
      expect(overdueSteps(state, at('2026-03-16T09:00:00Z'))).to.deep.equal(['acknowledge', 'contact'])
    })
    it('never flags a closed referral', () => {
      const state = { status: 'completed', clocks, acknowledgedAt: null, firstContactAt: null }
      expect(overdueSteps(state, at('2026-05-01T09:00:00Z'))).to.deep.equal([])
    })
  })
})
