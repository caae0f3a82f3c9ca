// The crisis safety net, read from crisis.json (reviewed like code; a deployment adds its local crisis line there):
// the words that say someone may be at immediate risk or living with abuse, and the urgent-support callout shown for
// them above any service, and on every search that finds nothing.
import fs from 'node:fs'
import path from 'node:path'
import SearchableMap from 'minisearch/SearchableMap'
import { z } from 'zod'
import { adjacentSwaps, tokenize } from './lay-language'

const phrases = z.array(z.string().regex(/^[\p{Ll}\p{N} ]+$/u, 'lower case words, no apostrophes')).min(1)
const line = z
  .strictObject({
    text: z.string().min(1),
    /** Digits to dial, for a tel: link. */
    tel: z
      .string()
      .regex(/^\d{3,15}$/)
      .optional(),
    /** Digits to text, for an sms: link. */
    sms: z
      .string()
      .regex(/^\d{3,15}$/)
      .optional(),
    /** The link's words, the number as people read it: "Call 116 123". */
    linkText: z.string().min(1).optional(),
  })
  .refine((l) => (l.tel === undefined && l.sms === undefined) || l.linkText !== undefined, {
    message: 'a line with tel or sms needs linkText',
  })

export const crisisSchema = z.strictObject({
  about: z.array(z.string()),
  terms: z.strictObject({ risk: phrases, abuse: phrases }),
  searchWords: z.strictObject({ risk: z.string().min(1), abuse: z.string().min(1) }),
  callout: z.strictObject({
    heading: z.string().min(1),
    intro: z.string().min(1),
    lines: z.array(line).min(1),
    abuseLines: z.array(line),
    localLines: z.array(line),
  }),
})
export type CrisisConfig = z.infer<typeof crisisSchema>
export type CalloutLine = z.infer<typeof line>

export const CRISIS_FILE = path.join(import.meta.dirname, 'crisis.json')

export function readCrisisConfig(file = CRISIS_FILE): CrisisConfig {
  return crisisSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')))
}

/** What the words of a search say: immediate risk, abuse, both or neither. */
export interface CrisisSignal {
  risk: boolean
  abuse: boolean
}

export interface CrisisCallout {
  heading: string
  intro: string
  lines: CalloutLine[]
  /** The words were about abuse: the domestic abuse helpline is among the lines. */
  abuse: boolean
}

/**
 * Typos forgiven in a single-word term: one from 7 letters, two from 9 ("sucidal", "strangeld"). Shorter terms must be
 * typed exactly, and no more are forgiven, so that "crisps" is not "crisis" and "overdue" is not "overdose".
 */
const typosFor = (term: string): number => (term.length >= 9 ? 2 : term.length >= 7 ? 1 : 0)

export function createCrisisDetector(config: CrisisConfig = readCrisisConfig()) {
  type Kind = 'risk' | 'abuse'
  // Each phrase with its words run together, so that "kill my self" and "self-harm" match "kill myself" and "selfharm".
  const compact = new Map<string, Kind[]>()
  // Single-word terms long enough to forgive a typo in, in MiniSearch's radix tree for fuzzy lookup.
  const fuzzy = new SearchableMap<Kind[]>()
  const add = (kinds: Kind[] = [], kind: Kind): Kind[] => (kinds.includes(kind) ? kinds : [...kinds, kind])
  for (const kind of ['risk', 'abuse'] as const) {
    for (const phrase of config.terms[kind]) {
      const words = tokenize(phrase)
      const joined = words.join('')
      compact.set(joined, add(compact.get(joined), kind))
      if (words.length === 1 && typosFor(joined) > 0) fuzzy.update(joined, (kinds) => add(kinds, kind))
    }
  }
  const MAX_PHRASE_WORDS = Math.max(...[...config.terms.risk, ...config.terms.abuse].map((p) => tokenize(p).length))

  return {
    /**
     * Null when the words say nothing of risk or abuse. Whole words only ("crisis" is not in "crisps"), with a typo
     * forgiven in a long word, and a phrase found however its words are split.
     */
    detect(text: string | undefined): CrisisSignal | null {
      const words = tokenize(text ?? '')
      if (words.length === 0) return null
      const signal = { risk: false, abuse: false }
      const mark = (kind: Kind): void => {
        signal[kind] = true
      }
      for (let i = 0; i < words.length; i++) {
        let joined = ''
        for (let n = 0; n < MAX_PHRASE_WORDS + 2 && i + n < words.length; n++) {
          joined += words[i + n]
          compact.get(joined)?.forEach(mark)
        }
        const word = words[i]!
        for (const [term, [kinds, distance]] of fuzzy.fuzzyGet(word, 2)) {
          if (distance <= typosFor(term)) kinds.forEach(mark)
        }
        // Two letters the wrong way round ("suicdial") are one typo here, as in the search.
        for (const swapped of adjacentSwaps(word)) fuzzy.get(swapped)?.forEach(mark)
      }
      return signal.risk || signal.abuse ? signal : null
    },

    /**
     * The words to search with: as typed, and for words of risk or abuse the words that find crisis (or domestic abuse)
     * services too, so that they are found and ranked first whatever words were used ("better off dead").
     */
    searchText(text: string | undefined, signal: CrisisSignal | null): string | undefined {
      if (!signal) return text
      const extra = [signal.risk ? config.searchWords.risk : '', signal.abuse ? config.searchWords.abuse : '']
      return [text ?? '', ...extra].filter((part) => part.trim() !== '').join(' ')
    },

    /** The callout for these words; the domestic abuse helpline joins when they are about abuse. */
    callout(signal: CrisisSignal | null): CrisisCallout {
      const { heading, intro, lines, abuseLines, localLines } = config.callout
      const isAbuse = signal?.abuse === true
      return {
        heading,
        intro,
        lines: [...lines, ...(isAbuse ? abuseLines : []), ...localLines],
        abuse: isAbuse,
      }
    },
  }
}

export type CrisisDetector = ReturnType<typeof createCrisisDetector>
