// The one-winner rules of referrals under forced interleavings, not lucky timing: each race below is made to happen by
// holding every racer at a chosen step until all have reached it (both have read the referral before either writes;
// both are about to claim the referral's next version, the step before any write, before either does). Services and
// repositories are the real ones over the real database; only the reads and the version claims are held.
//  - two people acting at once (accept and decline), on a referral and on an episode at triage: one wins, the other
//    is told; one event recorded;
//  - the same referral form submitted twice at once: one referral, one consent, one email to the organisation; the
//    same new-person form twice: one person;
//  - two messages at once, and the same message posted twice at once: every message kept, each once;
//  - an outcome and a measure recorded at once: both kept, neither overwrites the other;
//  - two app instances running the clock job at once: every overdue email sent once.
import { expect } from 'chai'
import { createModels, type Models } from '../../../server/data/models'
import { createEpisodeRepository } from '../../../server/data/repositories/episode.repository'
import { createRepositories } from '../../../server/data/repositories'
import { createReferralOutcomeRepository } from '../../../server/data/repositories/referral-outcome.repository'
import { createReferralRepository } from '../../../server/data/repositories/referral.repository'
import { createSmtpMailer } from '../../../server/data/mail/smtp-mailer'
import type { Mailer } from '../../../server/data/mail/mailer'
import { ConflictError } from '../../../server/errors'
import { createAuditService } from '../../../server/services/audit.service'
import { createOutcomeService } from '../../../server/services/outcomes/outcome.service'
import { createPersonService } from '../../../server/services/person.service'
import { createReferralService } from '../../../server/services/referral.service'
import { DEMO_EPISODES } from '../../../server/services/episodes/demo-episodes'
import { createEpisodeService } from '../../../server/services/episodes/episode.service'
import { DEMO_REFERRALS } from '../../../server/services/demo-referrals'
import { useTestApp } from '../../helpers/app'
import { barrier, holding, type Barrier } from '../../helpers/barrier'
import { personForm } from '../../helpers/factories'
import { demoActor, submitInput } from '../../helpers/referrals'
import { useSmtpServer } from '../../helpers/smtp'
import { swemwbsForm } from '../../helpers/measures'
import { referralTargets } from '../../../server/services/referral-target'

const DAY = 86_400_000
const SWEMWBS = swemwbsForm('3')

