// Unmet need: searches that found nothing or only a few results (by need, by area, and the words people searched
// for most), referrals declined because the service had no capacity, needs still unmet when a referral closed, and
// needs that no listed service meets. Search words are free text a navigator typed and may hold personal data: a
// name typed five times is still a name. So a phrase is shown only when every word of it belongs to a controlled
// vocabulary (the search's lay-language file and the need taxonomy, both reviewed like code) and it was searched at
// least SUPPRESSION_THRESHOLD times in the period; every other search is counted in one row whose words are not shown.
import { tokenize, vocabularyWords } from '../../data/search/lay-language'
import { withAncestors, type TaxonomyTerm } from '../../data/taxonomy'
import { FEW_RESULTS } from '../directory.service'
import { countColumns, namesById, rate, referralsOnly } from './aggregate'
import type { ReportContext } from './registry'
import { needWithChildren } from './filter-facts'
import { directorySources, inPeriod } from './report-sources'
import {
  SUPPRESSION_THRESHOLD,
  type Report,
  type ReportColumn,
  type ReportFilters,
  type ReportTable,
} from './report-types'
import type { ReportFact } from './report-facts'

/** At most this many rows in a long table (the largest first); the description says so. */
const TOP = 50
const NO_AREA_FILTER = 'Practice, PCN and organisation filters do not apply: searches are not made for a practice.'

const SEARCH_COLUMNS = (label: string): ReportColumn[] => [
  { key: 'label', label, kind: 'label' },
  { key: 'none', label: 'Searches with no results', kind: 'count', notPeople: true },
  { key: 'few', label: `Searches with 1 to ${FEW_RESULTS} results`, kind: 'count', notPeople: true },
]

/**
 * Whether a phrase may carry personal data that no count can make safe: any digit (NHS numbers, phone numbers, dates
 * of birth, postcodes, house numbers) or an email address or web address. Such phrases never reach a report.
 */
export function mayIdentify(phrase: string): boolean {
  return /\d|@|www\.|https?:/i.test(phrase)
}

const LAY_WORDS = vocabularyWords()
let vocabulary: { taxonomy: readonly TaxonomyTerm[]; words: Set<string> } | null = null

/** The words a report may show of a search: the lay-language file's and the names of the needs. */
export function searchVocabulary(taxonomy: readonly TaxonomyTerm[]): Set<string> {
  if (vocabulary?.taxonomy !== taxonomy) {
    const words = new Set(LAY_WORDS)
    for (const term of taxonomy) for (const word of tokenize(term.name)) words.add(word)
    vocabulary = { taxonomy, words }
  }
  return vocabulary.words
}

/**
 * The phrase as a report may show it (its words, lower case, single spaces), or null when any word is outside the
 * vocabulary (a name, a street, a typo) or the phrase has a number, an email address or a web address in it.
 */
export function shownPhrase(typed: string, words: Set<string>): string | null {
  if (mayIdentify(typed)) return null
  const tokens = tokenize(typed)
  return tokens.length > 0 && tokens.every((t) => words.has(t)) ? tokens.join(' ') : null
}

/** The label of the row counting searches whose words are not shown. */
export const OTHER_WORDS = 'Other words (not shown: they could identify someone)'

function searchRows(groups: Map<string, { none: number; few: number }>, label: (key: string) => string) {
  return [...groups]
    .map(([key, n]) => ({ label: label(key), none: n.none, few: n.few }))
    .sort((a, b) => b.none + b.few - (a.none + a.few) || a.label.localeCompare(b.label))
    .slice(0, TOP)
}

/** Referrals and those declined for no capacity, per key: one pass over the facts (100,000 at volume). */
function declineCounts(referrals: readonly ReportFact[], key: (f: ReportFact) => string | readonly string[]) {
  const counts = new Map<string, { noCapacity: number; referrals: number }>()
  const add = (k: string, noCapacity: boolean) => {
    let n = counts.get(k)
    if (!n) counts.set(k, (n = { noCapacity: 0, referrals: 0 }))
    n.referrals++
    if (noCapacity) n.noCapacity++
  }
  for (const f of referrals) {
    const noCapacity = f.declined && f.declineReason === 'no_capacity'
    const keys = key(f)
    if (typeof keys === 'string') add(keys, noCapacity)
    // A referral with two needs counts under both, and under each once.
    else keys.forEach((k, i) => keys.indexOf(k) === i && add(k, noCapacity))
  }
  return counts
}

