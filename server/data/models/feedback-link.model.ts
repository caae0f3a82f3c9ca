// The person's own feedback links ("Did you go? Did it help?"). _id is the SHA-256 of the secret in the link, so the
// database never holds a usable link and opening one is an _id lookup. Using a link inserts a second document whose
// _id is `<hash>:used`: inserting a given _id is the one operation only one caller can win on FerretDB (a conditional
// update is a read then a write on its SQLite backend), so a link is used at most once even when submitted twice.
import type { Connection } from 'mongoose'
import { collectionSchema, list, nullable, required } from './fields'

export const feedbackLinkSchema = collectionSchema(
  'feedback_links',
  {
    kind: { type: String, enum: ['link', 'use'], required: true },
    referralId: required(String),
    expiresAt: required(Date),
    /** Measures to ask again (the wellbeing follow-up), by instrument id. */
    measureIds: list(String),
    channel: { type: String, enum: ['email', 'text', 'copy'], default: 'copy' },
    usedAt: nullable(Date),
    createdBy: nullable(String),
  },
  { timestamps: { createdAt: 'created_at', updatedAt: false } },
)

export function createFeedbackLinkModel(connection: Connection) {
  // The same schema object again returns the model already made on this connection.
  return connection.model('FeedbackLink', feedbackLinkSchema)
}
