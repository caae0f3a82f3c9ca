// What a client sends, made safe to handle before any route sees it:
// - text is normalised: Unicode NFC, line breaks as "\n", and C0 control characters (other than newline and tab),
//   DEL and the bidirectional embedding, override and isolate characters removed, so nothing stored can hide or
//   reorder what a list shows (passwords are left exactly as typed);
// - a body or query value is a string or a list of strings: numbers and booleans become strings, null becomes "",
//   and anything structured (an object, a list of lists) is refused with 400 and a message for that field;
// - keys that name Object.prototype's own properties are dropped, so no lookup can reach the prototype;
// - a path with a control character in it is not found.
import querystring from 'node:querystring'
import type { RequestHandler } from 'express'
import { NotFoundError, ValidationError } from '../../errors'

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F]/
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype))
const LEAVE_AS_TYPED = /password/i

export function cleanText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(UNSAFE, '').normalize('NFC')
}

type Clean = string | string[]

function cleanValue(key: string, value: unknown): Clean | undefined {
  const text = (v: string) => (LEAVE_AS_TYPED.test(key) ? v : cleanText(v))
  if (typeof value === 'string') return text(value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === null) return ''
  if (Array.isArray(value)) {
    const list: string[] = []
    for (const item of value) {
      const one = cleanValue(key, item)
      if (typeof one !== 'string') return undefined
      list.push(one)
    }
    return list
  }
  return undefined
}

/** A null-prototype copy with every value cleaned; refuses structured values with field errors. */
export function cleanFields(input: Record<string, unknown>): Record<string, Clean> {
  const out = Object.create(null) as Record<string, Clean>
  const refused: Record<string, string> = {}
  for (const [rawKey, value] of Object.entries(input)) {
    const key = cleanText(rawKey)
    if (PROTOTYPE_KEYS.has(key)) continue
    const clean = cleanValue(key, value)
    if (clean === undefined) refused[key] = 'Enter text only'
    else out[key] = clean
  }
  if (Object.keys(refused).length > 0) throw new ValidationError(refused)
  return out
}

/** The app's query parser: the plain (non-nested) form, cleaned like bodies. */
export function parseQuery(raw: string): Record<string, Clean> {
  try {
    return cleanFields(querystring.parse(raw))
  } catch {
    // A query value is never structured (querystring gives strings and lists), so nothing is refused here.
    return Object.create(null) as Record<string, Clean>
  }
}

export function inputHygiene(): RequestHandler {
  return (req, _res, next) => {
    if (CONTROL.test(safeDecode(req.path))) return next(new NotFoundError())
    const body: unknown = req.body
    if (body === undefined || body === null) return next()
    if (typeof body !== 'object' || Array.isArray(body)) {
      return next(new ValidationError({ form: 'Send the form as fields, not a list or a single value' }))
    }
    try {
      req.body = cleanFields(body as Record<string, unknown>)
    } catch (error) {
      return next(error)
    }
    next()
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return '\u0000'
  }
}
