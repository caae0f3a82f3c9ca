// The outbox: mail kept in the database when no SMTP server is configured (demo and development).
import { Schema, type Connection } from 'mongoose'
import { required } from './fields'

export const mailMessageSchema = new Schema(
  {
    _id: required(String),
    to: required(String),
    subject: required(String),
    text: required(String),
    at: required(Date),
  },
  { collection: 'mail_outbox', versionKey: false },
)

export function createMailMessageModel(connection: Connection) {
  return connection.model('MailMessage', mailMessageSchema)
}
