// The lists of referrals: a link worker team's referrals and signpostings, and a VCO's inbox by tab.
import type { RequestHandler } from 'express'
import type { Services } from '../../../container'
import { INBOX_TABS, type InboxTab } from '../../../domain/referral-status'
import { actorOf, ipOf } from '../../actor'
import { pageParam, pagination } from '../../pagination'
import { inboxTabs, presentSignposting, presentSummary, signpostedMessage, TAB_LABELS } from './referral.presenter'

export function referralListsController(services: Services) {
  const taxonomy = () => services.directory.taxonomy()

  const team: RequestHandler = async (req, res) => {
    const page = pageParam(req)
    const [list, terms] = await Promise.all([
      services.referrals.teamReferrals(actorOf(req), ipOf(req), page),
      taxonomy(),
    ])
    res.render('pages/referrals/team', {
      title: 'Your referrals',
      referrals: list.referrals.map((r) => presentSummary(r, list.now, terms)),
      pagination: pagination(req, list),
      signpostings: list.signpostings.map(presentSignposting),
      signpostingTotal: list.signpostingTotal,
      moreSignpostings: list.signpostingTotal > list.signpostings.length,
      signposted: signpostedMessage(req.query.signposted),
    })
  }

  const inbox: RequestHandler = async (req, res) => {
    const tab = (
      typeof req.query.tab === 'string' && Object.hasOwn(INBOX_TABS, req.query.tab) ? req.query.tab : 'new'
    ) as InboxTab
    const page = pageParam(req)
    const [{ referrals, counts, now, ...shown }, terms] = await Promise.all([
      services.referrals.inbox(actorOf(req), tab, ipOf(req), page),
      taxonomy(),
    ])
    res.render('pages/referrals/inbox', {
      title: 'Referrals inbox',
      tabs: inboxTabs(counts, tab),
      tabLabel: TAB_LABELS[tab],
      referrals: referrals.map((r) => presentSummary(r, now, terms)),
      pagination: pagination(req, shown),
    })
  }

  return { team, inbox }
}
