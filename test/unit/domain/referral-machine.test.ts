import { expect } from 'chai'
import {
  applyAction,
  applyChange,
  OTHER_ACTIONS,
  submittedReferral,
  type ActionRequest,
  type MachineAction,
} from '../../../server/domain/referral-machine'
import type { ReferralRecord } from '../../../server/domain/referral-records'
import { REFERRAL_ACTIONS, REFERRAL_STATUSES, type ReferralStatus } from '../../../server/domain/referral-status'
import { computeClocks, DEFAULT_CLOCK_TARGETS } from '../../../server/domain/referral-clocks'

const LW = { userId: 'lw-1', name: 'Lee Worker' }
const VM = { userId: 'vm-1', name: 'Val Member' }
const SUBMITTED = new Date('2026-03-02T09:00:00Z')
const NOW = new Date('2026-03-03T10:00:00Z')

function referral(overrides: Partial<ReferralRecord> = {}): ReferralRecord {
  const submitted = submittedReferral(
    {
      id: 'ref-1',
      idempotencyKey: 'lw-1:key',
      personId: 'person-1',
      teamId: 'team-1',
      teamName: 'Team',
      referrer: { ...LW, email: 'lw@example.org' },
      serviceId: 'svc-1',
      serviceName: 'Walking group',
      organisationId: 'org-1',
      organisationName: 'Age Well',
      practiceId: null,
      gpFeedbackConsent: false,
      consentEventId: 'consent-1',
      shared: {
        name: 'Pat Example',
        contactPreference: 'phone',
        phone: '07700 900000',
        email: null,
        address: null,
        ageBand: '65 and over',
      },
      needs: [],
      note: '',
      supportToAttend: 'none',
      submittedAt: SUBMITTED,
      clocks: computeClocks(SUBMITTED, DEFAULT_CLOCK_TARGETS),
      origin: 'manual',
    },
    LW,
  )
  return { ...submitted, ...overrides }
}

function act(r: ReferralRecord, request: ActionRequest, by = VM as typeof VM | null) {
  const change = applyAction(r, request, by, NOW)
  expect(change, `${request.type} from ${r.status}`).to.not.equal(null)
  return { change: change!, after: applyChange(r, change!) }
}

