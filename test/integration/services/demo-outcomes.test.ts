// Demo outcomes: seeded at start in demo mode, once, so the GP demo login sees an outcome and its summary.
import { expect } from 'chai'
import { pathFor } from '../../../server/paths'
import { DEMO_PEOPLE, DEMO_REFERRALS } from '../../../server/services/demo-referrals'
import { useTestApp } from '../../helpers/app'
import { signIn } from '../../helpers/accounts'
import { demoActor } from '../../helpers/referrals'

describe('Demo outcomes', () => {
  const t = useTestApp('demo_outcomes', { DEMO: 'true' })

  it('gives the completed demo referral SWEMWBS before and after, and seeds it only once', async () => {
    const worker = demoActor('link-worker')
    const first = await t.services.outcomes.forReferral(worker, DEMO_REFERRALS.completed, null)
    expect(first.measures).to.have.length(1)
    expect(first.measures[0]!.instrumentId).to.equal('swemwbs')
    expect(first.measures[0]!.followUp).not.to.equal(null)
    expect(first.outcome.person?.helped).to.equal('a_lot')
    await t.services.startup()
    const again = await t.services.outcomes.forReferral(worker, DEMO_REFERRALS.completed, null)
    expect(again.referral.measures).to.have.length(2)
    expect(again.referral.version).to.equal(first.referral.version)
  })

  it('shows the GP demo login the outcome and the summary', async () => {
    const gp = await signIn(t.app, 'gp@demo.loopwell.test')
    const list = await gp.get('/practice/referrals').expect(200)
    expect(list.text).to.contain(`/practice/people/${DEMO_PEOPLE.joan}/summary`)
    const text = await gp
      .get(pathFor('/practice/people/:personId/summary/:format', { personId: DEMO_PEOPLE.joan, format: 'txt' }))
      .expect(200)
    expect(text.text).not.to.contain('871731000000106')
    expect(text.text).to.contain('SWEMWBS metric score')
  })
})