function declineTable(
  id: string,
  title: string,
  label: string,
  counts: Map<string, { noCapacity: number; referrals: number }>,
  name: (key: string) => string,
): ReportTable {
  const rows = [...counts]
    .filter(([, n]) => n.noCapacity > 0)
    .map(([k, n]) => ({ label: name(k), ...n, share: rate(n.noCapacity, n.referrals) }))
    .sort((a, b) => b.noCapacity - a.noCapacity || a.label.localeCompare(b.label))
    .slice(0, TOP)
  return {
    id,
    title,
    description: `Referrals made in the period that were declined because the service had no capacity, beside all referrals, largest first (at most ${TOP} rows).`,
    columns: [
      { key: 'label', label, kind: 'label' },
      { key: 'noCapacity', label: 'Declined: no capacity', kind: 'count' },
      { key: 'referrals', label: 'Referrals', kind: 'count' },
      { key: 'share', label: 'Declined: no capacity (%)', kind: 'rate', nKey: 'referrals', countKey: 'noCapacity' },
    ],
    rows,
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['noCapacity'] },
  }
}

export async function buildUnmetNeed(filters: ReportFilters, context: ReportContext): Promise<Report> {
  const sources = directorySources(context)
  const [allMisses, services] = await Promise.all([sources.searchMisses(), sources.services()])
  const needs = filters.need ? needWithChildren(context.taxonomy, filters.need) : null
  const misses = allMisses.filter((m) => inPeriod(m.at, filters) && (!needs || m.needs.some((n) => needs.has(n))))

  const tally = (key: (m: (typeof misses)[number]) => readonly string[]) => {
    const groups = new Map<string, { none: number; few: number }>()
    for (const m of misses)
      for (const k of new Set(key(m))) {
        const n = groups.get(k) ?? { none: 0, few: 0 }
        if ((m.resultCount ?? 0) === 0) n.none++
        else n.few++
        groups.set(k, n)
      }
    return groups
  }
  const NO_NEED = '\u0000none'
  const NO_AREA = '\u0000none'
  const byNeed: ReportTable = {
    id: 'searches-by-need',
    title: 'Searches with no or few results, by need',
    description: `Directory searches in the period that found nothing or at most ${FEW_RESULTS} results, by the need searched for (a search for two needs counts under both). ${NO_AREA_FILTER}`,
    columns: SEARCH_COLUMNS('Need'),
    rows: searchRows(
      tally((m) => (m.needs.length ? m.needs : [NO_NEED])),
      (k) => (k === NO_NEED ? 'No need chosen' : context.needName(k)),
    ),
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['none', 'few'] },
  }
  const byArea: ReportTable = {
    id: 'searches-by-area',
    title: 'Searches with no or few results, by area',
    description: `The same searches by the postcode district searched from (only the outward code is ever kept), largest first (at most ${TOP} rows). ${NO_AREA_FILTER}`,
    columns: SEARCH_COLUMNS('Postcode district'),
    rows: searchRows(
      tally((m) => [m.outcode ?? NO_AREA]),
      (k) => (k === NO_AREA ? 'No postcode given' : k),
    ),
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['none', 'few'] },
  }

  const vocabulary = searchVocabulary(context.taxonomy)
  const phrases = new Map<string, number>()
  let otherWords = 0
  for (const m of misses) {
    if (!m.words?.trim()) continue
    const phrase = shownPhrase(m.words, vocabulary)
    if (phrase) phrases.set(phrase, (phrases.get(phrase) ?? 0) + 1)
    else otherWords++
  }
  const shown = [...phrases].filter(([, n]) => n >= SUPPRESSION_THRESHOLD)
  // Searches in known words typed fewer times are counted with the others, so the rows still add up.
  for (const [, n] of phrases) if (n < SUPPRESSION_THRESHOLD) otherWords += n
  const words: ReportTable = {
    id: 'search-words',
    title: 'Words searched for most often without good results',
    description: `Words typed into searches that found nothing or only a few results. A phrase is shown only when every word of it is in the directory's search vocabulary (its everyday words for needs, activities, languages, access, days and times, and the names of the needs) and it was searched ${SUPPRESSION_THRESHOLD} or more times in the period. Everything else typed, which could name or describe someone, is counted in the last row and never shown. At most ${TOP} rows. ${NO_AREA_FILTER}`,
    columns: countColumns('Words', { key: 'searches', label: 'Searches', notPeople: true }),
    rows: [
      ...shown
        .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
        .slice(0, TOP)
        .map(([label, searches]) => ({ label, searches })),
      ...(otherWords > 0 ? [{ label: OTHER_WORDS, searches: otherWords }] : []),
    ],
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['searches'] },
  }

  const referrals = referralsOnly(context.facts)
  const serviceNames = namesById(
    referrals,
    (f) => f.serviceId,
    (f) => f.serviceName,
  )
  const pcnOf = (f: ReportFact) => f.pcn ?? '\u0000none'
  const declinedByService = declineTable(
    'no-capacity-by-service',
    'Declined for no capacity, by service',
    'Service',
    declineCounts(referrals, (f) => f.serviceId),
    (k) => serviceNames.get(k) ?? 'Unnamed service',
  )
  const declinedByNeed = declineTable(
    'no-capacity-by-need',
    'Declined for no capacity, by need',
    'Need',
    declineCounts(referrals, (f) => f.needs),
    (k) => context.needName(k),
  )
  const declinedByArea = declineTable(
    'no-capacity-by-pcn',
    'Declined for no capacity, by primary care network',
    'Primary care network',
    declineCounts(referrals, pcnOf),
    (k) => (k === '\u0000none' ? 'No PCN recorded' : k),
  )

  const unmet = new Map<string, number>()
  for (const f of referrals)
    if (f.closedAt !== null) for (const need of new Set(f.unmetNeeds)) unmet.set(need, (unmet.get(need) ?? 0) + 1)
  const unmetRecorded: ReportTable = {
    id: 'unmet-at-outcome',
    title: 'Needs still unmet when the referral closed',
    description:
      'Referrals made in the period whose outcome recorded a need as still unmet, by that need (a referral with two counts under both).',
    columns: countColumns('Need', { key: 'referrals', label: 'Referrals' }),
    rows: [...unmet]
      .map(([k, n]) => ({ label: context.needName(k), referrals: n }))
      .sort((a, b) => b.referrals - a.referrals || a.label.localeCompare(b.label)),
    chart: { kind: 'bar', labelKey: 'label', valueKeys: ['referrals'] },
  }

  // A listed service tagged with a need meets that need and every need above it in the taxonomy.
  const codeOf = new Map(context.taxonomy.map((t) => [t.id, t.code]))
  const met = new Map<string, { listed: number; referrals: number; open: number }>()
  for (const s of services) {
    if (!s.listed || s.status !== 'active') continue
    const codes = new Set(s.needs.flatMap((id) => withAncestors(codeOf.get(id) ?? id, context.taxonomy)))
    for (const code of codes) {
      const n = met.get(code) ?? { listed: 0, referrals: 0, open: 0 }
      n.listed++
      if (s.acceptsReferrals) n.referrals++
      if (s.capacity === 'open') n.open++
      met.set(code, n)
    }
  }
  const coverage: ReportTable = {
    id: 'needs-without-services',
    title: 'Needs and the active listings that meet them',
    description:
      'Each need with the active public listings in the directory today that meet it (or a need under it), fewest first: a need with none has nowhere to send anyone. The period and the practice, PCN and organisation filters do not apply.',
    columns: [
      { key: 'label', label: 'Need', kind: 'label' },
      { key: 'listed', label: 'Active listings', kind: 'count', notPeople: true },
      { key: 'referrals', label: 'Taking referrals', kind: 'count', notPeople: true },
      { key: 'open', label: 'Open (not full, paused or waitlist)', kind: 'count', notPeople: true },
    ],
    rows: context.taxonomy
      .filter((t) => !needs || needs.has(t.id))
      .map((t) => ({ label: context.needName(t.id), ...(met.get(t.code) ?? { listed: 0, referrals: 0, open: 0 }) }))
      .sort((a, b) => a.listed - b.listed || a.open - b.open || a.label.localeCompare(b.label)),
  }

  return {
    id: 'unmet-need',
    title: 'Unmet need',
    summary:
      'Where people could not find or get help: searches with no or few results, referrals declined for no capacity, needs still unmet at the outcome, and needs no listing meets.',
    asOf: context.asOf,
    tables: [byNeed, byArea, words, declinedByNeed, declinedByService, declinedByArea, unmetRecorded, coverage],
  }
}
