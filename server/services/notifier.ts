// One notifier for every email the app sends. Each email is a Handlebars template, views/emails/<name>.hbs: its first
// line is `Subject: …`, then a blank line, then the plain-text body. It is rendered with the data given (no HTML
// escaping: the mail is plain text; a missing value is an error, not an empty gap) and sent through the Mailer port to
// each distinct address. One behaviour on failure: every address is tried, each failure is logged with the template's
// name and never the address, and the result says how many went, so the caller decides what a failure means for its
// action (most carry on; a claimed send is released for the next run; an invitation is refused).
import fs from 'node:fs'
import path from 'node:path'
import Handlebars from 'handlebars'
import type { Mailer } from '../data/mail/mailer'
import { createLogger } from '../logger'

const log = createLogger('notifier')

export const EMAILS_DIR = path.resolve(import.meta.dirname, '../../views/emails')

interface Email {
  subject: Handlebars.TemplateDelegate
  body: Handlebars.TemplateDelegate
}

const engine = Handlebars.create()
const compile = (text: string) => engine.compile(text, { noEscape: true, strict: true })
const emails = new Map<string, Email>()

/** The compiled template, read once from views/emails. */
function template(name: string): Email {
  const cached = emails.get(name)
  if (cached) return cached
  const text = fs.readFileSync(path.join(EMAILS_DIR, `${name}.hbs`), 'utf8')
  const match = /^Subject: (.*)\r?\n\r?\n([\s\S]*?)\r?\n?$/.exec(text)
  if (!match) throw new Error(`views/emails/${name}.hbs must start with "Subject: …" and a blank line`)
  const email = { subject: compile(match[1]!), body: compile(match[2]!) }
  emails.set(name, email)
  return email
}

export interface SendResult {
  sent: number
  failed: number
}

export function createNotifier(deps: { mailer: Mailer; publicUrl: string }) {
  const base = deps.publicUrl.replace(/\/+$/, '')
  const helpers = { url: (p: string) => `${base}${p}` }

  /** The subject and text of an email, as it would be sent. */
  function render(name: string, data: object): { subject: string; text: string } {
    const email = template(name)
    return { subject: email.subject(data, { helpers }), text: email.body(data, { helpers }) }
  }

  /** Renders the email once and sends it to each distinct address; never throws for a failed send. */
  async function send(name: string, to: string | readonly (string | null | undefined)[], data: object) {
    const { subject, text } = render(name, data)
    const result: SendResult = { sent: 0, failed: 0 }
    for (const address of new Set(typeof to === 'string' ? [to] : to)) {
      if (!address) continue
      try {
        await deps.mailer.send({ to: address, subject, text })
        result.sent++
      } catch (error) {
        result.failed++
        log.warn({ err: error instanceof Error ? error.name : 'error', email: name }, 'email not sent')
      }
    }
    return result
  }

  return { render, send, url: helpers.url }
}

export type Notifier = ReturnType<typeof createNotifier>
