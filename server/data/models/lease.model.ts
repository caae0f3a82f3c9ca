// Leases for scheduled work: one document per job name (_id), so several app instances agree on who runs it.
// `until` is when the current holder's lease ends; `last_run_at` is when the job last finished, for catch-up;
// `generation` counts how often the lease was taken. Each taking first inserts a claim `<name>#<generation>` into
// lease_claims: only one insert of an _id can succeed, which makes taking a lease atomic without transactions
// (a conditional updateOne is not atomic under concurrency on FerretDB's SQLite backend).
import { Schema, type Connection } from 'mongoose'

export const leaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    holder: { type: String, default: null },
    until: { type: Date, required: true },
    last_run_at: { type: Date, default: null },
    generation: { type: Number, required: true, default: 1 },
  },
  { collection: 'leases', versionKey: false },
)

export const leaseClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    holder: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'lease_claims', versionKey: false },
)

export function createLeaseModel(connection: Connection) {
  return connection.model('Lease', leaseSchema)
}

export function createLeaseClaimModel(connection: Connection) {
  return connection.model('LeaseClaim', leaseClaimSchema)
}
