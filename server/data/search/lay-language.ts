// The everyday words people search with, read from lay-language.json (a file curators read and extend): synonyms,
// one-way phrases, stop words, and the words that find a listing by its languages, accessibility, days, times and ages.
// Both SearchIndex adapters use it: the embedded one expands queries with it, the Meilisearch one sends it as the
// index's synonyms and stop words. Both index attributeWords beside a listing's own text.
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { SearchDocument } from './search-index'

const words = z.array(z.string().regex(/^[\p{Ll}\p{N}' -]+$/u, 'lower case words only'))
const byCode = z.record(z.string(), words)

export const layLanguageSchema = z.strictObject({
  about: z.array(z.string()),
  synonymGroups: z.array(words.min(2)),
  phrases: z.record(z.string(), words.min(1)),
  stopWords: words,
  languages: byCode,
  accessibility: byCode,
  days: byCode,
  timesOfDay: byCode,
  ages: z.array(
    z
      .strictObject({ from: z.number().int().min(0).optional(), to: z.number().int().min(0).optional(), words })
      .refine((age) => age.from != null || age.to != null, 'give from, to or both'),
  ),
})
export type LayLanguage = z.infer<typeof layLanguageSchema>

export const LAY_LANGUAGE_FILE = path.join(import.meta.dirname, 'lay-language.json')

export function readLayLanguage(file = LAY_LANGUAGE_FILE): LayLanguage {
  return layLanguageSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')))
}

const LAY = readLayLanguage()

/** Words that mean the same here: a search for any one finds listings that use any other. */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = LAY.synonymGroups
/** One-way expansions: a search for the key also finds these, but not the other way round. */
export const ONE_WAY_SYNONYMS: Readonly<Record<string, readonly string[]>> = LAY.phrases
/** Words that never decide a result: left out of queries (unless part of a known phrase) and of the index. */
export const STOP_WORDS: readonly string[] = LAY.stopWords

const WORD = /[\p{L}\p{N}]+/gu

/** Lower case, apostrophes dropped ("can't" → "cant", "Men’s" → "mens"), split into words. */
export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/['’‘`]/g, '')
      .match(WORD) ?? []
  )
}

/** The word with each pair of neighbouring letters swapped, where that changes it. */
export function adjacentSwaps(word: string): string[] {
  const swaps: string[] = []
  for (let i = 0; i + 1 < word.length; i++) {
    if (word[i] === word[i + 1]) continue
    swaps.push(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2))
  }
  return swaps
}

/**
 * Every word or phrase → what it also finds (not including itself). The shape Meilisearch's synonyms setting takes;
 * the embedded adapter expands queries with the same map.
 */
export function synonymMap(): Record<string, string[]> {
  const map: Record<string, string[]> = {}
  const add = (from: string, to: readonly string[]): void => {
    const list = (map[from] ??= [])
    for (const term of to) if (term !== from && !list.includes(term)) list.push(term)
  }
  for (const group of SYNONYM_GROUPS) for (const term of group) add(term, group)
  // A phrase also finds what its words find: "skint" → "money" → "debt", "benefits"…
  const groups = structuredClone(map)
  for (const [from, to] of Object.entries(ONE_WAY_SYNONYMS)) {
    add(from, to)
    for (const term of to) add(from, groups[term] ?? [])
  }
  return map
}

/**
 * Every word this file holds (synonyms, phrases both ways, stop words, attribute words): a controlled vocabulary,
 * reviewed like code, that reports may show where they must not show what people typed freely.
 */
export function vocabularyWords(): Set<string> {
  const words = new Set<string>()
  const add = (list: readonly string[]) => list.forEach((entry) => tokenize(entry).forEach((w) => words.add(w)))
  SYNONYM_GROUPS.forEach(add)
  add(Object.keys(ONE_WAY_SYNONYMS))
  Object.values(ONE_WAY_SYNONYMS).forEach(add)
  add(STOP_WORDS)
  for (const table of [LAY.languages, LAY.accessibility, LAY.days, LAY.timesOfDay]) Object.values(table).forEach(add)
  return words
}

const ATTRIBUTE_WORDS: readonly [
  keyof Pick<SearchDocument, 'languages' | 'accessibility' | 'days' | 'timesOfDay'>,
  Readonly<Record<string, readonly string[]>>,
][] = [
  ['languages', LAY.languages],
  ['accessibility', LAY.accessibility],
  ['days', LAY.days],
  ['timesOfDay', LAY.timesOfDay],
]

/**
 * The words that find this listing by its attributes ("bengali" for a listing offered in Bengali, "wheelchair" for a
 * step-free venue, "saturday" and "weekend" for a Saturday session, "older people" for a listing from age 50), so that
 * typing them matches the attribute and not only the listing's own words. Indexed as a searchable field of its own,
 * after the listing's own text.
 */
export function attributeWords(
  doc: Pick<SearchDocument, 'languages' | 'accessibility' | 'days' | 'timesOfDay' | 'ageMin' | 'ageMax'>,
): string[] {
  const found = new Set<string>()
  for (const [field, table] of ATTRIBUTE_WORDS) {
    for (const value of doc[field]) for (const word of table[value] ?? []) found.add(word)
  }
  for (const age of LAY.ages) {
    const fromFits = age.from == null || (doc.ageMin != null && doc.ageMin >= age.from)
    const toFits = age.to == null || (doc.ageMax != null && doc.ageMax <= age.to)
    if (fromFits && toFits) for (const word of age.words) found.add(word)
  }
  return [...found]
}
