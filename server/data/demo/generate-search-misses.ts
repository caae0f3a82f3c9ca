// Synthetic search misses (searches that found nothing or only a few results) for the unmet need report's demo and
// benchmark, deterministically from a seed. Most repeat a few common phrases; a few are one-off phrases of the kind a
// navigator might type about a person (fictional), which the report must never show.
import type { SearchMissRecord } from '../../domain/directory-records'
import { nameUuid } from '../../domain/ids'
import { NEED_TAXONOMY } from '../taxonomy'
import { OUTCODES } from './outcodes'
import { createRandom } from './prng'

/** Demo mode seeds this many, so the unmet need report has figures (phrases repeat enough to be shown). */
export const DEMO_SEARCH_MISSES = 400
export const DEMO_SEARCH_MISS_SEED = 8

/** Phrases searched again and again: what people look for and do not find. */
const COMMON = [
  'tai chi',
  'sign language group',
  'evening mens group',
  'weekend debt advice',
  'bereavement urdu',
  'swimming for older people',
  'autism adults',
  'gambling support',
  'hoarding',
  'lgbt over 60',
  'somali women',
  'carer respite sunday',
]
/** One-off phrases that name a (fictional) person: never to be shown. */
const ONE_OFF = (n: number) => `help for mrs synthetic-example ${n} flat ${n % 40} example road`

export function generateSyntheticSearchMisses(options: {
  seed: number
  count: number
  now: Date
  months?: number
}): SearchMissRecord[] {
  const rnd = createRandom(options.seed ^ 0x5eac)
  const span = (options.months ?? 18) * 30.44 * 86_400_000
  const needs = NEED_TAXONOMY.filter((t) => t.parentCode !== null).map((t) => t.code)
  const scarce = ['housing', 'debt-money', 'mental-health-crisis', 'befriending', 'carers', 'legal-advice']
  const out: SearchMissRecord[] = []
  for (let i = 0; i < options.count; i++) {
    const kind = rnd.next()
    const words = kind < 0.55 ? rnd.pick(COMMON) : kind < 0.6 ? ONE_OFF(i) : null
    const need = rnd.chance(0.6) ? [rnd.chance(0.6) ? rnd.pick(scarce) : rnd.pick(needs)] : []
    out.push({
      id: nameUuid(`synthetic:search-miss:${options.seed}:${i}`),
      at: new Date(options.now.getTime() - span * Math.pow(rnd.next(), 1.3)),
      needs: words || need.length ? need : [rnd.pick(scarce)],
      outcode: rnd.chance(0.7) ? rnd.pick(OUTCODES) : null,
      words,
      resultCount: rnd.chance(0.6) ? 0 : rnd.int(1, 3),
    })
  }
  return out
}
