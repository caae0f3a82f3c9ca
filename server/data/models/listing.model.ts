// Keeping listings true: change requests, version history, public problem reports and freshness-link tokens.
// Version history and token uses are keyed by _id (`<service>:<version>`, the token hash) so reads are _id lookups
// and "used once" is an insert that only one request can win (FerretDB has no transactions).
import type { Connection } from 'mongoose'
import { collectionSchema, list, nullable, required, subSchema } from './fields'

const fieldsSchema = subSchema({
  name: required(String),
  description: { type: String, default: '' },
  url: nullable(String),
  email: nullable(String),
  eligibility_description: nullable(String),
  minimum_age: nullable(Number),
  maximum_age: nullable(Number),
  accepts_referrals: { type: Boolean, default: false },
  referral_instructions: nullable(String),
  weekly_times: list(String),
})

const actorSchema = subSchema({
  id: required(String),
  email: required(String),
  name: { type: String, default: '' },
})

export const changeRequestSchema = collectionSchema('change_requests', {
  kind: { type: String, enum: ['edit', 'new_service'], required: true },
  service_id: required(String),
  organization_id: required(String),
  service_name: required(String),
  organization_name: required(String),
  before: required(fieldsSchema),
  proposed: required(fieldsSchema),
  base_version: required(Number),
  submitted_by: required(actorSchema),
  submitted_at: required(Date),
  status: { type: String, enum: ['pending', 'approved', 'rejected', 'superseded'], default: 'pending' },
  decided_by: nullable(actorSchema),
  decided_at: nullable(Date),
  reason: nullable(String),
})
changeRequestSchema.index({ status: 1 })
changeRequestSchema.index({ organization_id: 1 })

export const serviceVersionSchema = collectionSchema('service_versions', {
  service_id: required(String),
  version: required(Number),
  fields: required(fieldsSchema),
  changed_by: required(actorSchema),
  at: required(Date),
  note: required(String),
})

export const listingReportSchema = collectionSchema('listing_reports', {
  service_id: required(String),
  organization_id: required(String),
  service_name: required(String),
  kind: { type: String, enum: ['wrong_details', 'closed', 'other'], required: true },
  details: { type: String, default: '' },
  at: required(Date),
  status: { type: String, enum: ['open', 'resolved'], default: 'open' },
  resolved_by: nullable(actorSchema),
  resolved_at: nullable(Date),
})
// The review queue selects by status (and an organisation's page by organisation) with equality.
listingReportSchema.index({ status: 1 })
listingReportSchema.index({ organization_id: 1 })

export const listingTokenSchema = collectionSchema('listing_tokens', {
  service_id: required(String),
  organization_id: required(String),
  expires_at: required(Date),
  created_at: required(Date),
})

export const listingTokenUseSchema = collectionSchema('listing_token_uses', {
  answer: { type: String, enum: ['accurate', 'closed', 'temporarily_closed'], required: true },
  at: required(Date),
})

export function createListingModels(connection: Connection) {
  return {
    ChangeRequest: connection.model('ChangeRequest', changeRequestSchema),
    ServiceVersion: connection.model('ServiceVersion', serviceVersionSchema),
    ListingReport: connection.model('ListingReport', listingReportSchema),
    ListingToken: connection.model('ListingToken', listingTokenSchema),
    ListingTokenUse: connection.model('ListingTokenUse', listingTokenUseSchema),
  }
}