describe('Referral races, forced', () => {
  const smtp = useSmtpServer()
  const t = useTestApp('forced_races', () => ({ DEMO: 'true', SMTP_URL: smtp.url, PUBLIC_URL: 'http://loopwell.test' }))
  const lw = demoActor('link-worker')
  const vco = demoActor('vco-member')
  const manager = demoActor('vco-manager')
  let serviceId: string
  let mailer: Mailer

  before(async () => {
    serviceId = (await t.services.referrals.get(lw, DEMO_REFERRALS.new, null)).referral.serviceId
    mailer = createSmtpMailer({ url: smtp.url, from: 'loopwell@example.org' })
  })
  after(() => mailer.close())

  /**
   * The referral repositories over the test file's database, whose version claims (the step just before any write of
   * a referral: atomic.ts) hold at `write` (only those of referral `only`, when given), and whose reads of a referral
   * hold at `read`.
   */
  function repositories(at: { read?: Barrier; write?: Barrier; only?: string }) {
    const models = createModels(t.connection)
    const RecordClaim = {
      async create(doc: { _id: string }) {
        if (!at.only || doc._id.includes(at.only)) await at.write?.arrive()
        return models.RecordClaim.create(doc)
      },
      exists: (filter: object) => models.RecordClaim.exists(filter),
      findById: (id: string) => models.RecordClaim.findById(id),
    } as unknown as Models['RecordClaim']
    const held = { ...models, RecordClaim }
    const referrals = createReferralRepository(t.connection, held)
    const outcomes = createReferralOutcomeRepository(t.connection, held)
    const episodes = createEpisodeRepository(t.connection, held)
    return {
      episodes: holding(episodes, { after: { get: at.read } }),
      referrals: holding(referrals, { after: { get: at.read } }),
      outcomes: holding(outcomes, { after: { get: at.read } }),
    }
  }

  /** The real referral and outcome services over `repos` (one app instance). */
  function servicesOver(repos: ReturnType<typeof repositories>) {
    const real = createRepositories(t.connection, () => undefined)
    const audit = createAuditService({
      audit: real.audit,
      findUserIdByEmail: async (email) => (await real.accounts.findUserByEmail(email))?.id ?? null,
    })
    const referrals = createReferralService({
      referrals: repos.referrals,
      people: real.people,
      personService: createPersonService({
        people: real.people,
        audit,
        findPractice: (id) => real.accounts.findCareOrganisation(id),
        listPractices: () => real.accounts.listCareOrganisations('practice'),
      }),
      audit,
      mailer,
      getService: referralTargets(t.services.directory),
      organisationEmails: (organisationId) => real.accounts.activeEmails('vco_member', { kind: 'vco', organisationId }),
      findCareOrganisation: async () => null,
      publicUrl: 'http://loopwell.test',
    })
    const outcomes = createOutcomeService({
      outcomes: repos.outcomes,
      audit,
      mailer,
      practiceEmails: async () => [],
      statusLabel: (status) => status,
      needLabel: (id) => id,
      publicUrl: 'http://loopwell.test',
    })
    const episodes = createEpisodeService({
      episodes: repos.episodes,
      people: real.people,
      audit,
      mailer,
      findCareOrganisation: (id) => real.accounts.findCareOrganisation(id),
      listCareOrganisations: (kind) => real.accounts.listCareOrganisations(kind),
      connections: async () => [],
      practiceEmails: async () => [],
      // The caseload's counts read these; acting on one episode does not.
      facts: async () => [],
      needLabel: (id) => id,
      publicUrl: 'http://loopwell.test',
    })
    return { referrals, outcomes, episodes }
  }

  const newReferral = async (note: string) =>
    (await t.services.referrals.submit(lw, submitInput(serviceId, { note }), null)).referral

  it('accept and decline by two people, both having read the referral and both about to write: one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const referral = await newReferral(`forced-act-${round}`)
      const read = barrier(2)
      const write = barrier(2)
      const { referrals } = servicesOver(repositories({ read, write }))
      const outcomes = await Promise.allSettled([
        referrals.act(vco, referral.id, { action: 'accept', version: referral.version }, null),
        referrals.act(
          manager,
          referral.id,
          { action: 'decline', version: referral.version, reason: 'no_capacity' },
          null,
        ),
      ])
      expect(read.reached && write.reached, 'both read, then both reached the write').to.equal(true)
      expect(outcomes.map((o) => o.status).sort()).to.deep.equal(['fulfilled', 'rejected'])
      expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).to.be.instanceOf(
        ConflictError,
      )
      const { referral: after } = await t.services.referrals.get(vco, referral.id, null)
      const winner = outcomes[0]!.status === 'fulfilled' ? 'accepted' : 'declined'
      expect(after.status).to.equal(winner)
      expect(after.version).to.equal(referral.version + 1)
      expect(after.events.filter((e) => e.action === 'accept' || e.action === 'decline')).to.have.length(1)
    }
  })

  it('an episode accepted and declined at triage by two link workers, both having read it, both about to write', async () => {
    const before = (await t.services.episodes.get(lw, DEMO_EPISODES.triage, null)).episode
    const read = barrier(2)
    const write = barrier(2)
    const { episodes } = servicesOver(repositories({ read, write }))
    const results = await Promise.allSettled([
      episodes.act(lw, before.id, before.version, { type: 'accept' }, null),
      episodes.act(lw, before.id, before.version, { type: 'decline', reason: 'person_declined', note: '' }, null),
    ])
    expect(read.reached && write.reached).to.equal(true)
    expect(results.map((r) => r.status).sort()).to.deep.equal(['fulfilled', 'rejected'])
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).to.be.instanceOf(
      ConflictError,
    )
    const after = (await t.services.episodes.get(lw, before.id, null)).episode
    expect(after.stage).to.equal(results[0]!.status === 'fulfilled' ? 'accepted' : 'declined')
    expect(after.events.filter((e) => e.action === 'accept' || e.action === 'decline')).to.have.length(1)
    // One SNOMED CT code: referred to social prescribing, or the person declined it; never both.
    expect(after.codes.map((c) => c.code)).to.deep.equal([
      after.stage === 'accepted' ? '871731000000106' : '871711000000103',
    ])
  })

  it('the same form submitted twice, both past the "already sent?" check before either stores it: one referral', async () => {
    const read = barrier(2)
    const { referrals } = servicesOver(repositories({ read }))
    const form = submitInput(serviceId, { note: 'forced-submit' })
    smtp.clear()
    const results = await Promise.all([referrals.submit(lw, form, null), referrals.submit(lw, form, null)])
    expect(read.reached).to.equal(true)
    expect(results.map((r) => r.created).sort()).to.deep.equal([false, true])
    expect(results[0]!.referral.id).to.equal(results[1]!.referral.id)
    const stored = await t.connection.collection('referrals').countDocuments({ note: 'forced-submit' })
    expect(stored).to.equal(1)
    const person = await t.connection.collection('people').findOne({ _id: form.personId as never })
    const consents = (person?.consents as { id: string }[]).map((c) => c.id)
    expect(consents.length, 'each consent recorded once').to.equal(new Set(consents).size)
    const told = smtp.messages.filter((m) => m.subject === 'New referral' && m.text.includes(results[0]!.referral.id))
    expect(told.length, 'one email to each member of the organisation').to.equal(new Set(told.map((m) => m.to[0])).size)
  })

  it('the same new-person form posted twice, both past the duplicate check and about to store it: one person', async () => {
    const write = barrier(2)
    const real = createRepositories(t.connection, () => undefined)
    const people = {
      ...real.people,
      async insert(person: Parameters<typeof real.people.insert>[0]) {
        await write.arrive()
        return real.people.insert(person)
      },
    }
    const service = createPersonService({
      people,
      audit: createAuditService({ audit: real.audit, findUserIdByEmail: async () => null }),
      findPractice: (id) => real.accounts.findCareOrganisation(id),
      listPractices: () => real.accounts.listCareOrganisations('practice'),
    })
    const form = personForm({
      givenName: 'Forcedina',
      familyName: 'Twiceposted',
      dateOfBirth: '1950-02-03',
      phone: null,
      contactPreference: 'letter',
      idempotencyKey: 'c0ffee00-0000-4000-8000-000000000001',
    })
    const results = await Promise.all([
      service.create(lw, form, { confirmDuplicate: false, ip: null }),
      service.create(lw, form, { confirmDuplicate: false, ip: null }),
    ])
    expect(write.reached).to.equal(true)
    const ids = results.map((r) => ('created' in r ? r.created.id : null))
    expect(ids[0]).to.be.a('string')
    expect(ids[1]).to.equal(ids[0])
    expect(await t.connection.collection('people').countDocuments({ familyName: 'Twiceposted' })).to.equal(1)
  })

  /**
   * Two messages posted at once on a new referral, as [who, text, idempotency key], their claims both held until both
   * are about to write; the messages stored after.
   */
  async function messagesAtOnce(note: string, posts: [typeof vco, string, string][]) {
    const referral = await newReferral(note)
    const write = barrier(2)
    const { referrals } = servicesOver(repositories({ write }))
    await Promise.all(posts.map(([actor, text, key]) => referrals.message(actor, referral.id, text, null, key)))
    expect(write.reached).to.equal(true)
    return (await t.services.referrals.get(vco, referral.id, null)).referral.messages
  }

  it('two messages at once, both having read the referral before either is added: both kept, each once', async () => {
    // The loser reads the referral again and adds its message.
    const messages = await messagesAtOnce('forced-messages', [
      [vco, 'from the organisation', 'key-vco'],
      [lw, 'from the referrer', 'key-lw'],
    ])
    expect(messages.map((m) => m.text).sort()).to.deep.equal(['from the organisation', 'from the referrer'])
  })

  it('the same message posted twice at once (a double click), both about to write: kept once', async () => {
    const messages = await messagesAtOnce('forced-same-message', [
      [vco, 'only once please', 'same-key'],
      [vco, 'only once please', 'same-key'],
    ])
    expect(messages.filter((m) => m.text === 'only once please')).to.have.length(1)
  })

  it('an outcome and a measure recorded at once, both having read the referral: both kept', async () => {
    const referral = await newReferral('forced-outcome')
    // Both are held until both have read the referral and are about to save: one save wins, the other reads again.
    const write = barrier(2)
    const { outcomes } = servicesOver(repositories({ write }))
    const [, measured] = await Promise.all([
      outcomes.recordWorkerOutcome(
        lw,
        referral.id,
        { helped: 'a_lot', note: 'went every week', goals: [], unmetNeeds: [], unmetNote: '' },
        null,
      ),
      outcomes.recordMeasure(vco, referral.id, 'swemwbs', 'baseline', SWEMWBS, null),
    ])
    expect(write.reached).to.equal(true)
    expect(measured.ok, JSON.stringify(measured)).to.equal(true)
    const stored = await t.connection.collection('referrals').findOne({ _id: referral.id as never })
    expect((stored?.outcome as { worker?: { note: string } }).worker?.note).to.equal('went every week')
    expect(stored?.measures as unknown[]).to.have.length(1)
  })

  it('two instances running the clock job, both having listed the open referrals before either claims: one email each', async function () {
    this.timeout(120_000)
    const referral = await newReferral('forced-clock')
    const listed = barrier(2)
    const write = barrier(2)
    // Two app instances, each with its own repositories; both hold at their claim of this referral until both have
    // reached it, whatever else each has done before.
    const instance = () => {
      const repos = repositories({ write, only: referral.id })
      const listOpen = repos.referrals.listOpen
      repos.referrals.listOpen = async () => {
        const open = await listOpen()
        await listed.arrive()
        return open
      }
      return servicesOver(repos).referrals
    }
    const [one, two] = [instance(), instance()]
    smtp.clear()
    const overdue = new Date(new Date(referral.submittedAt).getTime() + 3 * DAY + 60_000)
    await Promise.all([one.runClockSweep(overdue), two.runClockSweep(overdue)])
    expect(listed.reached && write.reached).to.equal(true)
    const sent = smtp.messages.map((m) => `${m.to.join(',')} ${m.subject} ${m.text}`)
    expect(sent.length, 'the job sent its emails').to.be.greaterThan(0)
    const overdueEmails = smtp.messages.filter(
      (m) => m.subject === 'Overdue referral: not acknowledged in time' && m.text.includes(referral.id),
    )
    const recipients = overdueEmails.map((m) => m.to.join(','))
    expect(recipients, 'every member of the organisation told once').to.include(vco.email)
    expect(recipients).to.have.length(new Set(recipients).size)
    expect(sent.length, 'no email twice').to.equal(new Set(sent).size)
  })
})
