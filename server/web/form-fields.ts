// Building blocks for form schemas: every posted value arrives as a string (or is missing), is trimmed, and a blank
// optional field is stored as null. Each field passes its own plain-English messages.
import { z } from 'zod'

export const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v)
export const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : trimmed(v))

/** A text field that must be filled in, up to `max` characters. */
export const required = (message: string, max: number, maxMessage: string) =>
  z.preprocess(trimmed, z.string({ error: message }).min(1, message).max(max, maxMessage))

/** A text field that may be left blank (null), up to `max` characters. */
export const optional = (max: number, maxMessage: string) =>
  z.preprocess(blankToNull, z.string().max(max, maxMessage).nullable().default(null))
