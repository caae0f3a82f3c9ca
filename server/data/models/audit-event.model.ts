// The audit log: append-only. Every update and delete through the model is refused.
import { Schema, type Connection } from 'mongoose'

export const auditEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    actorId: { type: String, default: null },
    actorEmail: { type: String, default: null },
    action: { type: String, required: true },
    recordType: { type: String, default: null },
    recordId: { type: String, default: null },
    ip: { type: String, default: null },
    detail: { type: Schema.Types.Mixed, default: null },
    /** at's UTC month, "2026-12": the log pages month by month (repositories/month-pages.ts). */
    month: { type: String },
    /** at's UTC day, "2026-12-07": a large month is read a day at a time. */
    day: { type: String },
  },
  { collection: 'audit_events', versionKey: false },
)
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
