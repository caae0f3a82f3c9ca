// Lists are shown 25 a page. A page of a list already in memory (a small, bounded one such as the staff accounts or
// an organisation's open referrals); large lists page in the database (data/repositories/month-pages.ts).
export const PER_PAGE = 25

/** One page of `items` with the list's total; a page past the end is the last page. */
export function pageOf<T>(items: readonly T[], page: number, perPage = PER_PAGE) {
  const lastPage = Math.max(1, Math.ceil(items.length / perPage))
  const shown = Math.min(Math.max(1, Math.floor(page) || 1), lastPage)
  return { items: items.slice((shown - 1) * perPage, shown * perPage), total: items.length, page: shown, perPage }
}
