import { expect } from 'chai'
import { ConflictError, ValidationError } from '../../../../server/errors'
import {
  applyEpisodeAction,
  availableEpisodeActions,
  EPISODE_CODES,
  episodeClock,
  episodeUrgency,
  newEpisode,
  type EpisodeRecord,
} from '../../../../server/domain/episode'
import { scoreMeasure, instrument } from '../../../../server/services/measures/measures'

const worker = { userId: 'u-1', name: 'Sam Link' }
const t0 = new Date('2026-12-01T10:00:00Z')
const later = (days: number) => new Date(t0.getTime() + days * 86_400_000)
/** `action` taken on `episode` by the worker, `day` days after the referral. */
const act = (episode: EpisodeRecord, action: Parameters<typeof applyEpisodeAction>[1], day: number) =>
  applyEpisodeAction(episode, action, worker, later(day))

function referred(): EpisodeRecord {
  return newEpisode({
    id: 'ep-1',
    teamId: 'team-1',
    teamName: 'Barnet Social Prescribing',
    person: {
      givenName: 'Ada',
      familyName: 'Lovelace',
      dateOfBirth: '1950-03-04',
      nhsNumber: '9434765919',
      phone: '07700900123',
      email: null,
      address: '1 High Street',
      postcode: 'EN5 1AA',
      practiceId: 'practice-1',
      practiceName: 'Barnet Surgery',
      practiceOdsCode: 'E83001',
    },
    referrer: {
      source: 'gp',
      userId: 'gp-1',
      name: 'Dr Gee',
      email: 'gp@example.org',
      organisationName: 'Barnet Surgery',
    },
    reason: 'Lonely since bereavement',
    consentToRefer: true,
    gpFeedbackConsent: true,
    by: { userId: 'gp-1', name: 'Dr Gee' },
    now: t0,
  })
}

const accepted = () => act(referred(), { type: 'accept' }, 1)
const planning = () => act(accepted(), { type: 'conversation', date: '2026-12-03', note: 'Met at the library' }, 2)
const active = () =>
  act(
    planning(),
    { type: 'plan', whatMatters: 'Seeing people', needs: ['n-1'], goals: [{ text: 'Join a group', status: 'open' }] },
    3,
  )

describe('applyEpisodeAction', () => {
  it('starts in triage with one event and no code', () => {
    const e = referred()
    expect(e.stage).to.equal('triage')
    expect(e.codes).to.deep.equal([])
    expect(e.events.map((x) => x.action)).to.deep.equal(['refer'])
    expect(availableEpisodeActions('triage')).to.deep.equal(['accept', 'decline', 'assign'])
  })

  describe('accept', () => {
    it('records 871731000000106 once, takes the worker as owner and raises the version', () => {
      const e = accepted()
      expect(e.stage).to.equal('accepted')
      expect(e.version).to.equal(2)
      expect(e.ownerId).to.equal('u-1')
      expect(e.codes.map((c) => c.code)).to.deep.equal([EPISODE_CODES.accepted.code])
      expect(e.events.at(-1)).to.include({ action: 'accept', from: 'triage', to: 'accepted' })
    })

    it('cannot be applied twice (the second is a conflict, so the code is never doubled)', () => {
      expect(() => act(accepted(), { type: 'accept' }, 2)).to.throw(ConflictError)
    })

    it('leaves the episode it was given unchanged', () => {
      const before = referred()
      const copy = structuredClone(before)
      act(before, { type: 'accept' }, 1)
      expect(before).to.deep.equal(copy)
    })
  })

  describe('decline', () => {
    it('codes 871711000000103 when the person declines, and closes the episode', () => {
      const e = act(referred(), { type: 'decline', reason: 'person_declined', note: '' }, 1)
      expect(e.stage).to.equal('declined')
      expect(e.open).to.equal(false)
      expect(e.codes.map((c) => c.code)).to.deep.equal([EPISODE_CODES.declined.code])
    })

    it('records no code when the team declines for another reason', () => {
      const e = act(referred(), { type: 'decline', reason: 'not_eligible', note: 'Out of area' }, 1)
      expect(e.declineReason).to.equal('not_eligible')
      expect(e.codes).to.deep.equal([])
      expect(e.events.at(-1)!.note).to.equal('Out of area')
    })
  })

  it('assign sets the owner without moving the stage', () => {
    const e = act(referred(), { type: 'assign', owner: { userId: 'u-2', name: 'Jo' } }, 1)
    expect(e).to.include({ stage: 'triage', ownerId: 'u-2', ownerName: 'Jo' })
  })

  describe('conversation', () => {
    it('moves an accepted episode to planning with the date of the first conversation', () => {
      const e = planning()
      expect(e.stage).to.equal('planning')
      expect(e.firstConversationAt!.toISOString().slice(0, 10)).to.equal('2026-12-03')
    })

    it('refuses a missing date and is a conflict before acceptance', () => {
      expect(() => act(accepted(), { type: 'conversation', date: '', note: '' }, 0)).to.throw(ValidationError)
      expect(() => act(referred(), { type: 'conversation', date: '2026-12-03', note: '' }, 0)).to.throw(ConflictError)
    })
  })

  describe('plan', () => {
    it('records what matters, needs and goals and makes the episode active', () => {
      const e = active()
      expect(e.stage).to.equal('active')
      expect(e.whatMatters).to.equal('Seeing people')
      expect(e.goals.map((g) => g.text)).to.deep.equal(['Join a group'])
    })

    it('needs what matters and at least one goal', () => {
      const p = planning()
      expect(() =>
        applyEpisodeAction(
          p,
          { type: 'plan', whatMatters: ' ', needs: [], goals: [{ text: 'x', status: 'open' }] },
          worker,
          t0,
        ),
      ).to.throw(ValidationError)
      expect(() => act(p, { type: 'plan', whatMatters: 'x', needs: [], goals: [] }, 0)).to.throw(ValidationError)
    })
  })

  describe('contact', () => {
    it('adds a contact in date order and keeps the stage', () => {
      let e = act(active(), { type: 'contact', date: '2026-12-10', mode: 'phone', minutes: 20, note: 'Call' }, 9)
      e = act(e, { type: 'contact', date: '2026-12-05', mode: 'home_visit', minutes: 60, note: 'Visit' }, 9)
      expect(e.stage).to.equal('active')
      expect(e.contacts.map((c) => c.date)).to.deep.equal(['2026-12-05', '2026-12-10'])
      expect(new Set(e.contacts.map((c) => c.id)).size).to.equal(2)
    })

    it('refuses a duration outside 1 to 600 minutes', () => {
      expect(() =>
        applyEpisodeAction(
          active(),
          { type: 'contact', date: '2026-12-10', mode: 'phone', minutes: 0, note: '' },
          worker,
          t0,
        ),
      ).to.throw(ValidationError)
    })
  })

  describe('tasks', () => {
    it('adds a task and marks it done once', () => {
      const withTask = act(active(), { type: 'task', text: 'Ring the group', due: '2026-12-12' }, 4)
      const taskId = withTask.tasks[0]!.id
      const done = act(withTask, { type: 'task-done', taskId }, 5)
      expect(done.tasks[0]!.doneAt).to.deep.equal(later(5))
      expect(() => act(done, { type: 'task-done', taskId }, 6)).to.throw(ConflictError)
    })
  })

  it('measure keeps a scored ONS4 on the episode', () => {
    const ons4 = instrument('ons4')
    const answers = Object.fromEntries(ons4.items.map((i) => [i.id, 5]))
    const scored = scoreMeasure(ons4, answers)
    if (!scored.ok) throw new Error('invalid answers')
    const record = {
      id: 'm-1',
      instrumentId: 'ons4',
      timing: 'baseline' as const,
      at: later(2),
      answers: scored.answers,
      scores: scored.scores,
      source: 'worker' as const,
      by: worker,
    }
    const e = act(accepted(), { type: 'measure', record }, 2)
    expect(e.measures).to.have.length(1)
    expect(e.stage).to.equal('accepted')
  })

  describe('discharge', () => {
    it('closes with a reason and keeps the acceptance code', () => {
      const e = act(active(), { type: 'discharge', reason: 'goals_met', note: 'Going weekly' }, 60)
      expect(e).to.include({ stage: 'discharged', open: false, dischargeReason: 'goals_met' })
      expect(e.codes.map((c) => c.code)).to.deep.equal([EPISODE_CODES.accepted.code])
      expect(() => act(e, { type: 'contact', date: '2026-12-10', mode: 'phone', minutes: 5, note: '' }, 61)).to.throw(
        ConflictError,
      )
    })
  })

  it('message is kept once per kind', () => {
    const message = { id: 'msg-1', kind: 'triage' as const, at: later(1), content: {} }
    const once = act(accepted(), { type: 'message', message }, 1)
    expect(once.messages).to.have.length(1)
    expect(act(once, { type: 'message', message }, 1)).to.equal(once)
  })
})

