// The referral service on a real database with a real SMTP server: concurrent submissions (exactly the distinct ones
// stored, each once, in the right inbox) and two people acting at once (one wins, the other is told). The clock job
// has its own file and database (referral-clock-sweep.test.ts).
import { expect } from 'chai'
import { newId } from '../../../server/domain/ids'
import { ConflictError } from '../../../server/errors'
import { DEMO_CARERS_CENTRE_ID, DEMO_PEOPLE, DEMO_REFERRALS } from '../../../server/services/demo-referrals'
import { DEMO_PRACTICE, DEMO_VCO } from '../../../server/services/demo-accounts'
import type { SubmitInput } from '../../../server/services/referral.service'
import { useDemoAppWithMail } from '../../helpers/app'
import { newPerson } from '../../helpers/factories'
import { demoActor, submitInput } from '../../helpers/referrals'

describe('ReferralService', () => {
  const t = useDemoAppWithMail('referral_service')
  const lw = demoActor('link-worker')
  const vco = demoActor('vco-member')
  let ageWellService: string
  let carersService: string

  before(async () => {
    ageWellService = (await t.services.referrals.get(lw, DEMO_REFERRALS.new, null)).referral.serviceId
    carersService = (await t.services.referrals.get(lw, DEMO_REFERRALS.otherOrganisation, null)).referral.serviceId
  })

  const input = (over: Partial<SubmitInput>) => submitInput(ageWellService, { note: 'concurrency', ...over })

  describe('submit', () => {
    it('stores exactly the distinct referrals of 200 concurrent submissions (with retries), each once, in the right inbox', async function () {
      this.timeout(300_000)
      const people = Object.values(DEMO_PEOPLE)
      // 80 distinct referrals to two organisations, for four people; 120 retries of some of them.
      const distinct = Array.from({ length: 80 }, (_, i) =>
        input({
          idempotencyKey: newId(),
          personId: people[i % people.length]!,
          serviceId: i % 2 === 0 ? ageWellService : carersService,
          note: `batch-${i}`,
        }),
      )
      const submissions = [...distinct, ...Array.from({ length: 120 }, (_, i) => distinct[(i * 7) % distinct.length]!)]
      submissions.sort(() => Math.random() - 0.5)
      const results = await Promise.all(submissions.map((s) => t.services.referrals.submit(lw, s, null)))

      const created = results.filter((r) => r.created)
      expect(created).to.have.length(80)
      const ids = new Set(results.map((r) => r.referral.id))
      expect(ids.size).to.equal(80)

      // Both lists page 25 at a time: read every page.
      const everyPage = async <T>(read: (page: number) => Promise<{ referrals: T[]; total: number }>) => {
        const first = await read(1)
        const rest = await Promise.all(
          Array.from({ length: Math.ceil(first.total / 25) - 1 }, (_, i) => read(i + 2).then((p) => p.referrals)),
        )
        return [...first.referrals, ...rest.flat()]
      }
      const ageWellInbox = (await everyPage((p) => t.services.referrals.inbox(vco, 'new', null, p))).filter((r) =>
        r.note.startsWith('batch-'),
      )
      expect(ageWellInbox).to.have.length(40)
      expect(ageWellInbox.every((r) => r.organisationId === DEMO_VCO.id)).to.equal(true)
      const team = (await everyPage((p) => t.services.referrals.teamReferrals(lw, null, p))).filter((r) =>
        r.note.startsWith('batch-'),
      )
      expect(team).to.have.length(80)
      expect(new Set(team.map((r) => r.note)).size).to.equal(80)
      expect(team.filter((r) => r.organisationId === DEMO_CARERS_CENTRE_ID)).to.have.length(40)
      for (const r of team) {
        const i = Number(r.note.slice('batch-'.length))
        expect(r.organisationId).to.equal(i % 2 === 0 ? DEMO_VCO.id : DEMO_CARERS_CENTRE_ID)
      }
    })

    it('records consent to share with the organisation once, even when a submission is retried at the same moment', async () => {
      const person = await newPerson(t.services, lw, { practiceId: DEMO_PRACTICE.id })
      const same = input({ personId: person.id, serviceId: ageWellService, note: 'consent-once', gpFeedback: true })
      await Promise.all([1, 2, 3, 4].map(() => t.services.referrals.submit(lw, same, null)))
      const after = await t.services.people.get(lw, person.id, null)
      // Consent to share with the organisation, and to feed back to the GP: each once.
      expect(after.consents.map((c) => c.scope).sort()).to.deep.equal(['feedback_to_gp', 'share_with_organisation'])
    })
  })

  describe('act', () => {
    it('lets exactly one of two people acting at once win; the other is told someone else has just updated it', async function () {
      this.timeout(60_000)
      for (let round = 0; round < 10; round++) {
        const { referral } = await t.services.referrals.submit(lw, input({ note: `race-${round}` }), null)
        const manager = demoActor('vco-manager')
        const outcomes = await Promise.allSettled([
          t.services.referrals.act(vco, referral.id, { action: 'acknowledge', version: referral.version }, null),
          t.services.referrals.act(
            manager,
            referral.id,
            { action: 'decline', version: referral.version, reason: 'no_capacity' },
            null,
          ),
        ])
        const won = outcomes.filter((o) => o.status === 'fulfilled')
        const lost = outcomes.filter((o) => o.status === 'rejected')
        expect(won, `round ${round}`).to.have.length(1)
        expect(lost).to.have.length(1)
        const reason = (lost[0] as PromiseRejectedResult).reason as Error
        expect(reason).to.be.instanceOf(ConflictError)
        expect(reason.message).to.equal('Someone else has just updated this referral. Reload to see the latest.')
        const { referral: after } = await t.services.referrals.get(vco, referral.id, null)
        expect(after.events).to.have.length(2)
        // The winner's change is the only one: the note to the GP practice waits for the reopen window to pass.
        expect(after.version).to.equal(referral.version + 1)
      }
    })

    it('records each transition as an event with who, when, from, to and reason', async () => {
      const { referral } = await t.services.referrals.submit(lw, input({ note: 'events' }), null)
      await t.services.referrals.act(
        vco,
        referral.id,
        { action: 'decline', version: 1, reason: 'referred_elsewhere' },
        null,
      )
      const { referral: after } = await t.services.referrals.get(lw, referral.id, null)
      expect(after.status).to.equal('declined')
      expect(after.open).to.equal(false)
      const last = after.events.at(-1)!
      expect(last).to.include({ action: 'decline', from: 'new', to: 'declined', reason: 'referred_elsewhere' })
      expect(last.by).to.deep.equal({ userId: vco.id, name: vco.name })
    })

    it("keeps the GP list's filter flag up to date: closed as did not engage, or a session missed", async () => {
      const flags = async (id: string) =>
        t.connection.collection('referrals').findOne({ _id: id } as never, { projection: { gpDidNotEngage: 1 } })
      const first = (await t.services.referrals.submit(lw, input({ note: 'gp-flag-1' }), null)).referral
      expect(await flags(first.id)).to.include({ gpDidNotEngage: false })
      const accepted = await t.services.referrals.act(vco, first.id, { action: 'accept', version: 1 }, null)
      await t.services.referrals.act(
        vco,
        first.id,
        { action: 'did-not-engage', version: accepted.version, reason: 'could_not_contact' },
        null,
      )
      expect(await flags(first.id)).to.include({ gpDidNotEngage: true })

      const second = (await t.services.referrals.submit(lw, input({ note: 'gp-flag-2' }), null)).referral
      const today = new Date().toISOString().slice(0, 10)
      let r = await t.services.referrals.act(vco, second.id, { action: 'accept', version: 1 }, null)
      r = await t.services.referrals.act(
        vco,
        second.id,
        { action: 'first-contact', version: r.version, date: today },
        null,
      )
      expect(await flags(second.id)).to.include({ gpDidNotEngage: false })
      await t.services.referrals.act(
        vco,
        second.id,
        { action: 'session', version: r.version, date: today, attended: false },
        null,
      )
      expect(await flags(second.id)).to.include({ gpDidNotEngage: true })
    })
  })
})
