// A person who signs in. Memberships tie them to directory organisations (VCOs), teams and practices.
import { Schema, type Connection } from 'mongoose'
import { timestamps } from './shared.schemas'

const membershipSchema = new Schema(
  {
    organisationId: { type: String, required: true },
    kind: { type: String, enum: ['vco', 'team', 'practice'], required: true },
    organisationName: { type: String, required: true },
    manager: { type: Boolean, default: false },
  },
  { _id: false },
)

export const userSchema = new Schema(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    passwordHash: { type: String, default: null },
    roles: { type: [String], default: [] },
    memberships: { type: [membershipSchema], default: [] },
    status: { type: String, enum: ['invited', 'active', 'disabled'], default: 'invited' },
    sessionVersion: { type: Number, default: 0 },
    lastSignInAt: { type: Date, default: null },
  },
  { collection: 'users', timestamps, versionKey: false },
)

export function createUserModel(connection: Connection) {
  return connection.model('User', userSchema)
}
