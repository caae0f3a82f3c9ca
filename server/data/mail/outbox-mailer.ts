// Mailer that keeps each message in the database (the outbox), for demo and development without SMTP.
import type { Connection } from 'mongoose'
import { newId } from '../../domain/ids'
import { createModels, type Models } from '../models'
import type { Mailer, MailMessage, Outbox, OutboxEntry } from './mailer'

export function createOutboxMailer(
  connection: Connection,
  options: { clock?: () => Date; models?: Models } = {},
): Mailer & Outbox {
  const { MailMessage: Message } = options.models ?? createModels(connection)
  const clock = options.clock ?? (() => new Date())
  return {
    kind: 'outbox',
    async send(message: MailMessage) {
      await Message.create({ _id: newId(), to: message.to, subject: message.subject, text: message.text, at: clock() })
    },
    async list(limit: number): Promise<OutboxEntry[]> {
      const docs = await Message.find({}).sort({ at: -1 }).limit(limit).lean()
      return docs.map((d) => ({ id: String(d._id), to: d.to, subject: d.subject, text: d.text, at: d.at }))
    },
    async close() {},
  }
}
