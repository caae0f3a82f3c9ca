// A service (HSDS service) with its schedules, cost options, eligibility, languages, contacts, service areas and
// service-at-locations embedded, plus what referral needs and the curation state. One document, one _id lookup.
import type { Connection } from 'mongoose'
import { ACCESS_ROUTES, CAPACITIES, DELIVERY_MODES, SERVICE_STATUSES } from '../../domain/directory-vocabulary'
import { collectionSchema, indexEach, list, nullable, required, subSchema } from './fields'
import { contactSchema, directoryOrigin, provenanceSchema, reviewStatus, timestamps } from './shared.schemas'

const scheduleSchema = subSchema({
  id: required(String),
  location_id: nullable(String),
  freq: { type: String, enum: ['WEEKLY', 'MONTHLY', null], default: null },
  interval: nullable(Number),
  byday: nullable(String),
  bymonthday: nullable(String),
  opens_at: nullable(String),
  closes_at: nullable(String),
  valid_from: nullable(Date),
  valid_to: nullable(Date),
  description: nullable(String),
  attending_type: nullable(String),
  notes: nullable(String),
})

const costOptionSchema = subSchema({
  id: required(String),
  option: required(String),
  amount: nullable(Number),
  currency: { type: String, default: 'GBP' },
  amount_description: nullable(String),
})

const eligibilitySchema = subSchema({
  description: nullable(String),
  minimum_age: nullable(Number),
  maximum_age: nullable(Number),
  catchment: { type: String, enum: ['none', 'gp_registered', 'resident'], default: 'none' },
  catchment_description: nullable(String),
  exclusions: nullable(String),
})

const languageSchema = subSchema({
  id: required(String),
  code: required(String),
  name: required(String),
  note: nullable(String),
})

const serviceAreaSchema = subSchema({
  id: required(String),
  name: required(String),
  area_type: { type: String, enum: ['local', 'borough', 'national'], required: true },
  description: nullable(String),
})

const serviceAtLocationSchema = subSchema({
  id: required(String),
  location_id: required(String),
  description: nullable(String),
})

const referralSchema = subSchema({
  access_routes: { type: [{ type: String, enum: ACCESS_ROUTES }], default: [] },
  accepts_referrals: { type: Boolean, default: false },
  referral_instructions: nullable(String),
  response_days: nullable(Number),
  capacity: { type: String, enum: CAPACITIES, default: 'open' },
  capacity_set_at: required(Date),
  capacity_note: nullable(String),
  capacity_reopens_on: nullable(Date),
})

const freshnessSchema = subSchema({
  review_interval_months: nullable(Number),
  reminders_sent: { type: Number, default: 0 },
  last_reminder_at: nullable(Date),
  escalated_at: nullable(Date),
})

export const serviceSchema = collectionSchema(
  'services',
  {
    organization_id: required(String),
    name: required(String),
    alternate_name: nullable(String),
    description: { type: String, default: '' },
    url: nullable(String),
    email: nullable(String),
    status: { type: String, enum: SERVICE_STATUSES, default: 'active' },
    assured_date: nullable(Date),
    assurer_email: nullable(String),
    assurer_method: {
      type: String,
      enum: ['vco_confirmed', 'link_worker_visited', 'curator_phoned', 'curator_reviewed', null],
      default: null,
    },
    alert: nullable(String),
    delivery_modes: { type: [{ type: String, enum: DELIVERY_MODES }], default: [] },
    taxonomy_term_ids: list(String),
    keywords: list(String),
    schedules: list(scheduleSchema),
    cost_options: list(costOptionSchema),
    eligibility: { type: eligibilitySchema, default: () => ({}) },
    languages: list(languageSchema),
    contacts: list(contactSchema),
    service_areas: list(serviceAreaSchema),
    service_at_locations: list(serviceAtLocationSchema),
    referral: required(referralSchema),
    review_status: reviewStatus(),
    origin: directoryOrigin(),
    version: { type: Number, default: 1 },
    freshness: { type: freshnessSchema, default: () => ({}) },
    provenance: nullable(provenanceSchema),
    // The listing freshness job selects by these (listing.repository.ts): every write of a service marks it pending
    // (`freshness_write` tells one write from the next); the job works out when it next needs looking at:
    // `freshness_due` is that month ("2026-12"), "escalated" (in the curators' queue) or "none" (not public).
    freshness_pending: { type: Boolean, default: true },
    freshness_write: nullable(String),
    freshness_due: nullable(String),
    /** The day within `freshness_due`'s month, so a run reads only what is due by today. */
    freshness_due_day: nullable(String),
    /** The UTC hour of the last write ("2026-12-07T06"): the directory health report reads the hours since. */
    updatedHour: nullable(String),
  },
  { timestamps },
)
// Fields lists and jobs select services by with equality (GIN expression indexes on the embedded engine).
indexEach(serviceSchema, [
  'organization_id',
  'review_status',
  'freshness_pending',
  'freshness_due',
  'freshness_due_day',
  'updatedHour',
])

export function createServiceModel(connection: Connection) {
  return connection.model('Service', serviceSchema)
}
