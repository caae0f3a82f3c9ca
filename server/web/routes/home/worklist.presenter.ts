// The worklist page's view model: items grouped by kind, each with the link that starts acting on it.
import { pathFor, paths } from '../../../paths'
import { formatDate } from '../../../services/dates'
import { WORKLIST_KINDS, type WorklistItem, type WorklistKind } from '../../../services/worklist.service'

export function presentWorklistItem(item: WorklistItem) {
  const href =
    item.target === 'outcome'
      ? pathFor(paths.referralOutcome, { referralId: item.referralId })
      : item.target === 'episode'
        ? pathFor(paths.episode, { episodeId: item.referralId })
        : pathFor(paths.referral, { referralId: item.referralId })
  return {
    ...item,
    href,
    actionText: WORKLIST_KINDS[item.kind].action,
    when: formatDate(item.at),
    doneHref: item.clearable ? pathFor(paths.worklistDone, { referralId: item.referralId }) : null,
  }
}

/** A page of items and the total, grouped under each kind's heading in the list's order. */
export function presentWorklist(page: { items: readonly WorklistItem[]; total: number }) {
  const shown = page.items.map(presentWorklistItem)
  const groups = (Object.keys(WORKLIST_KINDS) as WorklistKind[])
    .map((kind) => ({
      kind,
      heading: WORKLIST_KINDS[kind].heading,
      items: shown.filter((i) => i.kind === kind),
    }))
    .filter((g) => g.items.length > 0)
  return { groups, total: page.total }
}
