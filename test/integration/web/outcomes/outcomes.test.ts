import { expect } from 'chai'
import request from 'supertest'
import { nameUuid } from '../../../../server/domain/ids'
import { pathFor } from '../../../../server/paths'
import { useTestApp } from '../../../helpers/app'
import { csrfTokenFrom, signIn } from '../../../helpers/accounts'
import { swemwbsForm } from '../../../helpers/measures'

const REFERRAL = nameUuid('demo:referral:attending') // Margaret, sent by the demo team to Age Well Barnet
const MARGARET = nameUuid('demo:person:margaret')

describe('Outcome pages', () => {
  const t = useTestApp('outcomes_web', { DEMO: 'true' })
  const outcome = pathFor('/referrals/:referralId/outcome', { referralId: REFERRAL })

  it('records SWEMWBS before and after on the referral and shows the change with its copyright line', async () => {
    const vco = await signIn(t.app, 'vco.member@demo.loopwell.test')
    let _csrf = await csrfTokenFrom(vco, outcome)
    const measures = pathFor('/referrals/:referralId/measures', { referralId: REFERRAL })
    const record = (timing: string, answers: Record<string, string>) =>
      vco
        .post(measures)
        .type('form')
        .send({ _csrf, instrument: 'swemwbs', timing, ...answers })
    const bad = await record('baseline', { ...swemwbsForm('3'), 'swemwbs-mind': '7' })
    expect(bad.status).to.equal(400)
    expect(bad.text).to.contain('nhsuk-error-summary')
    expect(bad.text).to.contain('href="#swemwbs-mind"')
    await record('baseline', swemwbsForm('2')).expect(303)
    _csrf = await csrfTokenFrom(vco, outcome)
    await record('follow-up', swemwbsForm('4')).expect(303)
    const page = await vco.get(outcome).expect(200)
    expect(page.text).to.contain('15.32')
    expect(page.text).to.contain('25.03')
    expect(page.text).to.contain('9.71 (better)')
    expect(page.text).to.contain('© NHS Health Scotland, University of Warwick and University of Edinburgh')
  })

  it('lets the person answer once through their link, and the answers land on the referral', async () => {
    const worker = await signIn(t.app, 'link.worker@demo.loopwell.test')
    const _csrf = await csrfTokenFrom(worker, outcome)
    const issued = await worker
      .post(pathFor('/referrals/:referralId/feedback-link', { referralId: REFERRAL }))
      .type('form')
      .send({ _csrf, channel: 'text', measure: 'ons4' })
      .expect(200)
    const url = /https?:\/\/[^\s<"]+\/feedback\/[A-Za-z0-9_-]+/.exec(issued.text)?.[0]
    expect(url, 'a link in the text to copy').to.be.a('string')
    const path = new URL(url!).pathname

    const person = request.agent(t.app)
    const form = await person.get(path).expect(200)
    expect(form.text).to.contain('Did you go?')
    expect(form.text).to.contain('Overall, how anxious did you feel yesterday?')
    const token = await csrfTokenFrom(person, path)
    const answer = (fields: Record<string, string>) =>
      person
        .post(path)
        .type('form')
        .send({ _csrf: token, ...fields })
    const invalid = await answer({ anythingElse: 'x' })
    expect(invalid.status).to.equal(400)
    expect(invalid.text).to.contain('href="#went"')
    expect(invalid.text).to.contain('Select whether you went')
    await answer({ went: 'yes', helped: 'a_lot', anythingElse: 'Help with bills' }).expect(200)
    await person.get(path).expect(410)
    await answer({ went: 'no' }).expect(410)

    const page = await worker.get(outcome).expect(200)
    expect(page.text).to.contain('Help with bills')
    expect(page.text).to.contain('Yes, a lot')
  })

  it('shows the GP of the practice the outcome and gives the summary, with no code on a VCO referral', async () => {
    const gp = await signIn(t.app, 'gp@demo.loopwell.test')
    const list = await gp.get('/practice/referrals').expect(200)
    expect(list.text).to.contain(`/practice/people/${MARGARET}/summary`)
    const text = await gp
      .get(pathFor('/practice/people/:personId/summary/:format', { personId: MARGARET, format: 'txt' }))
      .expect(200)
    expect(text.headers['content-disposition']).to.match(
      /attachment; filename="?social-prescribing-outcome-[0-9-]+\.txt"?/,
    )
    expect(text.text).not.to.contain('871731000000106')
    expect(text.text).to.contain('SWEMWBS metric score: 15.32')
    const json = await gp
      .get(pathFor('/practice/people/:personId/summary/:format', { personId: MARGARET, format: 'json' }))
      .expect(200)
    const summary = JSON.parse(json.text) as { referrals: Record<string, unknown>[] }
    expect(summary.referrals).to.not.be.empty
    expect(json.text).not.to.contain('871731000000106')
  })

  it('shows other signed-in users none of it', async () => {
    const commissioner = await signIn(t.app, 'commissioner@demo.loopwell.test')
    await commissioner.get('/practice/referrals').expect(403)
    await commissioner.get(pathFor('/practice/people/:personId/summary', { personId: MARGARET })).expect(403)
    const worker = await signIn(t.app, 'link.worker@demo.loopwell.test')
    await worker.get(pathFor('/practice/people/:personId/summary', { personId: MARGARET })).expect(403)
  })
})
