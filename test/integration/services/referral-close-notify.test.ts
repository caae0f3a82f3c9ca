import { expect } from 'chai'
import { DEMO_REFERRALS } from '../../../server/services/demo-referrals'
import { useTestApp } from '../../helpers/app'
import { actNow, demoActor } from '../../helpers/referrals'
import { useSmtpServer } from '../../helpers/smtp'

const GP = 'gp@demo.loopwell.test'

describe('ReferralService', () => {
  describe('closing a referral', () => {
    const smtp = useSmtpServer()
    const t = useTestApp('referral_close_notify', () => ({ DEMO: 'true', SMTP_URL: smtp.url }))

    // The practice hears once the close stands: when the clock job runs after the reopen window (48 hours).
    const afterWindow = () => t.services.referrals.runClockSweep(new Date(Date.now() + 49 * 3_600_000))

    it('emails the GP user of the practice once the close stands, once, with no personal details', async () => {
      await actNow(t.services, demoActor('vco-member'), DEMO_REFERRALS.attending, { action: 'complete' })
      await t.services.referrals.runClockSweep(new Date(Date.now() + 47 * 3_600_000))
      expect(smtp.to(GP)).to.have.length(0)
      await afterWindow()
      const mail = await smtp.waitFor(GP)
      expect(mail.subject).to.equal('Social prescribing outcome ready')
      expect(mail.text).to.contain('/practice/people/')
      for (const personal of ['Margaret', 'Demo-Hughes', '9434765919', '1944', 'margaret@example.org', 'Brent'])
        expect(mail.text).not.to.contain(personal)
      // Once per referral: asking again sends nothing more.
      expect(await t.services.outcomes.notifyPracticeOnClose(DEMO_REFERRALS.attending)).to.equal(false)
      expect(smtp.to(GP)).to.have.length(1)
    })

    it('emails the practice when the referrer withdraws a referral too', async () => {
      await actNow(t.services, demoActor('link-worker'), DEMO_REFERRALS.acknowledged, {
        action: 'withdraw',
        reason: 'moved away',
      })
      await afterWindow()
      await smtp.waitFor(GP, 2)
      expect(smtp.to(GP)).to.have.length(2)
    })

    it('does not email the practice for a step that keeps the referral open', async () => {
      const after = await actNow(t.services, demoActor('vco-member'), DEMO_REFERRALS.new, { action: 'acknowledge' })
      expect(after.status).to.equal('acknowledged')
      expect(smtp.to(GP)).to.have.length(2)
    })
  })

  describe('closing a referral when the practice email cannot be sent', () => {
    const t = useTestApp('referral_close_mail_down', { DEMO: 'true', SMTP_URL: 'smtp://127.0.0.1:9' })

    it('still closes the referral', async () => {
      const vco = demoActor('vco-member')
      const after = await actNow(t.services, vco, DEMO_REFERRALS.attending, { action: 'complete' })
      expect(after.status).to.equal('completed')
      expect((await t.services.referrals.get(vco, DEMO_REFERRALS.attending, null)).referral.open).to.equal(false)
    })
  })
})
