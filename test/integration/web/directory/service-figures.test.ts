// Service-level learning on the service page: staff see how referrals here have gone, the public never do, and every
// figure stays hidden until at least 5 people have been referred.
import { expect } from 'chai'
import request from 'supertest'
import { paths, pathFor } from '../../../../server/paths'
import { DEMO_PRACTICE } from '../../../../server/services/demo-accounts'
import { DEMO_REFERRALS } from '../../../../server/services/demo-referrals'
import { useTestApp } from '../../../helpers/app'
import { signIn } from '../../../helpers/accounts'
import { newReferral } from '../../../helpers/factories'
import { demoActor } from '../../../helpers/referrals'

const HEADING = 'How referrals here have gone'
const SUPPRESSED = 'Fewer than 5 people have been referred to this service'

describe('Service page figures', () => {
  const t = useTestApp('service_figures_web', { DEMO: 'true' })
  const lw = demoActor('link-worker')
  let page: string

  before(async () => {
    const serviceId = (await t.services.referrals.get(lw, DEMO_REFERRALS.new, null)).referral.serviceId
    page = pathFor(paths.service, { id: serviceId })
  })

  it('shows the public no figures', async () => {
    const res = await request(t.app).get(page).expect(200)
    expect(res.text).not.to.contain(HEADING)
    expect(res.text).not.to.contain('Referrals received')
  })

  it('shows no figures to GP practice staff or commissioners', async () => {
    for (const email of ['gp@demo.loopwell.test', 'commissioner@demo.loopwell.test']) {
      const res = await (await signIn(t.app, email)).get(page).expect(200)
      expect(res.text, email).not.to.contain(HEADING)
    }
  })

  it('tells a link worker the figures are hidden while fewer than 5 people have been referred', async () => {
    const res = await (await signIn(t.app, 'link.worker@demo.loopwell.test')).get(page).expect(200)
    expect(res.text).to.contain(HEADING)
    expect(res.text).to.contain(SUPPRESSED)
    expect(res.text).not.to.contain('Referrals received')
  })

  it('shows staff the figures once 5 people have been referred', async () => {
    const serviceId = (await t.services.referrals.get(lw, DEMO_REFERRALS.new, null)).referral.serviceId
    for (let i = 0; i < 3; i++) {
      await newReferral(t.services, lw, serviceId, {
        person: { practiceId: DEMO_PRACTICE.id },
        referral: { gpFeedback: true, note: '' },
      })
    }
    const figures = await t.services.outcomes.figuresForService(serviceId)
    expect(figures.suppressed).to.equal(false)
    for (const email of [
      'link.worker@demo.loopwell.test',
      'vco.member@demo.loopwell.test',
      'admin@demo.loopwell.test',
    ]) {
      const res = await (await signIn(t.app, email)).get(page).expect(200)
      expect(res.text, email).to.contain('Referrals received')
      expect(res.text, email).to.contain(`<dd class="nhsuk-summary-list__value">${figures.received}</dd>`)
      expect(res.text, email).not.to.contain(SUPPRESSED)
    }
    expect((await request(t.app).get(page).expect(200)).text).not.to.contain('Referrals received')
  })
})
