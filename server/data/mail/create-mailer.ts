// Chooses the Mailer: the one given (tests: SMTP to an in-process server), SMTP when SMTP_URL is set, otherwise the
// database outbox.
import type { Connection } from 'mongoose'
import type { Models } from '../models'
import type { Mailer, Outbox } from './mailer'
import { createOutboxMailer } from './outbox-mailer'
import { createSmtpMailer } from './smtp-mailer'

export function createMailer(
  options: { smtpUrl?: string; from: string; connection: Connection; models?: Models },
  given?: Mailer,
): {
  mailer: Mailer
  outbox: Outbox | null
} {
  if (given) return { mailer: given, outbox: null }
  if (options.smtpUrl) return { mailer: createSmtpMailer({ url: options.smtpUrl, from: options.from }), outbox: null }
  const outbox = createOutboxMailer(options.connection, { models: options.models })
  return { mailer: outbox, outbox }
}
