// Single-use links (invitations, password resets). _id is the SHA-256 of the secret, so a lookup is an _id lookup
// and the database never holds a usable link.
import type { Connection } from 'mongoose'
import { collectionSchema, nullable, required } from './fields'

export const accountTokenSchema = collectionSchema(
  'account_tokens',
  {
    purpose: { type: String, enum: ['invitation', 'password-reset'], required: true },
    userId: required(String),
    expiresAt: required(Date),
    usedAt: nullable(Date),
    createdBy: nullable(String),
  },
  { timestamps: { createdAt: 'created_at', updatedAt: false } },
)

export function createAccountTokenModel(connection: Connection) {
  return connection.model('AccountToken', accountTokenSchema)
}
