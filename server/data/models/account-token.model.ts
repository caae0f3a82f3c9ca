// Single-use links (invitations, password resets). _id is the SHA-256 of the secret, so a lookup is an _id lookup
// and the database never holds a usable link.
import { Schema, type Connection } from 'mongoose'

export const accountTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    purpose: { type: String, enum: ['invitation', 'password-reset'], required: true },
    userId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    createdBy: { type: String, default: null },
  },
  { collection: 'account_tokens', versionKey: false, timestamps: { createdAt: 'created_at', updatedAt: false } },
)

export function createAccountTokenModel(connection: Connection) {
  return connection.model('AccountToken', accountTokenSchema)
}
