// The crisis safety net, read from crisis.json (reviewed like code; a deployment adds its local crisis line there):
// the words that say someone may be at immediate risk or living with abuse, and the urgent-support callout shown for
// them above any service, and on every search that finds nothing.
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { tokenize } from './lay-language'

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

export function createCrisisDetector(config: CrisisConfig = readCrisisConfig()) {
  const toPhrases = (list: readonly string[]) => list.map((p) => tokenize(p))
  const risk = toPhrases(config.terms.risk)
  const abuse = toPhrases(config.terms.abuse)
  const contains = (words: string[], phrase: string[]): boolean =>
    words.some((_, i) => phrase.every((word, j) => words[i + j] === word))

  return {
    /** Null when the words say nothing of risk or abuse. Whole words only: "crisis" is not in "crisps". */
    detect(text: string | undefined): CrisisSignal | null {
      const words = tokenize(text ?? '')
      if (words.length === 0) return null
      const signal = { risk: risk.some((p) => contains(words, p)), abuse: abuse.some((p) => contains(words, p)) }
      return signal.risk || signal.abuse ? signal : null
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
