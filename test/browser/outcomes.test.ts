/// <reference lib="dom" />
// Closing the loop end to end, in Chromium with axe on every page: a referral goes from attending to completed with SWEMWBS
// before (with the worker) and after (the person, through their feedback link); the practice is emailed; the GP user of
// that practice sees the outcome and downloads the summary with the right SNOMED CT codes; a GP user of another
// practice sees nothing of it; the service page shows staff the figures only above the small-number threshold.
import fs from 'node:fs'
import { expect } from 'chai'
import type { Page } from 'playwright-core'
import { nameUuid } from '../../server/domain/ids'
import { DEMO_PASSWORD } from '../../server/services/demo-accounts'
import { DEMO_PEOPLE, DEMO_REFERRALS } from '../../server/services/demo-referrals'
import { expectAccessible, signIn, useDemoBrowserWithMail } from '../helpers/browser'
import { newReferral, practiceRecord } from '../helpers/factories'
import { demoActor } from '../helpers/referrals'

const VCO_MEMBER = 'vco.member@demo.loopwell.test'
const LINK_WORKER = 'link.worker@demo.loopwell.test'
const GP = 'gp@demo.loopwell.test'
const OTHER_GP = 'gp.other@practice.test'
const ITEMS = ['optimistic', 'useful', 'relaxed', 'problems', 'clearly', 'close', 'mind']
const REFERRAL = DEMO_REFERRALS.attending // Margaret, attending Age Well Barnet
const MARGARET = DEMO_PEOPLE.margaret

