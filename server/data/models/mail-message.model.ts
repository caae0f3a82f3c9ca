// The outbox: mail kept in the database when no SMTP server is configured (demo and development).
import { Schema, type Connection } from 'mongoose'

export const mailMessageSchema = new Schema(
  {
    _id: { type: String, required: true },
    to: { type: String, required: true },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'mail_outbox', versionKey: false },
)

export function createMailMessageModel(connection: Connection) {
  return connection.model('MailMessage', mailMessageSchema)
}
