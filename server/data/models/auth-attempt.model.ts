// One document per attempt at a guarded action (a sign-in for one address, any sign-in, reset or invitation form from
// one network). Attempts are only ever inserted and counted over a window, never read-modified-written: FerretDB's
// updates are not atomic across concurrent requests, but every insert is counted by every later count.
import type { Connection } from 'mongoose'
import { collectionSchema, required } from './fields'

export const authAttemptSchema = collectionSchema('auth_attempts', {
  /** What is counted: e.g. `sign-in:<sha256 of the address>` or `network:<sha256 of the client address>`. */
  key: required(String),
  at: required(Date),
})
authAttemptSchema.index({ key: 1, at: 1 })

export function createAuthAttemptModel(connection: Connection) {
  return connection.model('AuthAttempt', authAttemptSchema)
}
