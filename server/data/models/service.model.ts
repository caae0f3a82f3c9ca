// A service (HSDS service) with its schedules, cost options, eligibility, languages, contacts, service areas and
// service-at-locations embedded, plus what referral needs and the curation state. One document, one _id lookup.
import { Schema, type Connection } from 'mongoose'
import { ACCESS_ROUTES, CAPACITIES, DELIVERY_MODES, SERVICE_STATUSES } from '../../domain/directory-vocabulary'
import { contactSchema, provenanceSchema, timestamps } from './shared.schemas'

const opts = { _id: false } as const

const scheduleSchema = new Schema(
  {
    id: { type: String, required: true },
    location_id: { type: String, default: null },
    freq: { type: String, enum: ['WEEKLY', 'MONTHLY', null], default: null },
    interval: { type: Number, default: null },
    byday: { type: String, default: null },
    bymonthday: { type: String, default: null },
    opens_at: { type: String, default: null },
    closes_at: { type: String, default: null },
    valid_from: { type: Date, default: null },
    valid_to: { type: Date, default: null },
    description: { type: String, default: null },
    attending_type: { type: String, default: null },
    notes: { type: String, default: null },
  },
  opts,
)

const costOptionSchema = new Schema(
  {
    id: { type: String, required: true },
    option: { type: String, required: true },
    amount: { type: Number, default: null },
    currency: { type: String, default: 'GBP' },
    amount_description: { type: String, default: null },
  },
  opts,
)

const eligibilitySchema = new Schema(
  {
    description: { type: String, default: null },
    minimum_age: { type: Number, default: null },
    maximum_age: { type: Number, default: null },
    catchment: { type: String, enum: ['none', 'gp_registered', 'resident'], default: 'none' },
    catchment_description: { type: String, default: null },
    exclusions: { type: String, default: null },
  },
  opts,
)

const languageSchema = new Schema(
  {
    id: { type: String, required: true },
    code: { type: String, required: true },
    name: { type: String, required: true },
    note: { type: String, default: null },
  },
  opts,
)

const serviceAreaSchema = new Schema(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    area_type: { type: String, enum: ['local', 'borough', 'national'], required: true },
    description: { type: String, default: null },
  },
  opts,
)

const serviceAtLocationSchema = new Schema(
  {
    id: { type: String, required: true },
    location_id: { type: String, required: true },
    description: { type: String, default: null },
  },
  opts,
)

const referralSchema = new Schema(
  {
    access_routes: { type: [{ type: String, enum: ACCESS_ROUTES }], default: [] },
    accepts_referrals: { type: Boolean, default: false },
    referral_instructions: { type: String, default: null },
    response_days: { type: Number, default: null },
    capacity: { type: String, enum: CAPACITIES, default: 'open' },
    capacity_set_at: { type: Date, required: true },
    capacity_note: { type: String, default: null },
    capacity_reopens_on: { type: Date, default: null },
  },
  opts,
)

const freshnessSchema = new Schema(
  {
    review_interval_months: { type: Number, default: null },
    reminders_sent: { type: Number, default: 0 },
    last_reminder_at: { type: Date, default: null },
    escalated_at: { type: Date, default: null },
  },
  opts,
)

export const serviceSchema = new Schema(
  {
    _id: { type: String, required: true },
    organization_id: { type: String, required: true },
    name: { type: String, required: true },
    alternate_name: { type: String, default: null },
    description: { type: String, default: '' },
    url: { type: String, default: null },
    email: { type: String, default: null },
    status: { type: String, enum: SERVICE_STATUSES, default: 'active' },
    assured_date: { type: Date, default: null },
    assurer_email: { type: String, default: null },
    assurer_method: {
      type: String,
      enum: ['vco_confirmed', 'link_worker_visited', 'curator_phoned', 'curator_reviewed', null],
      default: null,
    },
    alert: { type: String, default: null },
    delivery_modes: { type: [{ type: String, enum: DELIVERY_MODES }], default: [] },
    taxonomy_term_ids: { type: [String], default: [] },
    keywords: { type: [String], default: [] },
    schedules: { type: [scheduleSchema], default: [] },
    cost_options: { type: [costOptionSchema], default: [] },
    eligibility: { type: eligibilitySchema, default: () => ({}) },
    languages: { type: [languageSchema], default: [] },
    contacts: { type: [contactSchema], default: [] },
    service_areas: { type: [serviceAreaSchema], default: [] },
    service_at_locations: { type: [serviceAtLocationSchema], default: [] },
    referral: { type: referralSchema, required: true },
    review_status: { type: String, enum: ['approved', 'pending', 'rejected'], default: 'pending' },
    origin: { type: String, enum: ['manual', 'demo', 'synthetic', 'import'], default: 'manual' },
    version: { type: Number, default: 1 },
    freshness: { type: freshnessSchema, default: () => ({}) },
    provenance: { type: provenanceSchema, default: null },
    // The listing freshness job selects by these (listing.repository.ts): every write of a service marks it pending
    // (`freshness_write` tells one write from the next); the job works out when it next needs looking at:
    // `freshness_due` is that month ("2026-12"), "escalated" (in the curators' queue) or "none" (not public).
    freshness_pending: { type: Boolean, default: true },
    freshness_write: { type: String, default: null },
    freshness_due: { type: String, default: null },
    /** The day within `freshness_due`'s month, so a run reads only what is due by today. */
    freshness_due_day: { type: String, default: null },
    /** The UTC hour of the last write ("2026-12-07T06"): the directory health report reads the hours since. */
    updatedHour: { type: String, default: null },
  },
  { collection: 'services', timestamps, versionKey: false },
)
// Fields lists and jobs select services by with equality (GIN expression indexes on the embedded engine).
serviceSchema.index({ organization_id: 1 })
serviceSchema.index({ review_status: 1 })
serviceSchema.index({ freshness_pending: 1 })
serviceSchema.index({ freshness_due: 1 })
serviceSchema.index({ freshness_due_day: 1 })
serviceSchema.index({ updatedHour: 1 })

export function createServiceModel(connection: Connection) {
  return connection.model('Service', serviceSchema)
}
