import { expect } from 'chai'
import { gpFilterFlags } from '../../../server/domain/gp-filters'

describe('gpFilterFlags', () => {
  it('marks "did not engage" for a referral closed so, or with a missed session, not one declined', () => {
    expect(gpFilterFlags({ status: 'did_not_engage' }).gpDidNotEngage).to.equal(true)
    expect(gpFilterFlags({ status: 'attending', sessions: [{ attended: true }, { attended: false }] })).to.include({
      gpDidNotEngage: true,
    })
    expect(gpFilterFlags({ status: 'attending', sessions: [{ attended: true }] }).gpDidNotEngage).to.equal(false)
    expect(gpFilterFlags({ status: 'declined', sessions: [] }).gpDidNotEngage).to.equal(false)
  })

  it('marks "no benefit" from the person\'s view first, else the worker\'s, and not before either has said', () => {
    const flag = (outcome: unknown) => gpFilterFlags({ status: 'completed', outcome }).gpNoBenefit
    expect(flag(null)).to.equal(false)
    expect(flag({ worker: { helped: 'not_really' } })).to.equal(true)
    expect(flag({ worker: { helped: 'a_little' } })).to.equal(false)
    expect(flag({ person: { helped: 'a_lot' }, worker: { helped: 'not_at_all' } })).to.equal(false)
    expect(flag({ person: { helped: 'not_sure' }, worker: { helped: 'a_lot' } })).to.equal(true)
  })
})
