// Reading referrals: the VCO inbox by tab, the referring team's list, a person's referrals, and one referral as its
// side may see it. Every read of personal data is audited.
import type { ReferralSummary } from '../domain/referral-records'
import { INBOX_TABS, type InboxTab } from '../domain/referral-status'
import { hasRole, organisationIds } from '../domain/roles'
import { pageOf } from '../domain/paging'
import { hasConsent, type PersonActor } from './person.service'
import type { ReferralContext } from './referral.service'

export function createReferralLists({ deps, clock, load }: ReferralContext) {
  const { referrals, audit } = deps
  return {
    /**
     * The VCO inbox: one page of referrals to the actor's organisations in one tab, newest first, with counts for every
     * tab. The open tabs come from the organisations' open referrals (a bounded set); closed ones are paged by month.
     */
    async inbox(actor: PersonActor, tab: InboxTab, ip: string | null, page = 1) {
      const orgs = hasRole(actor, 'vco_member') ? organisationIds(actor, 'vco') : []
      const counted = await referrals.inboxCounts(orgs)
      if (counted) {
        // The embedded engine counts every tab and pages the one shown, without reading the open referrals whole.
        const shown =
          tab === 'closed'
            ? await referrals.pageClosedByOrganisation(orgs, [], page)
            : await referrals.pageOpenByOrganisation(orgs, INBOX_TABS[tab], page)
        await audit.record({ actor, action: 'referral.viewed', recordType: 'inbox', recordId: orgs.join(','), ip })
        const inTab = (t: Exclude<InboxTab, 'closed'>) =>
          INBOX_TABS[t].reduce((n, status) => n + (counted.open.get(status) ?? 0), 0)
        return {
          referrals: shown.items,
          counts: {
            new: inTab('new'),
            'awaiting-contact': inTab('awaiting-contact'),
            active: inTab('active'),
            closed: counted.closed,
          } satisfies Record<InboxTab, number>,
          now: clock(),
          total: shown.total,
          page: shown.page,
          perPage: shown.perPage,
        }
      }
      const open = (await Promise.all(orgs.map((o) => referrals.listOpenByOrganisation(o)))).flat()
      open.sort((a, b) => new Date(b.submittedAt).getTime() - new Date(a.submittedAt).getTime())
      const closed = await referrals.pageClosedByOrganisation(orgs, open, tab === 'closed' ? page : 1)
      await audit.record({ actor, action: 'referral.viewed', recordType: 'inbox', recordId: orgs.join(','), ip })
      const inTab = (t: InboxTab) => open.filter((r) => (INBOX_TABS[t] as readonly string[]).includes(r.status))
      const counts = {
        new: inTab('new').length,
        'awaiting-contact': inTab('awaiting-contact').length,
        active: inTab('active').length,
        closed: closed.total,
      } satisfies Record<InboxTab, number>
      const shown = tab === 'closed' ? closed : pageOf(inTab(tab), page)
      return {
        referrals: shown.items,
        counts,
        now: clock(),
        total: shown.total,
        page: shown.page,
        perPage: shown.perPage,
      }
    },

    /** One page of the referring team's referrals, newest first, and the latest page of its signpostings. */
    async teamReferrals(actor: PersonActor, ip: string | null, page = 1) {
      const teams = hasRole(actor, 'link_worker') ? organisationIds(actor, 'team') : []
      const [list, signposts] = await Promise.all([
        referrals.pageByTeam(teams, page),
        referrals.pageSignpostingsByTeam(teams, 1),
      ])
      await audit.record({
        actor,
        action: 'referral.viewed',
        recordType: 'team-referrals',
        recordId: teams.join(','),
        ip,
      })
      // Who was signposted: the people of this page's signpostings, read by id (at most a page of them).
      const personIds = [...new Set(signposts.items.map((s) => s.personId))]
      const people = new Map((await deps.people.listByIds(personIds)).map((p) => [p.id, p] as const))
      return {
        referrals: list.items,
        total: list.total,
        page: list.page,
        perPage: list.perPage,
        signpostings: signposts.items.map((s) => {
          const p = people.get(s.personId)
          return { ...s, personName: p ? `${p.givenName} ${p.familyName}` : null }
        }),
        signpostingTotal: signposts.total,
        now: clock(),
      }
    },

    async forPerson(actor: PersonActor, personId: string): Promise<ReferralSummary[]> {
      await deps.personService.load(actor, personId)
      return referrals.listByPerson(personId)
    },

    async get(actor: PersonActor, id: string, ip: string | null) {
      const { referral, side } = await load(actor, id)
      // Withdrawing consent stops further sharing: the VCO no longer sees the person's contact details.
      const person = await deps.people.get(referral.personId)
      const consentWithdrawn = !person || !hasConsent(person, 'share_with_organisation', referral.organisationId)
      if (consentWithdrawn && side === 'vco') {
        referral.shared = { ...referral.shared, phone: null, email: null, address: null }
      }
      await audit.record({ actor, action: 'referral.viewed', recordType: 'referral', recordId: id, ip })
      return { referral, side, now: clock(), consentWithdrawn }
    },
  }
}
