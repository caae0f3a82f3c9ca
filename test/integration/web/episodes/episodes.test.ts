// Social prescribing episodes over HTTP on a real database and a real SMTP server: a GP practice refers, the team
// triages and accepts (the code once), records the conversation, plan, contacts and measures, the VCO referrals and
// signpostings made meanwhile join the episode, discharge sends the message back, and the GP reads it as a letter and
// as a FHIR document that Medplum's validator accepts. The public self-refers. Bad input, stale versions and scope.
import * as cheerio from 'cheerio'
import { expect } from 'chai'
import { nameUuid } from '../../../../server/domain/ids'
import { DEMO_PRACTICE, DEMO_TEAM } from '../../../../server/services/demo-accounts'
import { DEMO_REFERRALS } from '../../../../server/services/demo-referrals'
import { useDemoAppWithMail } from '../../../helpers/app'
import { useSignedIn, type Agent } from '../../../helpers/accounts'
import { practiceRecord } from '../../../helpers/factories'
import { validateFhir } from '../../../helpers/fhir'
import { errorLinks } from '../../../helpers/forms'
import { demoActor } from '../../../helpers/referrals'
import request from 'supertest'

const GP = 'gp@demo.loopwell.test'
const LINK_WORKER = 'link.worker@demo.loopwell.test'

