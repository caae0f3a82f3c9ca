import { expect } from 'chai'
import type { ReferralSummary } from '../../../server/domain/referral-records'
import { attentionFor } from '../../../server/domain/referral-machine'
import { worklistItems, WORKLIST_KINDS } from '../../../server/services/worklist.service'

const now = new Date('2026-12-07T10:00:00Z')
const day = 86_400_000

function referral(id: string, over: Partial<ReferralSummary>): ReferralSummary {
  return {
    id,
    status: 'accepted',
    open: true,
    shared: { name: `Person ${id}` },
    serviceName: 'Walking group',
    organisationName: 'Age Well',
    submittedAt: new Date(now.getTime() - 2 * day),
    acknowledgedAt: new Date(now.getTime() - 2 * day),
    firstContactAt: null,
    clocks: {
      acknowledgeBy: new Date(now.getTime() + day),
      contactBy: new Date(now.getTime() + 3 * day),
      outcomeBy: new Date(now.getTime() + 15 * day),
      reviewAt: new Date(now.getTime() + 30 * day),
      returnAt: new Date(now.getTime() + 14 * day),
    },
    attention: [],
    ...over,
  } as unknown as ReferralSummary
}

describe('The link worker worklist', () => {
  it('lists declines, returns, messages, requests for help, overdue steps and due follow-ups, in that order', () => {
    const items = worklistItems(
      [
        referral('a', { attention: [{ kind: 'message', at: now, dueAt: null }] }),
        referral('b', {
          status: 'declined',
          open: false,
          attention: [{ kind: 'declined', at: now, dueAt: null }],
        }),
        referral('c', {
          clocks: { ...referral('x', {}).clocks, contactBy: new Date(now.getTime() - day) },
        }),
        referral('d', {
          status: 'completed',
          open: false,
          attention: [{ kind: 'follow-up', at: now, dueAt: new Date(now.getTime() - day) }],
        }),
        referral('e', {
          status: 'no_response',
          open: false,
          attention: [{ kind: 'no-response', at: now, dueAt: null }],
        }),
        referral('f', { attention: [{ kind: 'asked-for-help', at: now, dueAt: null }] }),
      ],
      now,
    )
    expect(items.map((i) => [i.kind, i.referralId])).to.deep.equal([
      ['declined', 'b'],
      ['no-response', 'e'],
      ['message', 'a'],
      ['asked-for-help', 'f'],
      ['overdue', 'c'],
      ['follow-up', 'd'],
    ])
    expect(items.find((i) => i.kind === 'overdue')).to.include({ detail: 'No contact in time', clearable: false })
    expect(items.find((i) => i.kind === 'follow-up')).to.include({ target: 'outcome', clearable: true })
  })

  it('keeps a follow-up off the list until it is due, and a referral with nothing to do off it entirely', () => {
    const items = worklistItems(
      [
        referral('a', {
          status: 'completed',
          open: false,
          attention: [{ kind: 'follow-up', at: now, dueAt: new Date(now.getTime() + day) }],
        }),
        referral('b', {}),
      ],
      now,
    )
    expect(items).to.deep.equal([])
  })

  it('has a heading and an action for every kind', () => {
    for (const kind of Object.values(WORKLIST_KINDS)) expect(kind.heading).to.be.a('string').and.not.equal('')
  })

  it('gains a decline only from the organisation, and a follow-up at the review date on completion', () => {
    const r = referral('a', {})
    expect(attentionFor('decline', 'vco', r, now)).to.deep.equal({ kind: 'declined', at: now, dueAt: null })
    expect(attentionFor('complete', 'vco', r, now)).to.deep.equal({
      kind: 'follow-up',
      at: now,
      dueAt: new Date(r.clocks.reviewAt),
    })
    expect(attentionFor('withdraw', 'referrer', r, now)).to.equal(null)
    expect(attentionFor('accept', 'vco', r, now)).to.equal(null)
  })
})
