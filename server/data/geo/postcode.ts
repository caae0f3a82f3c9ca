// UK postcode format, checked by the `postcode` library: normalising what people type ("nw44bg", " NW4  4BG ") and
// telling a full postcode from an outward code. Format only: whether a postcode exists is the geocoder's question.
import { parse, validOutcode } from 'postcode'

export type ParsedPostcode =
  | { kind: 'postcode'; postcode: string; outcode: string; incode: string }
  | { kind: 'outcode'; postcode: string; outcode: string; incode: null }

/** A full postcode ("NW4 4BG") or an outward code alone ("NW4"), normalised; null when it is not in UK format. */
export function parsePostcode(input: string): ParsedPostcode | null {
  const compact = input.replace(/\s+/g, '').toUpperCase()
  const full = parse(compact)
  if (full.valid) return { kind: 'postcode', postcode: full.postcode, outcode: full.outcode, incode: full.incode }
  if (validOutcode(compact)) return { kind: 'outcode', postcode: compact, outcode: compact, incode: null }
  return null
}

/** "nw44bg" → "NW4 4BG"; null when not a UK postcode or outcode. */
export function normalisePostcode(input: string): string | null {
  return parsePostcode(input)?.postcode ?? null
}

export function isValidPostcode(input: string): boolean {
  return parsePostcode(input) !== null
}
