import { expect } from 'chai'
import type { Schedule } from '../../../server/domain/directory-records'
import { describeSchedule, formatTime, nextOpening } from '../../../server/services/schedule'

function schedule(overrides: Partial<Schedule>): Schedule {
  return {
    id: 's',
    location_id: null,
    freq: 'WEEKLY',
    interval: 1,
    byday: 'SA',
    bymonthday: null,
    opens_at: '10:00',
    closes_at: '12:00',
    valid_from: null,
    valid_to: null,
    description: null,
    attending_type: null,
    notes: null,
    ...overrides,
  }
}

describe('schedules', () => {
  describe('formatTime', () => {
    it('writes times the NHS way', () => {
      expect(formatTime('10:00')).to.equal('10am')
      expect(formatTime('13:30')).to.equal('1:30pm')
      expect(formatTime('12:00')).to.equal('midday')
      expect(formatTime('00:00')).to.equal('midnight')
    })
  })

  describe('describeSchedule', () => {
    it('describes weekly, monthly and free-text times', () => {
      expect(describeSchedule(schedule({}))).to.equal('Every Saturday, 10am to midday')
      expect(describeSchedule(schedule({ byday: 'MO,WE,FR', opens_at: '18:00', closes_at: '19:30' }))).to.equal(
        'Every Monday, Wednesday and Friday, 6pm to 7:30pm',
      )
      expect(describeSchedule(schedule({ freq: 'MONTHLY', byday: '1TU' }))).to.equal(
        'First Tuesday of the month, 10am to midday',
      )
      expect(describeSchedule(schedule({ freq: 'MONTHLY', byday: '-1FR' }))).to.equal(
        'Last Friday of the month, 10am to midday',
      )
      expect(describeSchedule(schedule({ freq: null, byday: null, description: 'By appointment' }))).to.equal(
        'By appointment',
      )
    })
  })

  describe('nextOpening', () => {
    // Wednesday 4 March 2026, 09:00 in London (GMT).
    const wednesday = new Date('2026-03-04T09:00:00Z')

    it('finds the next weekly session', () => {
      expect(nextOpening([schedule({})], wednesday)).to.deep.equal({
        date: '2026-03-07',
        opensAt: '10:00',
        closesAt: '12:00',
      })
    })

    it('counts a session later today, but not one that has closed', () => {
      expect(nextOpening([schedule({ byday: 'WE' })], wednesday)?.date).to.equal('2026-03-04')
      expect(nextOpening([schedule({ byday: 'WE' })], new Date('2026-03-04T12:30:00Z'))?.date).to.equal('2026-03-11')
    })

    it('finds the right week for a monthly session', () => {
      expect(nextOpening([schedule({ freq: 'MONTHLY', byday: '1TU' })], wednesday)?.date).to.equal('2026-04-07')
      expect(nextOpening([schedule({ freq: 'MONTHLY', byday: '-1FR' })], wednesday)?.date).to.equal('2026-03-27')
    })

    it('takes the earliest of several schedules, in UK time across the clock change', () => {
      const summer = new Date('2026-06-30T23:30:00Z') // 00:30 on Wednesday 1 July in London
      expect(nextOpening([schedule({ byday: 'FR' }), schedule({ byday: 'WE' })], summer)?.date).to.equal('2026-07-01')
    })

    it('returns null when there is no regular time', () => {
      expect(nextOpening([schedule({ freq: null, byday: null })], wednesday)).to.equal(null)
    })
  })
})
