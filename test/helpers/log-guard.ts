// No personal data or secret in any log line of a whole lane. Required by the integration, hostile and browser lanes'
// mocha configs: from then on every line the app logs is captured at the most verbose level (and echoed to standard
// output only at or above TEST_LOG_LEVEL), and when a test file's database is about to be dropped (useTestDatabase),
// the lines logged during that file are searched for
//  - the secret of a single-use link in a path (invitations, password resets, feedback, listing checks), and every
//    secret of a link in the file's mail outbox wherever it appears;
//  - an email address, an NHS number (10 digits with a valid check digit), a password field or the demo password;
//  - the name, NHS number, phone number, email address or street address of any person, and the name of any user,
//    held in the file's database (the demo caseload, synthetic people and whatever the tests made).
// A file whose logs hold any of these fails in its "after all" hook, naming what leaked and the line it was in.
import type { Connection } from 'mongoose'
import { configureLogger, tapLogs } from '../../server/logger'
import { DEMO_PASSWORD } from '../../server/services/demo-accounts'
import { isValidNhsNumber } from '../../server/services/nhs-number'

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }
const echoAt = LEVELS[process.env.TEST_LOG_LEVEL ?? ''] ?? Infinity

/** Lines logged since the last check. */
let lines: string[] = []
let active = false

/** Starts capturing every log line of the process (the mocha config requires this file). */
export function mochaGlobalSetup(): void {
  if (active) return
  active = true
  tapLogs((line) => {
    lines.push(line)
    if (echoAt !== Infinity && Number(/"level":(\d+)/.exec(line)?.[1] ?? 0) >= echoAt) process.stdout.write(line)
  })
  configureLogger('trace')
}

const SECRET_IN_PATH = /\/(?:invitations|reset-password|feedback|listing-check)\/(?!\[redacted\])[A-Za-z0-9_-]{16,}/
const SECRET_LINK = /\/(?:invitations|reset-password|feedback|listing-check)\/([A-Za-z0-9_-]{16,})/g
/** After an "@": a domain with at least one dot. Tried only at each "@" (sticky), so long lines cost one pass. */
const EMAIL_DOMAIN = /[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/y
const EMAIL_LOCAL = /[A-Za-z0-9._%+-]/
const NHS_LIKE = /(?<![\w.:-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\w.-])/g
const PASSWORD_FIELD = /"(?:password|confirmPassword|newPassword)":"(?!\[redacted\])/

interface Finding {
  what: string
  line: string
}

type Doc = Record<string, unknown>
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null)

/** What the file's database holds that must never be logged: [what it is, the text]. */
async function knownSecrets(connection: Connection): Promise<[string, string][]> {
  const db = connection.db
  if (!db) return []
  const out: [string, string][] = [['the demo password', DEMO_PASSWORD]]
  const names = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name))
  const read = async (name: string, projection: Doc) =>
    names.has(name) ? ((await db.collection(name).find({}, { projection }).toArray()) as Doc[]) : []
  const person = (p: Doc, where: string) => {
    const given = str(p.givenName)
    const family = str(p.familyName)
    if (given && family) out.push([`a ${where}'s name`, `${given} ${family}`])
    if (family && family.length > 4) out.push([`a ${where}'s family name`, family])
    for (const field of ['nhsNumber', 'phone', 'email', 'address'] as const) {
      const value = str(p[field])
      if (value && value.length >= 6) out.push([`a ${where}'s ${field}`, value])
    }
  }
  const fields = { givenName: 1, familyName: 1, nhsNumber: 1, phone: 1, email: 1, address: 1 }
  for (const p of await read('people', fields)) person(p, 'person')
  for (const e of await read('episodes', { person: 1 })) if (e.person) person(e.person as Doc, 'episode person')
  for (const u of await read('users', { name: 1 })) {
    const name = str(u.name)
    if (name && name.includes(' ')) out.push(["a user's name", name])
  }
  for (const m of await read('mail_outbox', { text: 1 }))
    for (const match of String(m.text ?? '').matchAll(SECRET_LINK)) out.push(['the secret of a link', match[1]!])
  return out
}

/** Whether the line holds an email address: some local part, "@", a dotted domain. */
function hasEmail(line: string): boolean {
  for (let at = line.indexOf('@'); at !== -1; at = line.indexOf('@', at + 1)) {
    EMAIL_DOMAIN.lastIndex = at + 1
    if (at > 0 && EMAIL_LOCAL.test(line[at - 1]!) && EMAIL_DOMAIN.test(line)) return true
  }
  return false
}

function patternFindings(all: readonly string[]): Finding[] {
  const found: Finding[] = []
  for (const line of all) {
    if (SECRET_IN_PATH.test(line)) found.push({ what: 'the secret of a single-use link', line })
    if (hasEmail(line)) found.push({ what: 'an email address', line })
    if (PASSWORD_FIELD.test(line)) found.push({ what: 'a password field', line })
    for (const m of line.matchAll(NHS_LIKE))
      if (isValidNhsNumber(m[0])) found.push({ what: `an NHS number (${m[0]})`, line })
  }
  return found
}

/**
 * Searches the lines logged since the last check for secrets and for the personal data `connection`'s database holds;
 * throws, listing each finding, if any is there. A no-op unless this file was required by the lane's config.
 */
export async function checkLogs(connection: Connection | undefined): Promise<void> {
  if (!active) return
  const all = lines
  lines = []
  if (all.length === 0) return
  const found = patternFindings(all)
  const known = connection ? await knownSecrets(connection) : []
  for (const line of all)
    for (const [what, text] of known) if (line.includes(text)) found.push({ what: `${what} (${text})`, line })
  if (found.length) {
    const shown = found.slice(0, 10).map((f) => `- ${f.what} in: ${f.line.trim().slice(0, 400)}`)
    throw new Error(`Personal data or secrets in the logs (${found.length}):\n${shown.join('\n')}`)
  }
}
