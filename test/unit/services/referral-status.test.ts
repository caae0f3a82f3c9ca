import { expect } from 'chai'
import {
  BSER_BUSINESS_STATUS,
  FHIR_TASK_STATUS,
  INBOX_TABS,
  REFERRAL_STATUSES,
  availableActions,
} from '../../../server/domain/referral-status'

describe('Referral statuses', () => {
  it('maps every status onto a FHIR Task status and a BSeR business status', () => {
    const fhir = ['requested', 'received', 'accepted', 'rejected', 'in-progress', 'completed', 'cancelled', 'failed']
    for (const s of REFERRAL_STATUSES) {
      expect(fhir).to.include(FHIR_TASK_STATUS[s])
      expect(BSER_BUSINESS_STATUS[s]).to.be.a('string').and.not.equal('')
    }
  })

  it('puts every status in exactly one inbox tab', () => {
    for (const s of REFERRAL_STATUSES) {
      const tabs = Object.values(INBOX_TABS).filter((list) => (list as readonly string[]).includes(s))
      expect(tabs, s).to.have.length(1)
    }
  })

  it('offers the VCO acknowledge, accept and decline on a new referral, and the referrer only withdraw', () => {
    expect(availableActions('new', 'vco')).to.include.members(['acknowledge', 'accept', 'decline', 'withdraw'])
    expect(availableActions('new', 'referrer')).to.deep.equal(['task-done', 'withdraw'])
  })

  it('offers nothing on a closed referral', () => {
    for (const s of ['completed', 'declined', 'did_not_engage', 'withdrawn', 'no_response'] as const) {
      expect(availableActions(s, 'vco')).to.deep.equal([])
      expect(availableActions(s, 'referrer')).to.deep.equal([])
    }
  })
})
