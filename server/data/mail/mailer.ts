// The Mailer port: plain-text messages to one address. Adapters: SMTP (nodemailer) and the database outbox.
// Messages must be short and carry no personal health information: they are sent over ordinary email.

export interface MailMessage {
  to: string
  subject: string
  text: string
}

export interface Mailer {
  readonly kind: 'smtp' | 'outbox'
  /** Resolves once the message is accepted by the SMTP server or stored in the outbox. */
  send(message: MailMessage): Promise<void>
  close(): Promise<void>
}

export interface OutboxEntry extends MailMessage {
  id: string
  at: Date
}

/** Mail kept in the database when there is no SMTP server; admins read it in demo mode. */
export interface Outbox {
  list(limit: number): Promise<OutboxEntry[]>
}
