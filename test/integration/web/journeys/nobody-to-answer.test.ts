// A referral to an organisation with nobody on Loopwell: the link worker is warned before sending, and the
// organisation's listed contact email is told a referral is waiting and how to sign up (no personal details).
import * as cheerio from 'cheerio'
import { expect } from 'chai'
import request from 'supertest'
import { DEMO_PEOPLE, DEMO_REFERRALS } from '../../../../server/services/demo-referrals'
import { useDemoAppWithMail } from '../../../helpers/app'
import { useSignedIn, signIn } from '../../../helpers/accounts'
import { demoActor } from '../../../helpers/referrals'

const LINK_WORKER = 'link.worker@demo.loopwell.test'

describe('Referring to an organisation with nobody to answer', () => {
  const t = useDemoAppWithMail('journeys_nobody')
  const { smtp } = t
  const lw = useSignedIn(t, LINK_WORKER)

  it('warns on the refer page, and emails the listed contact once the referral is sent', async () => {
    // The demo referral to Barnet Carers Centre, whose staff have no Loopwell accounts.
    const { referral } = await t.services.referrals.get(
      demoActor('link-worker'),
      DEMO_REFERRALS.otherOrganisation,
      null,
    )
    const page = await lw.get(`/services/${referral.serviceId}/refer`).expect(200)
    const $ = cheerio.load(page.text)
    expect($('#nobody-to-answer').text()).to.contain(`Nobody at ${referral.organisationName} uses Loopwell yet`)
    // Age Well Barnet has staff on Loopwell: no warning.
    const answered = await t.services.referrals.get(demoActor('link-worker'), DEMO_REFERRALS.new, null)
    const other = cheerio.load((await lw.get(`/services/${answered.referral.serviceId}/refer`).expect(200)).text)
    expect(other('#nobody-to-answer').length).to.equal(0)

    const view = await t.services.directory.getService(referral.serviceId)
    const contact = view.organization.email ?? view.service.email
    smtp.clear()
    await lw
      .post(`/services/${referral.serviceId}/refer`)
      .type('form')
      .send({
        _csrf: String($('input[name="_csrf"]').first().val()),
        idempotencyKey: String($('input[name="idempotencyKey"]').val()),
        personId: DEMO_PEOPLE.priya,
        consent: 'yes',
        consentHow: 'verbal',
        needs: String($('input[name="needs"]').first().val()),
        note: 'Would like to meet other carers.',
        contactPreference: 'phone',
        supportToAttend: 'none',
      })
      .expect(303)
    expect(contact, 'the demo organisation lists a contact email').to.be.a('string')
    const mail = await smtp.waitFor(contact!)
    expect(mail.subject).to.equal('A referral is waiting for you on Loopwell')
    expect(mail.text).to.contain(`set up ${referral.organisationName}'s Loopwell account with this invitation`)
    expect(mail.text).not.to.contain('Priya')

    // The invitation is real: the contact sets a password, signs in, and the referral is in their inbox.
    const link = /http:\/\/loopwell\.test(\/invitations\/[A-Za-z0-9_-]+)/.exec(mail.text)![1]!
    const invitee = request.agent(t.app)
    const setPassword = cheerio.load((await invitee.get(link).expect(200)).text)
    expect(setPassword('h1').text()).to.equal('Set your password')
    await invitee
      .post(link)
      .type('form')
      .send({
        _csrf: String(setPassword('input[name="_csrf"]').val()),
        password: 'a quiet carers morning',
        confirmPassword: 'a quiet carers morning',
      })
      .expect(303)
    const manager = await signIn(t.app, contact!, 'a quiet carers morning')
    const inbox = cheerio.load((await manager.get('/referrals/inbox').expect(200)).text)
    expect(inbox('main').text()).to.contain(referral.serviceName)
    // As the organisation's manager they can invite colleagues.
    await manager.get(`/organisations/${referral.organisationId}/colleagues`).expect(200)
    const sent = await t.services.audit.search({ action: 'invitation.sent', page: 1 })
    expect(sent.events.some((e) => (e.detail as { reason?: string } | null)?.reason === 'referral waiting')).to.equal(
      true,
    )

    // Once someone there has an account, a further referral emails nobody outside it.
    smtp.clear()
    await t.services.referrals.submit(
      demoActor('link-worker'),
      {
        serviceId: referral.serviceId,
        personId: DEMO_PEOPLE.tunde,
        idempotencyKey: '6f1a4a52-7c0e-4d59-9d8e-0b7f4f1c2a11',
        consentConfirmed: true,
        consentHow: 'verbal',
        gpFeedback: false,
        needs: referral.needs,
        note: 'Another one.',
        contactPreference: 'phone',
        supportToAttend: 'none',
      },
      null,
    )
    const next = await smtp.waitFor(contact!)
    expect(next.subject).not.to.equal('A referral is waiting for you on Loopwell')
  })
})