describe('Social prescribing episodes over HTTP', () => {
  const t = useDemoAppWithMail('episodes_http', { SELF_REFERRALS_PER_HOUR: '4' })
  const { smtp } = t
  const gp = useSignedIn(t, GP)
  const lw = useSignedIn(t, LINK_WORKER)

  const form = async (agent: Agent, path: string) => {
    const res = await agent.get(path)
    const $ = cheerio.load(res.text)
    return {
      res,
      $,
      _csrf: String($('input[name="_csrf"]').first().val()),
      idempotencyKey: String($('input[name="idempotencyKey"]').val() ?? ''),
      version: String($('input[name="version"]').val() ?? ''),
    }
  }

  const person = {
    givenName: 'Winifred',
    familyName: 'Episode',
    dobDay: '4',
    dobMonth: '3',
    dobYear: '1950',
    nhsNumber: '943 476 5919',
    phone: '07700 900123',
    reason: 'Lonely since her husband died; would like company',
  }

  /** A GP's referral into the demo team made through the service (key: its idempotency key's name). */
  const referByGp = (key: string, who: { givenName: string; familyName: string; dateOfBirth: string; phone: string }) =>
    t.services.episodes.refer(
      demoActor('gp'),
      {
        idempotencyKey: nameUuid(`episode-test:${key}`),
        teamId: DEMO_TEAM.id,
        ...who,
        nhsNumber: null,
        email: null,
        address: null,
        postcode: null,
        practiceId: null,
        reason: 'Lonely',
        consentToRefer: true,
        gpFeedbackConsent: true,
      },
      null,
    )
  const episodeCount = async () =>
    (await t.services.episodes.caseload(demoActor('link-worker'), { stage: 'triage', mine: false, page: 1 }, null))
      .counts.triage

  let episodeId: string

  describe('referral from a GP practice', () => {
    it('is on the GP menu, and an invalid form is 400 with a summary linking to each field, writing nothing', async () => {
      const home = await gp.get('/account')
      expect(cheerio.load(home.text)('a:contains("Refer to social prescribing")').attr('href')).to.equal(
        '/social-prescribing/refer',
      )
      const before = await episodeCount()
      const { _csrf, idempotencyKey } = await form(gp, '/social-prescribing/refer')
      const res = await gp.post('/social-prescribing/refer').type('form').send({
        _csrf,
        idempotencyKey,
        teamId: DEMO_TEAM.id,
        givenName: 'Ada',
        dobDay: '31',
        dobMonth: '2',
        dobYear: '1950',
      })
      expect(res.status).to.equal(400)
      const $ = cheerio.load(res.text)
      expect(errorLinks($)).to.include.members(['#familyName', '#dateOfBirth', '#phone', '#reason', '#consentToRefer'])
      expect($('#dateOfBirth-error').text()).to.contain('real date')
      expect($('input[name="givenName"]').val()).to.equal('Ada')
      expect(await episodeCount()).to.equal(before)
    })

    it('lands once in the team triage queue however often the form is sent, with the practice and consent', async () => {
      const { _csrf, idempotencyKey } = await form(gp, '/social-prescribing/refer')
      const send = () =>
        gp
          .post('/social-prescribing/refer')
          .type('form')
          .send({
            _csrf,
            idempotencyKey,
            teamId: DEMO_TEAM.id,
            ...person,
            consentToRefer: 'yes',
            gpFeedbackConsent: 'yes',
          })
      const before = await episodeCount()
      const [a, b] = await Promise.all([send(), send()])
      expect([a.status, b.status]).to.deep.equal([303, 303])
      expect(a.headers.location).to.equal('/social-prescribing/referral-received')
      expect(await episodeCount()).to.equal(before + 1)

      const queue = await lw.get('/episodes?stage=triage')
      expect(queue.status).to.equal(200)
      const $ = cheerio.load(queue.text)
      const link = $('a:contains("Winifred Episode")')
      expect(link.length).to.equal(1)
      episodeId = String(link.attr('href')).split('/').pop()!
      const page = await lw.get(`/episodes/${episodeId}`)
      expect(page.text).to.contain('Hendon Way Surgery (demo)')
      expect(page.text).to.contain('agreed to feedback to the GP')
      expect(page.text).to.contain('GP practice')
    })
  })

  describe('the episode', () => {
    const act = async (action: string, fields: Record<string, string | string[]>, query = '') => {
      const { _csrf, version } = await form(lw, `/episodes/${episodeId}/do/${action}${query}`)
      return lw
        .post(`/episodes/${episodeId}/do/${action}${query}`)
        .type('form')
        .send({ _csrf, version, ...fields })
    }

    it('accepts only with confirmation, then records SNOMED CT 871731000000106 once and puts the person on the caseload', async () => {
      expect((await act('accept', {})).status).to.equal(400)
      const res = await act('accept', { acceptConfirm: 'yes' })
      expect(res.status).to.equal(303)
      const page = await lw.get(`/episodes/${episodeId}`)
      expect(page.text.match(/871731000000106/g)).to.have.length(1)
      expect(page.text).to.contain('Accepted: first conversation to book')
      const episode = (await t.services.episodes.get(demoActor('link-worker'), episodeId, null)).episode
      expect(episode.personId).to.be.a('string')
      expect(episode.messages.map((m) => m.kind)).to.deep.equal(['triage'])
      // The triage page cannot be used again: the accept action is gone.
      expect((await lw.get(`/episodes/${episodeId}/do/accept`)).status).to.equal(404)
    })

    it('answers 409 to a change made on a version someone else has moved on from, and changes nothing', async () => {
      const { _csrf } = await form(lw, `/episodes/${episodeId}/do/contact`)
      const res = await lw.post(`/episodes/${episodeId}/do/contact`).type('form').send({
        _csrf,
        version: '1',
        contactDay: '1',
        contactMonth: '12',
        contactYear: '2026',
        contactMode: 'phone',
        contactMinutes: '10',
      })
      expect(res.status).to.equal(409)
      const episode = (await t.services.episodes.get(demoActor('link-worker'), episodeId, null)).episode
      expect(episode.contacts).to.have.length(0)
    })

    it('records the conversation, the plan and contacts, refusing bad dates and durations with field messages', async () => {
      const now = new Date()
      const [d, m, y] = [now.getUTCDate(), now.getUTCMonth() + 1, now.getUTCFullYear()].map(String)
      /** The date fields named `name` (conversationDay, conversationMonth…), filled in with today. */
      const today = (name: string) => ({ [`${name}Day`]: d!, [`${name}Month`]: m!, [`${name}Year`]: y! })
      const bad = await act('conversation', { ...today('conversation'), conversationDay: '40' })
      expect(bad.status).to.equal(400)
      expect(cheerio.load(bad.text)('#conversationDate-error').text()).to.contain('real date')
      const talked = await act('conversation', { ...today('conversation'), conversationNote: 'Met at the library' })
      expect(talked.status).to.equal(303)
      const noGoal = await act('plan', { whatMatters: 'Seeing people again' })
      expect(noGoal.status).to.equal(400)
      expect(noGoal.text).to.contain('Enter at least one goal')
      expect(
        (await act('plan', { whatMatters: 'Seeing people again', goal1: 'Join a lunch club', goal1Status: 'open' }))
          .status,
      ).to.equal(303)
      const long = await act('contact', { ...today('contact'), contactMode: 'phone', contactMinutes: '900' })
      expect(long.status).to.equal(400)
      expect(cheerio.load(long.text)('#contactMinutes-error').text()).to.contain('from 1 to 600')
      const visited = await act('contact', {
        ...today('contact'),
        contactMode: 'home_visit',
        contactMinutes: '45',
        contactNote: 'Visited at home',
      })
      expect(visited.status).to.equal(303)
      const page = await lw.get(`/episodes/${episodeId}`)
      expect(page.text).to.contain('Home visit, 45 minutes')
      expect(page.text).to.contain('Join a lunch club')
    })

    it('keeps ONS4 at the start and the end from the existing measure engine', async () => {
      const answers = (v: string) => ({
        'ons4-satisfied': v,
        'ons4-worthwhile': v,
        'ons4-happy': v,
        'ons4-anxious': '5',
      })
      const missing = await act('measure', { 'ons4-satisfied': '3' }, '?measure=ons4&timing=baseline')
      expect(missing.status).to.equal(400)
      expect((await act('measure', answers('3'), '?measure=ons4&timing=baseline')).status).to.equal(303)
      expect((await act('measure', answers('7'), '?measure=ons4&timing=follow-up')).status).to.equal(303)
    })

    it('joins the VCO referrals and signpostings made meanwhile to the episode', async () => {
      const episode = (await t.services.episodes.get(demoActor('link-worker'), episodeId, null)).episode
      const demo = await t.services.referrals.get(demoActor('link-worker'), DEMO_REFERRALS.new, null)
      for (const key of ['one', 'two']) {
        const { referral } = await t.services.referrals.submit(
          demoActor('link-worker'),
          {
            serviceId: demo.referral.serviceId,
            personId: episode.personId!,
            idempotencyKey: nameUuid(`episode-test:${key}`),
            consentConfirmed: true,
            consentHow: 'verbal',
            gpFeedback: true,
            needs: [],
            note: '',
            contactPreference: 'phone',
            supportToAttend: 'none',
          },
          null,
        )
        expect(referral.episodeId).to.equal(episodeId)
      }
      await t.services.referrals.signpost(
        demoActor('link-worker'),
        {
          serviceId: demo.referral.serviceId,
          personId: episode.personId!,
          idempotencyKey: nameUuid('episode-test:sign'),
          needs: [],
          note: '',
        },
        null,
      )
      const { connections } = await t.services.episodes.get(demoActor('link-worker'), episodeId, null)
      expect(connections.map((c) => c.kind).sort()).to.deep.equal(['referral', 'referral', 'signposting'])
    })

    it('discharges only with confirmation and a reason, and sends the practice a notice without personal details', async () => {
      expect((await act('discharge', { dischargeReason: 'goals_met' })).status).to.equal(400)
      smtp.clear()
      const res = await act('discharge', {
        dischargeReason: 'goals_met',
        dischargeNote: 'Goes weekly',
        dischargeConfirm: 'yes',
      })
      expect(res.status).to.equal(303)
      const mail = await smtp.waitFor(GP)
      expect(mail.subject).to.equal('Social prescribing: a message is ready')
      expect(mail.text).not.to.contain('Winifred')
      const episode = (await t.services.episodes.get(demoActor('link-worker'), episodeId, null)).episode
      expect(episode.stage).to.equal('discharged')
      expect(episode.messages.map((m) => m.kind)).to.deep.equal(['triage', 'discharge'])
      expect(episode.codes.map((c) => c.code)).to.deep.equal(['871731000000106'])
    })

    it("moves to the caseload's discharged tab, newest first, and out of the open stages' counts", async () => {
      const caseload = (stage: 'discharged' | 'active') =>
        t.services.episodes.caseload(demoActor('link-worker'), { stage, mine: false, page: 1 }, null)
      const discharged = await caseload('discharged')
      expect(discharged.rows[0]!.episode.id).to.equal(episodeId)
      expect(discharged.total).to.equal(discharged.counts.discharged)
      expect(discharged.rows.map((r) => r.episode.stage)).to.satisfy((s: string[]) =>
        s.every((x) => x === 'discharged'),
      )
      const active = await caseload('active')
      expect(active.rows.map((r) => r.episode.id)).not.to.include(episodeId)
      expect(active.total).to.equal(active.counts.active)
    })

    it('lists the triage queue most urgent first: overdue ones, then the longest waiting', async () => {
      await referByGp('urgency', {
        givenName: 'Una',
        familyName: 'Urgent',
        dateOfBirth: '1958-03-04',
        phone: '07700 900556',
      })
      const queue = await t.services.episodes.caseload(
        demoActor('link-worker'),
        { stage: 'triage', mine: false, page: 1 },
        null,
      )
      expect(queue.total).to.equal(queue.counts.triage)
      const overdue = queue.rows.map((r) => r.overdue.length)
      // The demo's triage queue holds overdue episodes; the one just referred is not overdue.
      expect(overdue).to.include(0)
      expect(overdue.some((n) => n > 0)).to.equal(true)
      expect(overdue).to.deep.equal([...overdue].sort((a, b) => b - a))
      for (let i = 1; i < queue.rows.length; i++) {
        const [a, b] = [queue.rows[i - 1]!, queue.rows[i]!]
        if (a.overdue.length === b.overdue.length)
          expect(new Date(a.episode.referredAt).getTime()).to.be.at.most(new Date(b.episode.referredAt).getTime())
      }
    })
  })

  describe('the caseload', () => {
    it('reads its page number as the other lists do: not a whole number from 1 is a 400, past the end the last page', async () => {
      const queue = await t.services.episodes.caseload(
        demoActor('link-worker'),
        { stage: 'triage', mine: false, page: 1 },
        null,
      )
      expect(queue.total).to.be.greaterThan(0)
      for (const page of ['abc', '-1', '0', '1.5', '2e3'])
        for (const list of ['/episodes?stage=triage&', '/people?', '/referrals?']) {
          const res = await lw.get(`${list}page=${encodeURIComponent(page)}`)
          expect(res.status, `${list}page=${page}`).to.equal(400)
        }
      for (const list of ['/episodes?stage=triage&', '/people?', '/referrals?'])
        await lw.get(`${list}page=99999`).expect(200)
      const beyond = cheerio.load((await lw.get('/episodes?stage=triage&page=99999').expect(200)).text)
      expect(beyond('a.nhsuk-pagination__link--next')).to.have.length(0)
      const rows = beyond('main table tbody tr').length
      expect(rows).to.be.greaterThan(0)
      if (queue.pages > 1)
        expect(beyond('a.nhsuk-pagination__link--prev').attr('href')).to.contain(`page=${queue.pages - 1}`)
      // No page number at all is the first page.
      await lw.get('/episodes?stage=triage&page=').expect(200)
    })
  })

  describe('changes at once', () => {
    it('lets exactly one of ten simultaneous acceptances win, so the code is recorded once', async () => {
      const { episode } = await referByGp('race', {
        givenName: 'Rachel',
        familyName: 'Race',
        dateOfBirth: '1960-01-01',
        phone: '07700 900555',
      })
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () =>
          t.services.episodes.act(demoActor('link-worker'), episode.id, episode.version, { type: 'accept' }, null),
        ),
      )
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1)
      for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected'))
        expect((r.reason as Error).name).to.equal('ConflictError')
      const stored = (await t.services.episodes.get(demoActor('link-worker'), episode.id, null)).episode
      expect(stored.codes.map((c) => c.code)).to.deep.equal(['871731000000106'])
      expect(stored.events.filter((e) => e.action === 'accept')).to.have.length(1)
    })
  })

  describe('the message back to the GP', () => {
    it('is listed on the practice page, reads as a letter with UK dates, and downloads as a valid FHIR document', async () => {
      const list = await gp.get('/practice/social-prescribing')
      expect(list.status).to.equal(200)
      const $ = cheerio.load(list.text)
      const link = $('a:contains("discharge summary")').first().attr('href')!
      expect(link).to.match(new RegExp(`/practice/social-prescribing/${episodeId}/`))
      const letter = await gp.get(link)
      expect(letter.status).to.equal(200)
      expect(letter.text).to.contain('Date of birth: 4 March 1950')
      expect(letter.text).to.contain('SNOMED CT 871731000000106 Referral to social prescribing service')
      expect(letter.text).to.contain('Support offered')
      expect(letter.text).to.match(/Life satisfaction.*3 at the start, 7 at the end/)
      const text = await gp.get(`${link}?format=txt`)
      expect(text.headers['content-disposition']).to.match(/attachment/)
      expect(text.text).to.contain('Discharged on')

      const fhir = await gp.get(`${link}/fhir.json`)
      expect(fhir.headers['content-type']).to.match(/application\/fhir\+json/)
      const bundle = JSON.parse(fhir.text) as { type: string; entry: { resource: Record<string, unknown> }[] }
      expect(bundle.type).to.equal('document')
      validateFhir(bundle as unknown as Record<string, unknown>)
      for (const entry of bundle.entry) validateFhir(entry.resource)
      const composition = bundle.entry[0]!.resource as { resourceType: string; section: { title: string }[] }
      expect(composition.resourceType).to.equal('Composition')
      expect(composition.section.map((s) => s.title)).to.include.members([
        'Person',
        'Referral to social prescribing service',
        'Support offered',
        'Outcomes',
        'Codes for the GP record',
      ])
      expect(fhir.text).to.contain('871731000000106')
    })

    it('is not found for a GP user of another practice', async () => {
      const other = nameUuid('test:practice:episodes-other')
      await t.services.accounts.ensureCareOrganisation(practiceRecord(other))
      const episode = (await t.services.episodes.get(demoActor('link-worker'), episodeId, null)).episode
      const actor = {
        ...demoActor('gp'),
        memberships: [
          { organisationId: other, kind: 'practice' as const, organisationName: 'Other Surgery', manager: false },
        ],
      }
      const message = episode.messages[0]!
      let error: unknown
      await t.services.episodes.practiceMessage(actor, episodeId, message.id, null).catch((e: unknown) => (error = e))
      expect((error as Error).name).to.equal('NotFoundError')
      expect((await t.services.episodes.practiceMessages(actor, null)).items).to.deep.equal([])
    })
  })

  describe('self-referral by the public', () => {
    it('needs no account, says it is not for emergencies, and lands in the triage queue', async () => {
      const visitor = request.agent(t.app)
      const page = await visitor.get('/social-prescribing/self-referral')
      expect(page.status).to.equal(200)
      expect(page.text).to.contain('This is not for emergencies')
      expect(page.text).to.contain('What happens next')
      const $ = cheerio.load(page.text)
      const res = await visitor
        .post('/social-prescribing/self-referral')
        .type('form')
        .send({
          _csrf: $('input[name="_csrf"]').val(),
          idempotencyKey: $('input[name="idempotencyKey"]').val(),
          teamId: DEMO_TEAM.id,
          givenName: 'Sid',
          familyName: 'Self',
          dobDay: '1',
          dobMonth: '1',
          dobYear: '1980',
          email: 'sid@example.org',
          practiceId: DEMO_PRACTICE.id,
          reason: 'Money worries and lonely',
          consentToRefer: 'yes',
        })
      expect(res.status).to.equal(303)
      expect(res.headers.location).to.equal('/social-prescribing/referral-received?self=1')
      const queue = await lw.get('/episodes?stage=triage')
      expect(queue.text).to.contain('Sid Self')
      expect(queue.text).to.contain('Self-referral')
    })

    it('refuses a post without the CSRF token', async () => {
      const res = await request(t.app).post('/social-prescribing/self-referral').type('form').send({ givenName: 'X' })
      expect(res.status).to.equal(403)
    })

    it('is rate-limited per address', async () => {
      const visitor = request.agent(t.app)
      const page = await visitor.get('/social-prescribing/self-referral')
      const _csrf = cheerio.load(page.text)('input[name="_csrf"]').val()
      const statuses: number[] = []
      for (let i = 0; i < 5; i++)
        statuses.push((await visitor.post('/social-prescribing/self-referral').type('form').send({ _csrf })).status)
      expect(statuses).to.include(429)
    })
  })
})
