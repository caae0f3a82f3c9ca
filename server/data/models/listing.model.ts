// Keeping listings true: change requests, version history, public problem reports and freshness-link tokens.
// Version history and token uses are keyed by _id (`<service>:<version>`, the token hash) so reads are _id lookups
// and "used once" is an insert that only one request can win (FerretDB has no transactions).
import { Schema, type Connection } from 'mongoose'

const opts = { _id: false } as const

const fieldsSchema = new Schema(
  {
    name: { type: String, required: true },
    description: { type: String, default: '' },
    url: { type: String, default: null },
    email: { type: String, default: null },
    eligibility_description: { type: String, default: null },
    minimum_age: { type: Number, default: null },
    maximum_age: { type: Number, default: null },
    accepts_referrals: { type: Boolean, default: false },
    referral_instructions: { type: String, default: null },
    weekly_times: { type: [String], default: [] },
  },
  opts,
)

const actorSchema = new Schema(
  {
    id: { type: String, required: true },
    email: { type: String, required: true },
    name: { type: String, default: '' },
  },
  opts,
)

export const changeRequestSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['edit', 'new_service'], required: true },
    service_id: { type: String, required: true },
    organization_id: { type: String, required: true },
    service_name: { type: String, required: true },
    organization_name: { type: String, required: true },
    before: { type: fieldsSchema, required: true },
    proposed: { type: fieldsSchema, required: true },
    base_version: { type: Number, required: true },
    submitted_by: { type: actorSchema, required: true },
    submitted_at: { type: Date, required: true },
    status: { type: String, enum: ['pending', 'approved', 'rejected', 'superseded'], default: 'pending' },
    decided_by: { type: actorSchema, default: null },
    decided_at: { type: Date, default: null },
    reason: { type: String, default: null },
  },
  { collection: 'change_requests', versionKey: false },
)
changeRequestSchema.index({ status: 1 })
changeRequestSchema.index({ organization_id: 1 })

export const serviceVersionSchema = new Schema(
  {
    _id: { type: String, required: true },
    service_id: { type: String, required: true },
    version: { type: Number, required: true },
    fields: { type: fieldsSchema, required: true },
    changed_by: { type: actorSchema, required: true },
    at: { type: Date, required: true },
    note: { type: String, required: true },
  },
  { collection: 'service_versions', versionKey: false },
)

export const listingReportSchema = new Schema(
  {
    _id: { type: String, required: true },
    service_id: { type: String, required: true },
    organization_id: { type: String, required: true },
    service_name: { type: String, required: true },
    kind: { type: String, enum: ['wrong_details', 'closed', 'other'], required: true },
    details: { type: String, default: '' },
    at: { type: Date, required: true },
    status: { type: String, enum: ['open', 'resolved'], default: 'open' },
    resolved_by: { type: actorSchema, default: null },
    resolved_at: { type: Date, default: null },
  },
  { collection: 'listing_reports', versionKey: false },
)
// The review queue selects by status (and an organisation's page by organisation) with equality.
listingReportSchema.index({ status: 1 })
listingReportSchema.index({ organization_id: 1 })

export const listingTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    service_id: { type: String, required: true },
    organization_id: { type: String, required: true },
    expires_at: { type: Date, required: true },
    created_at: { type: Date, required: true },
  },
  { collection: 'listing_tokens', versionKey: false },
)

export const listingTokenUseSchema = new Schema(
  {
    _id: { type: String, required: true },
    answer: { type: String, enum: ['accurate', 'closed', 'temporarily_closed'], required: true },
    at: { type: Date, required: true },
  },
  { collection: 'listing_token_uses', versionKey: false },
)

export function createListingModels(connection: Connection) {
  return {
    ChangeRequest: connection.model('ChangeRequest', changeRequestSchema),
    ServiceVersion: connection.model('ServiceVersion', serviceVersionSchema),
    ListingReport: connection.model('ListingReport', listingReportSchema),
    ListingToken: connection.model('ListingToken', listingTokenSchema),
    ListingTokenUse: connection.model('ListingTokenUse', listingTokenUseSchema),
  }
}
