// The person's feedback page over HTTP, from a link the link worker made: the wellbeing measure is optional, so a
// partly answered one gets one clear "all or none" message (not one per blank question); asking for more help puts
// the referral on the team's worklist and emails the referrer, without the person's words.
import * as cheerio from 'cheerio'
import { expect } from 'chai'
import request from 'supertest'
import { DEMO_REFERRALS } from '../../../../server/services/demo-referrals'
import { useDemoAppWithMail } from '../../../helpers/app'
import { useSignedIn } from '../../../helpers/accounts'
import { swemwbsForm } from '../../../helpers/measures'

const LINK_WORKER = 'link.worker@demo.loopwell.test'

describe("The person's feedback page", () => {
  const t = useDemoAppWithMail('journeys_feedback')
  const { smtp } = t
  const lw = useSignedIn(t, LINK_WORKER)

  it('asks for all 7 wellbeing answers or none, and tells the link worker when the person asks for more help', async () => {
    const id = DEMO_REFERRALS.attending
    const outcome = cheerio.load((await lw.get(`/referrals/${id}/outcome`).expect(200)).text)
    const made = await lw
      .post(`/referrals/${id}/feedback-link`)
      .type('form')
      .send({ _csrf: String(outcome('input[name="_csrf"]').first().val()), channel: 'text', measure: 'swemwbs' })
      .expect(200)
    const url = /http:\/\/loopwell\.test(\/feedback\/[A-Za-z0-9_-]+)/.exec(cheerio.load(made.text)('#sms-text').text())
    expect(url, 'a link to copy into a text message').to.not.equal(null)
    const person = request.agent(t.app)
    const page = cheerio.load((await person.get(url![1]!).expect(200)).text)
    expect(page('main').text()).to.contain('Answer all 7, or leave them all blank to skip them')
    const _csrf = String(page('input[name="_csrf"]').val())

    const answer = (fields: Record<string, string>) =>
      person
        .post(url![1]!)
        .type('form')
        .send({ _csrf, went: 'yes', helped: 'a_little', ...fields })
    const partly = await answer({ 'swemwbs-optimistic': '3', 'swemwbs-useful': '4', 'swemwbs-relaxed': '2' })
    expect(partly.status).to.equal(400)
    const $ = cheerio.load(partly.text)
    const summary = $('.nhsuk-error-summary a')
    expect(summary.length).to.equal(1)
    expect(summary.attr('href')).to.equal('#swemwbs-problems')
    expect(summary.text()).to.equal(
      'Answer all 7 wellbeing questions, or leave them all blank to skip them. You answered 3.',
    )
    expect($('#swemwbs-optimistic-2').attr('checked')).to.not.equal(undefined)

    smtp.clear()
    const answered = await answer({ anythingElse: 'Help with my heating bills please', ...swemwbsForm('4') }).expect(
      200,
    )
    expect(cheerio.load(answered.text)('h1').text()).to.equal('Thank you')

    const worklist = cheerio.load((await lw.get('/worklist').expect(200)).text)
    const help = worklist('#worklist-asked-for-help')
    expect(help.length).to.equal(1)
    expect(worklist(`a[href="/referrals/${id}/outcome"]`).first().text()).to.contain('Get in touch')
    const mail = await smtp.waitFor(LINK_WORKER)
    expect(mail.subject).to.equal('Someone you referred asked for more help')
    expect(mail.text).not.to.contain('heating')
    const shown = cheerio.load((await lw.get(`/referrals/${id}/outcome`).expect(200)).text)
    expect(shown('main').text()).to.contain('Help with my heating bills please')
  })
})
