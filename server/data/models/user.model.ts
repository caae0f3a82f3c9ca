// A person who signs in. Memberships tie them to directory organisations (VCOs), teams and practices.
import type { Connection } from 'mongoose'
import { collectionSchema, list, nullable, required, subSchema } from './fields'
import { timestamps } from './shared.schemas'

const membershipSchema = subSchema({
  organisationId: required(String),
  kind: { type: String, enum: ['vco', 'team', 'practice'], required: true },
  organisationName: required(String),
  manager: { type: Boolean, default: false },
})

export const userSchema = collectionSchema(
  'users',
  {
    email: { type: String, required: true, unique: true },
    name: required(String),
    passwordHash: nullable(String),
    roles: list(String),
    memberships: list(membershipSchema),
    status: { type: String, enum: ['invited', 'active', 'disabled'], default: 'invited' },
    sessionVersion: { type: Number, default: 0 },
    lastSignInAt: nullable(Date),
  },
  { timestamps },
)

export function createUserModel(connection: Connection) {
  return connection.model('User', userSchema)
}
