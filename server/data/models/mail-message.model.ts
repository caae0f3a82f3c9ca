// The outbox: mail kept in the database when no SMTP server is configured (demo and development).
import type { Connection } from 'mongoose'
import { collectionSchema, required } from './fields'

export const mailMessageSchema = collectionSchema('mail_outbox', {
  to: required(String),
  subject: required(String),
  text: required(String),
  at: required(Date),
})

export function createMailMessageModel(connection: Connection) {
  return connection.model('MailMessage', mailMessageSchema)
}
