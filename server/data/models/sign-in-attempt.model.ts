// Failed sign-ins per email address (keyed by its SHA-256), so lockout survives restarts and holds across instances,
// and behaves the same whether or not the address has an account.
import { Schema, type Connection } from 'mongoose'

export const signInAttemptSchema = new Schema(
  {
    _id: { type: String, required: true },
    failures: { type: Number, default: 0 },
    windowStartedAt: { type: Date, required: true },
    lockedUntil: { type: Date, default: null },
  },
  { collection: 'sign_in_attempts', versionKey: false },
)

export function createSignInAttemptModel(connection: Connection) {
  return connection.model('SignInAttempt', signInAttemptSchema)
}
