// Report facts: one flat, de-identified document per referral and per signposting, `_id` = its id.
// What reports count, never who: no name, NHS number, contact details, free text, date of birth or person id.
// Written by the report service after every referral write; rebuilt from referrals and signpostings by a script.
import { Schema, type Connection } from 'mongoose'

export const reportFactSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['referral', 'signposting'], required: true },
    episodeId: { type: String, default: null },
    submittedAt: { type: Date, required: true },
    practiceId: { type: String, default: null },
    pcn: { type: String, default: null },
    teamId: { type: String, required: true },
    teamName: { type: String, default: '' },
    organisationId: { type: String, required: true },
    organisationName: { type: String, default: '' },
    serviceId: { type: String, required: true },
    serviceName: { type: String, default: '' },
    needs: { type: [String], default: [] },
    status: { type: String, default: null },
    open: { type: Boolean, default: false },
    accepted: { type: Boolean, default: false },
    declined: { type: Boolean, default: false },
    declineReason: { type: String, default: null },
    acknowledgeBy: { type: Date, default: null },
    acknowledgedAt: { type: Date, default: null },
    contactBy: { type: Date, default: null },
    contactedAt: { type: Date, default: null },
    outcomeBy: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    acknowledgeWorkingDays: { type: Number, default: null },
    contactDays: { type: Number, default: null },
    outcomeDays: { type: Number, default: null },
    engagement: { type: String, default: null },
    benefited: { type: Boolean, default: null },
    wellbeingBaseline: { type: Number, default: null },
    wellbeingFollowUp: { type: Number, default: null },
    wellbeingChange: { type: Number, default: null },
    unmetNeeds: { type: [String], default: [] },
    deprivationDecile: { type: Number, default: null },
    ethnicity: { type: String, default: null },
    sex: { type: String, default: null },
    ageBand: { type: String, default: null },
    updatedAt: { type: Date, required: true },
    /** updatedAt's UTC hour, "2026-12-07T06": a refresh selects the hours since its last read by equality. */
    updatedHour: { type: String },
  },
  { collection: 'report_facts', versionKey: false },
)
reportFactSchema.index({ updatedHour: 1 })

export function createReportFactModel(connection: Connection) {
  return connection.model('ReportFact', reportFactSchema)
}
