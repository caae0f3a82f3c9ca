import { expect } from 'chai'
import type { ReferralEvent, ReferralRecord } from '../../../server/domain/referral-records'
import {
  CLOSING_REASONS,
  closeStands,
  closingReasonLabel,
  reopenableUntil,
  reopenedStatus,
} from '../../../server/domain/referral-closing'

const HOUR = 3_600_000
const closedAt = new Date('2026-12-07T10:00:00Z')
const event = (from: ReferralEvent['from'], to: ReferralEvent['to'], action: string): ReferralEvent => ({
  id: action,
  at: closedAt,
  by: null,
  action,
  from,
  to,
  reason: null,
  note: null,
})
const closed = {
  open: false,
  status: 'did_not_engage',
  closedAt,
  closedBySide: 'vco',
  events: [
    event('new', 'accepted', 'accept'),
    event('accepted', 'attending', 'attending'),
    event('attending', 'did_not_engage', 'did-not-engage'),
  ],
} as unknown as Pick<ReferralRecord, 'open' | 'status' | 'closedAt' | 'events'> & { closedBySide: 'vco' }

describe('Closing a referral', () => {
  it('offers every closing action a reason list that ends in "Other"', () => {
    for (const [action, reasons] of Object.entries(CLOSING_REASONS)) {
      expect(Object.keys(reasons).at(-1), action).to.equal('other')
    }
    expect(closingReasonLabel('stopped_coming')).to.equal('Stopped coming')
    expect(closingReasonLabel('no_capacity')).to.equal('No capacity')
    expect(closingReasonLabel('moved away')).to.equal('moved away')
  })

  it('lets the side that closed it reopen it within the window, back to the status it closed from', () => {
    expect(reopenableUntil(closed, 'vco', 48, new Date(closedAt.getTime() + 47 * HOUR))).to.deep.equal(
      new Date(closedAt.getTime() + 48 * HOUR),
    )
    expect(reopenedStatus(closed)).to.equal('attending')
  })

  it('refuses the other side, a late reopening, an open referral and a "no response" return', () => {
    expect(reopenableUntil(closed, 'referrer', 48, closedAt)).to.equal(null)
    expect(reopenableUntil(closed, 'vco', 48, new Date(closedAt.getTime() + 49 * HOUR))).to.equal(null)
    expect(reopenableUntil({ ...closed, open: true }, 'vco', 48, closedAt)).to.equal(null)
    expect(reopenableUntil({ ...closed, status: 'no_response' }, 'vco', 48, closedAt)).to.equal(null)
  })

  it('lets a close stand once the window has passed', () => {
    expect(closeStands(closedAt, 48, new Date(closedAt.getTime() + 47 * HOUR))).to.equal(false)
    expect(closeStands(closedAt, 48, new Date(closedAt.getTime() + 48 * HOUR))).to.equal(true)
    expect(closeStands(closedAt, 0, closedAt)).to.equal(true)
  })
})
