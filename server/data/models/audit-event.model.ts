// The audit log: append-only. Every update and delete through the model is refused.
import { Schema, type Connection } from 'mongoose'
import { collectionSchema, nullable, required } from './fields'
import { monthAndDay } from './shared.schemas'

export const auditEventSchema = collectionSchema('audit_events', {
  at: required(Date),
  actorId: nullable(String),
  actorEmail: nullable(String),
  action: required(String),
  recordType: nullable(String),
  recordId: nullable(String),
  ip: nullable(String),
  detail: nullable(Schema.Types.Mixed),
  /** Of `at`: the log pages month by month. */
  ...monthAndDay(),
})
// The fields the log is searched by with equality (the embedded engine turns these into GIN expression indexes).
auditEventSchema.index({ month: 1 })
auditEventSchema.index({ day: 1 })
// Newest first, whole or by one field: the embedded engine pages the log through these (embedded-db/engine-pages.ts).
auditEventSchema.index({ at: -1 })
auditEventSchema.index({ actorId: 1, at: -1 })
auditEventSchema.index({ actorEmail: 1, at: -1 })
auditEventSchema.index({ action: 1, at: -1 })
auditEventSchema.index({ recordId: 1, at: -1 })

const REFUSED = [
  'updateOne',
  'updateMany',
  'replaceOne',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'deleteOne',
  'deleteMany',
] as const
for (const operation of REFUSED) {
  auditEventSchema.pre(operation, function refuse() {
    throw new TypeError(`The audit log is append-only: ${operation} is not allowed`)
  })
}
auditEventSchema.pre('save', function refuseChanges() {
  if (!this.isNew) throw new TypeError('The audit log is append-only: an event cannot be changed')
})

export function createAuditEventModel(connection: Connection) {
  return connection.model('AuditEvent', auditEventSchema)
}
