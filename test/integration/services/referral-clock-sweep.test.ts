// The clock job with an injected clock, on its own database so that it sweeps only the few demo referrals and its
// own: overdue flags, the VCO emailed then the referrer, unanswered referrals returned, each email once even when two
// instances run the job at the same moment.
import { expect } from 'chai'
import { DEMO_REFERRALS } from '../../../server/services/demo-referrals'
import type { SubmitInput } from '../../../server/services/referral.service'
import { useDemoAppWithMail } from '../../helpers/app'
import { demoActor, submitInput } from '../../helpers/referrals'

const DAY = 86_400_000
const LINK_WORKER = 'link.worker@demo.loopwell.test'
const VCO_MEMBER = 'vco.member@demo.loopwell.test'

describe('ReferralService', () => {
  const t = useDemoAppWithMail('referral_clock_sweep')
  const { smtp } = t
  const lw = demoActor('link-worker')
  const vco = demoActor('vco-member')
  let ageWellService: string

  before(async () => {
    ageWellService = (await t.services.referrals.get(lw, DEMO_REFERRALS.new, null)).referral.serviceId
  })

  const input = (over: Partial<SubmitInput>) => submitInput(ageWellService, { note: 'clock', ...over })

  describe('runClockSweep', () => {
    it('reads only the referrals whose next check fell since its last run, and every open one without a last run', async () => {
      const referrals = t.connection.collection<{ _id: string; clockHour?: string | null }>('referrals')
      const marks = t.connection.collection<{ _id: string }>('job_marks')
      const { referral } = await t.services.referrals.submit(lw, input({ note: 'bounded' }), null)
      const start = new Date(referral.submittedAt)
      const stored = await referrals.findOne({ _id: referral.id })
      // Its next check is the acknowledgement deadline, a working day or more away.
      expect(stored!.clockHour).to.equal(new Date(referral.clocks.acknowledgeBy).toISOString().slice(0, 13))

      await t.services.referrals.runClockSweep(new Date(start.getTime() + 60_000))
      // A referral whose clock hour says "not before 2099" is not read by a run that reads the hours since the last.
      await referrals.updateOne({ _id: referral.id }, { $set: { clockHour: '2099-01-01T00' } })
      const day3 = new Date(start.getTime() + 3 * DAY + 60_000)
      await t.services.referrals.runClockSweep(day3)
      expect((await t.services.referrals.get(vco, referral.id, null)).referral.overdue).to.deep.equal([])

      // With no last run recorded, every open referral is read: it is flagged, and its clock hour is worked out again
      // (next: the referrer is told a day after the VCO was).
      await marks.deleteOne({ _id: 'referral-clocks' })
      await t.services.referrals.runClockSweep(day3)
      const flagged = await t.services.referrals.get(vco, referral.id, null)
      expect(flagged.referral.overdue.map((f) => f.step)).to.deep.equal(['acknowledge'])
      const escalation = new Date(day3.getTime() + DAY)
      expect((await referrals.findOne({ _id: referral.id }))!.clockHour).to.equal(escalation.toISOString().slice(0, 13))
    })

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