describe('episodeUrgency', () => {
  it("works out the clock from the fields an episode fact keeps: the last contact day and the open tasks' due days", () => {
    const now = new Date('2026-12-20T09:00:00Z')
    const base = { stage: 'active' as const, referredAt: new Date('2026-11-01T10:00:00Z') }
    expect(episodeUrgency({ ...base, lastContactOn: '2026-12-10', openTaskDues: [] }, now)).to.deep.equal({
      nextContactDue: '2026-12-31',
      stepOverdue: null,
      tasksOverdue: 0,
    })
    expect(
      episodeUrgency({ ...base, lastContactOn: '2026-11-20', openTaskDues: ['2026-12-01', '2026-12-25'] }, now),
    ).to.deep.equal({ nextContactDue: '2026-12-11', stepOverdue: 'Contact', tasksOverdue: 1 })
    expect(
      episodeUrgency(
        { stage: 'triage', referredAt: new Date('2026-12-17T10:00:00Z'), lastContactOn: null, openTaskDues: [] },
        now,
      ),
    ).to.deep.equal({ nextContactDue: null, stepOverdue: 'Triage', tasksOverdue: 0 })
  })
})

describe('episodeClock', () => {
  it('flags triage waiting past two days, and an overdue task', () => {
    expect(episodeClock(referred(), later(3)).overdue).to.deep.equal(['Triage'])
    const withTask = act(active(), { type: 'task', text: 'Ring the group', due: '2026-12-05' }, 4)
    expect(episodeClock(withTask, later(10)).overdue).to.include('Task: Ring the group')
  })

  it('puts the next contact three weeks after the last one', () => {
    const e = act(active(), { type: 'contact', date: '2026-12-10', mode: 'phone', minutes: 20, note: '' }, 9)
    expect(episodeClock(e, later(10))).to.deep.equal({ nextContactDue: '2026-12-31', overdue: [] })
  })

  it("follows a deployment's own targets", () => {
    const targets = { triageDays: 5, conversationDays: 3, contactEveryDays: 7 }
    expect(episodeClock(referred(), later(3), targets).overdue).to.deep.equal([])
    expect(episodeClock(referred(), later(6), targets).overdue).to.deep.equal(['Triage'])
    const e = act(active(), { type: 'contact', date: '2026-12-10', mode: 'phone', minutes: 20, note: '' }, 9)
    expect(episodeClock(e, later(10), targets).nextContactDue).to.equal('2026-12-17')
  })
})
