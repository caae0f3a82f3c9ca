// Report facts: one flat, de-identified document per referral and per signposting, `_id` = its id.
// What reports count, never who: no name, NHS number, contact details, free text, date of birth or person id.
// Written by the report service after every referral write; rebuilt from referrals and signpostings by a script.
import type { Connection } from 'mongoose'
import { collectionSchema, list, nullable, required } from './fields'

export const reportFactSchema = collectionSchema('report_facts', {
  kind: { type: String, enum: ['referral', 'signposting'], required: true },
  episodeId: nullable(String),
  submittedAt: required(Date),
  practiceId: nullable(String),
  pcn: nullable(String),
  teamId: required(String),
  teamName: { type: String, default: '' },
  organisationId: required(String),
  organisationName: { type: String, default: '' },
  serviceId: required(String),
  serviceName: { type: String, default: '' },
  needs: list(String),
  status: nullable(String),
  open: { type: Boolean, default: false },
  accepted: { type: Boolean, default: false },
  declined: { type: Boolean, default: false },
  declineReason: nullable(String),
  acknowledgeBy: nullable(Date),
  acknowledgedAt: nullable(Date),
  contactBy: nullable(Date),
  contactedAt: nullable(Date),
  outcomeBy: nullable(Date),
  closedAt: nullable(Date),
  acknowledgeWorkingDays: nullable(Number),
  contactDays: nullable(Number),
  outcomeDays: nullable(Number),
  engagement: nullable(String),
  benefited: nullable(Boolean),
  wellbeingBaseline: nullable(Number),
  wellbeingFollowUp: nullable(Number),
  wellbeingChange: nullable(Number),
  unmetNeeds: list(String),
  deprivationDecile: nullable(Number),
  ethnicity: nullable(String),
  sex: nullable(String),
  ageBand: nullable(String),
  updatedAt: required(Date),
  /** updatedAt's UTC hour, "2026-12-07T06": a refresh selects the hours since its last read by equality. */
  updatedHour: { type: String },
})
reportFactSchema.index({ updatedHour: 1 })

export function createReportFactModel(connection: Connection) {
  return connection.model('ReportFact', reportFactSchema)
}
