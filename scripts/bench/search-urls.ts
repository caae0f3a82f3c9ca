// A varied, repeatable set of results-page URLs drawn from the indexed documents themselves: words from names and
// keywords (some with a typo), needs, postcodes the local geocoder knows, distances, days, times, free, languages,
// sort and later pages. Many distinct searches, so the HTTP figure measures searching, not one warm path.
import fs from 'node:fs'
import { isValidPostcode } from '../../server/data/geo/postcode'
import type { SearchDocument } from '../../server/data/search/search-index'
import { createRandom } from '../../server/data/demo/prng'

const RADII = ['1', '2', '5', '10']

/** The postcodes (outcodes) of the local table, for postcode searches that work offline. */
export function localPostcodes(csvPath: string): string[] {
  return fs
    .readFileSync(csvPath, 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0]?.trim() ?? '')
    .filter(isValidPostcode)
}

export function searchUrls(
  docs: readonly SearchDocument[],
  postcodes: readonly string[],
  options: { count?: number; seed?: number } = {},
): string[] {
  const count = options.count ?? 200
  const random = createRandom(options.seed ?? 11).next
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)]
  const words = (doc: SearchDocument): string[] =>
    [...doc.name.split(/\s+/), ...doc.keywords.flatMap((k) => k.split(/\s+/))]
      .map((w) => w.toLowerCase().replace(/[^a-z]/g, ''))
      .filter((w) => w.length >= 4)
  const typo = (word: string): string => {
    const at = 1 + Math.floor(random() * (word.length - 2))
    return word.slice(0, at) + word.slice(at + 1)
  }

  const urls = new Set<string>()
  for (let tries = 0; urls.size < count && tries < count * 20; tries++) {
    const doc = pick(docs)
    if (!doc) break
    const params = new URLSearchParams()
    const kind = random()
    const word = pick(words(doc)) ?? 'support'
    if (kind < 0.75) {
      const second = random() < 0.3 ? pick(words(doc)) : undefined
      const text = [word, second].filter(Boolean).join(' ')
      params.set('q', random() < 0.15 && word.length >= 6 ? typo(text) : text)
    }
    if (kind >= 0.5 || random() < 0.3) {
      const need = pick(doc.needs)
      if (need) params.append('need', need)
    }
    if (random() < 0.6) {
      params.set('postcode', pick(postcodes) ?? 'EN5')
      if (random() < 0.7) params.set('radius', pick(RADII)!)
      if (random() < 0.3) params.set('sort', 'distance')
    }
    if (random() < 0.2 && doc.days.length > 0) params.append('day', pick(doc.days)!)
    if (random() < 0.1 && doc.timesOfDay.length > 0) params.append('time', pick(doc.timesOfDay)!)
    if (random() < 0.15) params.set('free', 'yes')
    if (random() < 0.1 && doc.languages.length > 0) params.append('language', pick(doc.languages)!)
    if (random() < 0.1) params.set('age', String(18 + Math.floor(random() * 70)))
    if (random() < 0.1) params.set('page', '2')
    urls.add(`/services?${params.toString()}`)
  }
  return [...urls]
}
