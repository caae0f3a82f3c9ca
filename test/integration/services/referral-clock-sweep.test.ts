// The clock job with an injected clock, on its own database so that it sweeps only the few demo referrals and its
// own: overdue flags, the VCO emailed then the referrer, unanswered referrals returned, each email once even when two
// instances run the job at the same moment.
import { expect } from 'chai'
import { DEMO_REFERRALS } from '../../../server/services/demo-referrals'
import type { SubmitInput } from '../../../server/services/referral.service'
import { useTestApp } from '../../helpers/app'
import { demoActor, submitInput } from '../../helpers/referrals'
import { useSmtpServer } from '../../helpers/smtp'

const DAY = 86_400_000
const LINK_WORKER = 'link.worker@demo.loopwell.test'
const VCO_MEMBER = 'vco.member@demo.loopwell.test'

describe('ReferralService', () => {
  const smtp = useSmtpServer()
  const t = useTestApp('referral_clock_sweep', () => ({
    DEMO: 'true',
    SMTP_URL: smtp.url,
    PUBLIC_URL: 'http://loopwell.test',
  }))
  const lw = demoActor('link-worker')
  const vco = demoActor('vco-member')
  let ageWellService: string

  before(async () => {
    ageWellService = (await t.services.referrals.get(lw, DEMO_REFERRALS.new, null)).referral.serviceId
  })

  const input = (over: Partial<SubmitInput>) => submitInput(ageWellService, { note: 'clock', ...over })

  describe('runClockSweep', () => {
    it('flags an unanswered referral as overdue, emails the VCO, then the referrer, then returns it as "no response"', async () => {
      const { referral } = await t.services.referrals.submit(lw, input({ note: 'clock' }), null)
      const start = new Date(referral.submittedAt)
      smtp.clear()
      const subject = (to: string) =>
        smtp
          .to(to)
          .filter((m) => m.text.includes(referral.id))
          .map((m) => m.subject)

      // Two working days later: acknowledgement overdue. Two instances run the job at once: one email each step.
      const day3 = new Date(start.getTime() + 3 * DAY + 60_000)
      await Promise.all([t.services.referrals.runClockSweep(day3), t.services.referrals.runClockSweep(day3)])
      expect(subject(VCO_MEMBER)).to.deep.equal(['Overdue referral: not acknowledged in time'])
      expect(subject(LINK_WORKER)).to.deep.equal([])
      const flagged = await t.services.referrals.get(vco, referral.id, null)
      expect(flagged.referral.overdue.map((f) => f.step)).to.deep.equal(['acknowledge'])

      // A day later still overdue: the referrer is told.
      const day4 = new Date(day3.getTime() + DAY + 60_000)
      await Promise.all([t.services.referrals.runClockSweep(day4), t.services.referrals.runClockSweep(day4)])
      expect(subject(LINK_WORKER)).to.deep.equal(['Overdue referral: not acknowledged in time'])

      // 14 days without acknowledgement: returned to the referrer, not silently dropped.
      const day15 = new Date(start.getTime() + 14 * DAY + 60_000)
      await t.services.referrals.runClockSweep(day15)
      await t.services.referrals.runClockSweep(day15)
      const { referral: returned } = await t.services.referrals.get(lw, referral.id, null)
      expect(returned.status).to.equal('no_response')
      expect(returned.events.at(-1)).to.include({ action: 'return', from: 'new', to: 'no_response' })
      expect(returned.events.at(-1)!.by).to.equal(null)
      expect(subject(LINK_WORKER)).to.include('Referral returned: no response')
      expect(subject(LINK_WORKER).filter((s) => s === 'Referral returned: no response')).to.have.length(1)
      for (const m of smtp.messages) expect(m.text).to.not.contain('Margaret')
    })

    it('does not flag a referral whose steps are on time', async () => {
      const { referral } = await t.services.referrals.submit(lw, input({ note: 'on time' }), null)
      await t.services.referrals.act(vco, referral.id, { action: 'accept', version: 1 }, null)
      smtp.clear()
      await t.services.referrals.runClockSweep(new Date(new Date(referral.submittedAt).getTime() + 2 * DAY))
      expect(smtp.messages.filter((m) => m.text.includes(referral.id))).to.deep.equal([])
    })
  })
})
