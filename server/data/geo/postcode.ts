// UK postcode format: normalising what people type ("nw44bg", " NW4  4BG ") and telling a full postcode from an outcode.

export type ParsedPostcode =
  | { kind: 'postcode'; postcode: string; outcode: string; incode: string }
  | { kind: 'outcode'; postcode: string; outcode: string; incode: null }

const FULL = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/
const OUTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/

/** A full postcode ("NW4 4BG") or an outward code alone ("NW4"), normalised; null when it is not in UK format. */
export function parsePostcode(input: string): ParsedPostcode | null {
  const compact = input.replace(/\s+/g, '').toUpperCase()
  const full = FULL.exec(compact)
  if (full) {
    const outcode = full[1] as string
    const incode = full[2] as string
    return { kind: 'postcode', postcode: `${outcode} ${incode}`, outcode, incode }
  }
  if (OUTCODE.test(compact)) return { kind: 'outcode', postcode: compact, outcode: compact, incode: null }
  return null
}

/** "nw44bg" → "NW4 4BG"; null when not a UK postcode or outcode. */
export function normalisePostcode(input: string): string | null {
  return parsePostcode(input)?.postcode ?? null
}

export function isValidPostcode(input: string): boolean {
  return parsePostcode(input) !== null
}