describe('Closing the loop in a browser', () => {
  const b = useDemoBrowserWithMail('browser_outcomes')
  const { smtp } = b

  async function fresh(): Promise<Page> {
    const context = await b.newContext({ acceptDownloads: true })
    return context.newPage()
  }

  async function signedIn(email: string): Promise<Page> {
    const page = await fresh()
    await signIn(page, b.baseUrl, email, { axe: false })
    return page
  }

  async function go(page: Page, path: string, status = 200) {
    const res = await page.goto(b.baseUrl + path)
    expect(res?.status(), path).to.equal(status)
    await expectAccessible(page)
  }

  async function answerSwemwbs(page: Page, value: number) {
    for (const item of ITEMS) await page.check(`input[name="swemwbs-${item}"][value="${value}"]`)
  }

  it('takes a referral to completed with SWEMWBS before and after; the GP of the practice sees it, another practice does not', async function () {
    this.timeout(240_000)
    const outcomePage = `/referrals/${REFERRAL}/outcome`

    // The VCO member records the baseline with the person, then completes the referral.
    const vco = await signedIn(VCO_MEMBER)
    await go(vco, outcomePage)
    await vco.click('summary:has-text("Record SWEMWBS")')
    await vco.check('#swemwbs-timing')
    await answerSwemwbs(vco, 2)
    await vco.click('button:has-text("Save SWEMWBS")')
    await vco.waitForURL(/\?saved=measure$/)
    await expectAccessible(vco)
    expect(await vco.textContent('main')).to.contain('15.32')

    await go(vco, `/referrals/${REFERRAL}`)
    await vco.click('a:has-text("Complete")')
    await expectAccessible(vco)
    await vco.check('#reason')
    await vco.click('button:has-text("Yes, complete the referral")')
    await vco.waitForURL(/\?closed=complete$/)
    await expectAccessible(vco)
    // The practice hears once the close stands (the reopen window has passed).
    await b.services.referrals.runClockSweep(new Date(Date.now() + 49 * 3_600_000))
    const status = await b.services.referrals.get(demoActor('vco-member'), REFERRAL, null)
    expect(status.referral.status).to.equal('completed')

    // The practice is told, with no personal details.
    const note = await smtp.waitFor(GP)
    expect(note.subject).to.equal('Social prescribing outcome ready')
    expect(note.text).not.to.contain('Margaret')

    // The link worker makes a feedback link with the SWEMWBS follow-up; the person answers with no account.
    const worker = await signedIn(LINK_WORKER)
    await go(worker, outcomePage)
    await worker.selectOption('#measure', 'swemwbs')
    await worker.click('button:has-text("Make a feedback link")')
    await expectAccessible(worker)
    const url = /https?:\/\/[^\s<"]+\/feedback\/[A-Za-z0-9_-]+/.exec((await worker.textContent('main')) ?? '')?.[0]
    expect(url, 'a feedback link to copy').to.be.a('string')
    const feedbackPath = new URL(url!).pathname

    const person = await fresh()
    await go(person, feedbackPath)
    expect(await person.textContent('main')).to.contain('Did you go?')
    await person.click('button:has-text("Send")')
    expect(await person.textContent('.nhsuk-error-summary')).to.contain('Select whether you went')
    await expectAccessible(person)
    await person.check('input[name="went"][value="yes"]')
    await person.check('input[name="helped"][value="a_lot"]')
    await person.fill('#anythingElse', 'A lift to the group would help')
    await answerSwemwbs(person, 4)
    await person.click('button:has-text("Send")')
    await person.waitForSelector('h1:has-text("Thank you")')
    await expectAccessible(person)
    await go(person, feedbackPath, 410)

    await go(worker, outcomePage)
    const after = (await worker.textContent('main')) ?? ''
    expect(after).to.contain('15.32')
    expect(after).to.contain('25.03')
    expect(after).to.contain('9.71 (better)')
    expect(after).to.contain('A lift to the group would help')

    // The GP user of Margaret's practice sees the outcome and downloads the summary (no SNOMED CT code: those belong
    // to the social prescribing episode, not to each VCO referral).
    const gp = await signedIn(GP)
    await go(gp, '/practice/referrals')
    await gp.click(`a[href="/practice/people/${MARGARET}/summary"]`)
    await expectAccessible(gp)
    const summaryText = (await gp.textContent('main')) ?? ''
    expect(summaryText).to.contain('Completed')
    const [letter] = await Promise.all([
      gp.waitForEvent('download'),
      gp.click('a:has-text("Download as a letter (plain text)")'),
    ])
    const text = fs.readFileSync((await letter.path())!, 'utf8')
    expect(text).not.to.contain('871731000000106')
    expect(text).to.contain('SWEMWBS metric score: 15.32')
    expect(text).to.contain('25.03')
    // A VCO referral the person declined carries no code either: the decline code is the episode's.
    const acknowledged = await b.services.referrals.get(demoActor('vco-member'), DEMO_REFERRALS.acknowledged, null)
    await b.services.referrals.act(
      demoActor('vco-member'),
      DEMO_REFERRALS.acknowledged,
      { action: 'decline', version: acknowledged.referral.version, reason: 'person_declined' },
      null,
    )
    await go(gp, `/practice/people/${acknowledged.referral.personId}/summary`)
    const [json] = await Promise.all([gp.waitForEvent('download'), gp.click('a:has-text("Download as data (JSON)")')])
    const data = fs.readFileSync((await json.path())!, 'utf8')
    expect(data).to.contain(DEMO_REFERRALS.acknowledged)
    expect(data).not.to.contain('871711000000103')
    expect(data).not.to.contain('871731000000106')

    // A GP user of another practice sees nothing of it: not in their list, and the summary is "not found".
    const otherPractice = nameUuid('test:practice:other')
    await b.services.accounts.ensureCareOrganisation(
      practiceRecord(otherPractice, {
        name: 'Other Surgery (test)',
        odsCode: 'E83998',
        pcn: 'Barnet 2 PCN',
        area: 'Barnet',
      }),
    )
    await b.services.accounts.ensureUser({
      id: nameUuid('test:user:other-gp'),
      email: OTHER_GP,
      name: 'Other GP',
      password: DEMO_PASSWORD,
      roles: ['gp_user'],
      memberships: [
        { organisationId: otherPractice, kind: 'practice', organisationName: 'Other Surgery (test)', manager: false },
      ],
    })
    const other = await signedIn(OTHER_GP)
    await go(other, '/practice/referrals')
    const otherList = (await other.textContent('main')) ?? ''
    expect(otherList).not.to.contain('Margaret')
    expect(await other.locator(`a[href*="${MARGARET}"]`).count()).to.equal(0)
    await go(other, `/practice/people/${MARGARET}/summary`, 404)
    await go(other, `/practice/people/${MARGARET}/summary/txt`, 404)
  })

  it('shows staff the service figures only from 5 people, and the public never', async function () {
    this.timeout(120_000)
    const serviceId = (await b.services.referrals.get(demoActor('link-worker'), REFERRAL, null)).referral.serviceId
    const servicePage = `/services/${serviceId}`
    const anonymous = await fresh()
    await go(anonymous, servicePage)
    expect(await anonymous.locator('#service-figures').count()).to.equal(0)

    const worker = await signedIn(LINK_WORKER)
    await go(worker, servicePage)
    expect(await worker.textContent('main')).to.contain('Fewer than 5 people have been referred to this service')

    // Two more people referred here bring it to 5: the figures appear, for staff only.
    for (let i = 0; i < 2; i++) {
      await newReferral(b.services, demoActor('link-worker'), serviceId, { referral: { needs: [], note: '' } })
    }
    const figures = await b.services.outcomes.figuresForService(serviceId)
    expect(figures.suppressed).to.equal(false)
    await go(worker, servicePage)
    const shown = (await worker.textContent('#service-figures ~ dl')) ?? ''
    expect(shown).to.contain(`Referrals received${figures.received}`)
    await go(anonymous, servicePage)
    expect(await anonymous.locator('#service-figures').count()).to.equal(0)
  })
})