describe('The referral state machine', () => {
  describe('submittedReferral', () => {
    it('starts new, open, at version 1, with the submission as its only event', () => {
      const r = referral()
      expect(r).to.include({ status: 'new', version: 1, open: true, acknowledgedAt: null, closedAt: null })
      expect(r.events).to.have.length(1)
      expect(r.events[0]).to.include({ action: 'submit', from: null, to: 'new', by: LW })
    })
  })

  describe('applyAction', () => {
    it('refuses every action from a status its rule does not list, and changes nothing', () => {
      const rules = { ...REFERRAL_ACTIONS, ...OTHER_ACTIONS } as Record<
        MachineAction,
        { from: readonly ReferralStatus[] }
      >
      for (const [action, rule] of Object.entries(rules) as [MachineAction, { from: readonly ReferralStatus[] }][]) {
        for (const status of REFERRAL_STATUSES.filter((s) => !rule.from.includes(s))) {
          const r = referral({ status })
          expect(applyAction(r, { type: action }, VM, NOW), `${action} from ${status}`).to.equal(null)
          expect(r.status).to.equal(status)
        }
      }
    })

    it('acknowledge: records when, and the event from new to acknowledged', () => {
      const { change, after } = act(referral(), { type: 'acknowledge' })
      expect(after).to.include({ status: 'acknowledged', acknowledgedAt: NOW, version: 2, open: true })
      expect(change.push.events).to.include({ action: 'acknowledge', from: 'new', to: 'acknowledged', by: VM })
      expect(change.closes).to.equal(false)
    })

    it('accept: records when, and acknowledges too when nobody had', () => {
      const { after } = act(referral(), { type: 'accept' })
      expect(after).to.include({ status: 'accepted', acceptedAt: NOW, acknowledgedAt: NOW })
      const earlier = new Date('2026-03-02T12:00:00Z')
      const { after: again } = act(referral({ status: 'acknowledged', acknowledgedAt: earlier }), { type: 'accept' })
      expect(again.acknowledgedAt).to.equal(earlier)
    })

    it('decline: keeps the reason and text, acknowledges, and closes the referral', () => {
      const { change, after } = act(referral(), { type: 'decline', reason: 'no_capacity', text: 'Full until May' })
      expect(after).to.include({
        status: 'declined',
        declineReason: 'no_capacity',
        declineText: 'Full until May',
        acknowledgedAt: NOW,
        open: false,
        closedAt: NOW,
      })
      expect(change.closes).to.equal(true)
      expect(change.push.events).to.include({ reason: 'no_capacity', note: 'Full until May' })
    })

    it('contact-attempt: appends the attempt and keeps the status', () => {
      const { after } = act(referral({ status: 'accepted' }), { type: 'contact-attempt', note: 'No answer' })
      expect(after.status).to.equal('accepted')
      expect(after.contactAttempts).to.deep.equal([{ at: NOW, by: VM, note: 'No answer' }])
      expect(after.events.at(-1)).to.include({ action: 'contact-attempt', from: 'accepted', to: 'accepted' })
    })

    it('first-contact: takes the date given (at noon), or now', () => {
      const { after } = act(referral({ status: 'accepted' }), { type: 'first-contact', date: '2026-03-03' })
      expect(after).to.include({ status: 'contacted' })
      expect(after.firstContactAt!.toISOString()).to.equal('2026-03-03T12:00:00.000Z')
      expect(act(referral({ status: 'acknowledged' }), { type: 'first-contact' }).after.firstContactAt).to.equal(NOW)
    })

    it('attending: moves contacted to attending', () => {
      expect(act(referral({ status: 'contacted' }), { type: 'attending' }).after.status).to.equal('attending')
    })

    it('session: an attended session is appended; a missed one adds a re-engagement task and no discharge', () => {
      const attended = act(referral({ status: 'attending' }), { type: 'session', date: '2026-03-03' }).after
      expect(attended.sessions).to.have.length(1)
      expect(attended.sessions[0]).to.include({ date: '2026-03-03', attended: true })
      expect(attended.tasks).to.deep.equal([])

      const { change, after } = act(referral({ status: 'attending' }), { type: 'session', attended: false })
      expect(after.status).to.equal('attending')
      expect(after.tasks).to.have.length(1)
      expect(after.tasks[0]).to.include({ kind: 're-engage', doneAt: null })
      expect(change.push.events.reason).to.equal('missed session')
    })

    it('task-done: marks the open task done, and refuses a task that is done or unknown', () => {
      const missed = act(referral({ status: 'attending' }), { type: 'session', attended: false }).after
      const taskId = missed.tasks[0]!.id
      const done = act(missed, { type: 'task-done', taskId }).after
      expect(done.tasks[0]!.doneAt).to.equal(NOW)
      expect(applyAction(done, { type: 'task-done', taskId }, VM, NOW)).to.equal(null)
      expect(applyAction(missed, { type: 'task-done', taskId: 'nope' }, VM, NOW)).to.equal(null)
    })

    for (const [action, from, to] of [
      ['complete', 'attending', 'completed'],
      ['did-not-engage', 'contacted', 'did_not_engage'],
      ['withdraw', 'new', 'withdrawn'],
    ] as const) {
      it(`${action}: closes the referral as ${to}`, () => {
        const { change, after } = act(referral({ status: from }), { type: action })
        expect(after).to.include({ status: to, open: false, closedAt: NOW })
        expect(change.closes).to.equal(true)
      })
    }

    it('return: the system returns an unacknowledged referral as no response, with nobody as the actor', () => {
      const { change, after } = act(referral(), { type: 'return', reason: 'not acknowledged within 10 days' }, null)
      expect(after).to.include({ status: 'no_response', open: false, closedAt: NOW })
      expect(change.push.events).to.include({ by: null, action: 'return', reason: 'not acknowledged within 10 days' })
    })

    it('a side acting: its close is its own to reopen, the GP note waits, and the referrer hears of a decline', () => {
      const vco = { side: 'vco', reopenHours: 48 } as const
      const declined = applyAction(referral(), { type: 'decline', reason: 'no_capacity' }, VM, NOW, vco)!
      expect(declined.set).to.include({ closedBySide: 'vco', gpNotePending: true, referrerAttention: true })
      expect(declined.push.attention).to.deep.equal({ kind: 'declined', at: NOW, dueAt: null })
      const now = applyAction(referral(), { type: 'withdraw' }, LW, NOW, { side: 'referrer', reopenHours: 0 })!
      expect(now.set).to.include({ closedBySide: 'referrer', gpNotePending: false })
      expect(now.push.attention).to.equal(undefined)
      const bare = applyAction(referral(), { type: 'decline' }, VM, NOW)!
      expect(bare.set).to.not.have.any.keys('closedBySide', 'gpNotePending', 'referrerAttention')
    })

    describe('reopen', () => {
      const vco = { side: 'vco', reopenHours: 48 } as const
      const closedBy = (side: 'vco' | 'referrer', action: ActionRequest, from: ReferralStatus = 'attending') => {
        const r = referral({ status: from, acknowledgedAt: SUBMITTED })
        const change = applyAction(r, action, side === 'vco' ? VM : LW, NOW, { side, reopenHours: 48 })!
        return applyChange(r, change)
      }

      it('goes back to the status it closed from, open again, and keeps both events', () => {
        const done = closedBy('vco', { type: 'complete' })
        const later = new Date(NOW.getTime() + 3_600_000)
        const change = applyAction(done, { type: 'reopen', text: 'Closed by mistake' }, VM, later, vco)!
        const after = applyChange(done, change)
        expect(after).to.include({ status: 'attending', open: true, closedAt: null, closedBySide: null })
        expect(after).to.include({ gpNotePending: false, referrerAttention: false })
        expect(after.attention).to.deep.equal([])
        expect(change.closes).to.equal(false)
        expect(after.events.map((e) => e.action)).to.deep.equal(['submit', 'complete', 'reopen'])
        expect(after.events.at(-1)).to.include({ from: 'completed', to: 'attending', note: 'Closed by mistake' })
      })

      it('clears a decline, and keeps worklist items the close did not make', () => {
        const declined = closedBy('vco', { type: 'decline', reason: 'other', text: 'Full' }, 'acknowledged')
        const withMessage = {
          ...declined,
          attention: [...declined.attention!, { kind: 'message' as const, at: NOW, dueAt: null }],
        }
        const after = applyChange(withMessage, applyAction(withMessage, { type: 'reopen', text: 'x' }, VM, NOW, vco)!)
        expect(after).to.include({ status: 'acknowledged', declineReason: null, declineText: null })
        expect(after).to.include({ referrerAttention: true })
        expect(after.attention!.map((a) => a.kind)).to.deep.equal(['message'])
      })

      it('is refused to the other side, after the window, without a side, and for a return', () => {
        const done = closedBy('vco', { type: 'complete' })
        expect(applyAction(done, { type: 'reopen' }, LW, NOW, { side: 'referrer', reopenHours: 48 })).to.equal(null)
        const late = new Date(NOW.getTime() + 49 * 3_600_000)
        expect(applyAction(done, { type: 'reopen' }, VM, late, vco)).to.equal(null)
        expect(applyAction(done, { type: 'reopen' }, VM, NOW)).to.equal(null)
        const returned = applyChange(referral(), applyAction(referral(), { type: 'return' }, null, NOW)!)
        expect(applyAction(returned, { type: 'reopen' }, VM, NOW, vco)).to.equal(null)
      })
    })

    it('names each event by the referral and the version it makes, so a replay makes the same ids', () => {
      const once = act(referral(), { type: 'acknowledge' }).change.push.events.id
      const twice = act(referral(), { type: 'acknowledge' }).change.push.events.id
      expect(once).to.equal(twice)
      expect(act(referral({ version: 5 }), { type: 'acknowledge' }).change.push.events.id).to.not.equal(once)
    })
  })
})
