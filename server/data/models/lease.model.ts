// Leases for scheduled work: one document per job name (_id), so several app instances agree on who runs it.
// `until` is when the current holder's lease ends; `last_run_at` is when the job last finished, for catch-up;
// `generation` counts how often the lease was taken. Each taking first inserts a claim `<name>#<generation>` into
// lease_claims: only one insert of an _id can succeed, which makes taking a lease atomic without transactions
// (a conditional updateOne is not atomic under concurrency on FerretDB's SQLite backend).
import type { Connection } from 'mongoose'
import { collectionSchema, nullable, required } from './fields'

export const leaseSchema = collectionSchema('leases', {
  holder: nullable(String),
  until: required(Date),
  last_run_at: nullable(Date),
  generation: { type: Number, required: true, default: 1 },
})

export const leaseClaimSchema = collectionSchema('lease_claims', {
  holder: required(String),
  at: required(Date),
})

export function createLeaseModel(connection: Connection) {
  return connection.model('Lease', leaseSchema)
}

export function createLeaseClaimModel(connection: Connection) {
  return connection.model('LeaseClaim', leaseClaimSchema)
}
