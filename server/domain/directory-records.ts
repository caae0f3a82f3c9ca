// Plain records of the directory, as services see them. Field names follow HSDS 3.0 / Open Referral UK where HSDS has
// the concept; what referral needs (access routes, e-referrals, capacity) and curation (review_status) are ours.
// Schedules, cost options, eligibility, languages, contacts and service areas live inside the service document:
// FerretDB has no $lookup and only _id lookups are fast on its SQLite backend.
import type { AccessRoute, Capacity, DeliveryMode, ServiceStatus } from './directory-vocabulary'

export type ReviewStatus = 'approved' | 'pending' | 'rejected'
/** Where a record came from: demo and synthetic data can be told apart from real listings and removed. */
export type RecordOrigin = 'manual' | 'demo' | 'synthetic' | 'import'

/** Where an imported record came from (Open Referral UK import): the feed, its id there, and when this version came. */
export interface Provenance {
  source: string
  external_id: string
  imported_at: Date
  /** A digest of the record as imported, so a re-run can tell what changed without reading whole documents. */
  hash: string
}

export interface Phone {
  id: string
  number: string
  type: 'voice' | 'text' | 'textphone'
  description: string | null
}

export interface Contact {
  id: string
  name: string | null
  title: string | null
  email: string | null
  phones: Phone[]
}

export interface OrganizationIdentifier {
  id: string
  identifier_scheme: string
  identifier_type: string
  identifier: string
}

export interface OrganizationRecord {
  id: string
  name: string
  alternate_name: string | null
  description: string
  email: string | null
  website: string | null
  phones: Phone[]
  organization_identifiers: OrganizationIdentifier[]
  review_status: ReviewStatus
  origin: RecordOrigin
  /** Set on imported records only. */
  provenance?: Provenance | null
  created_at: Date
  updated_at: Date
}

export interface Address {
  id: string
  address_1: string
  address_2: string | null
  city: string
  region: string | null
  state_province: string | null
  postal_code: string
  country: string
  address_type: 'physical' | 'postal'
}

export interface Accessibility {
  id: string
  /** A stable code used for filtering: step_free, hearing_loop, accessible_toilet, accessible_parking, … */
  code: string
  description: string
}

export interface LocationRecord {
  id: string
  organization_id: string | null
  location_type: 'physical' | 'postal' | 'virtual'
  name: string
  description: string | null
  latitude: number | null
  longitude: number | null
  addresses: Address[]
  accessibility: Accessibility[]
  origin: RecordOrigin
  /** Set on imported records only. */
  provenance?: Provenance | null
  created_at: Date
  updated_at: Date
}

/** A regular time (iCalendar-style freq/byday like HSDS) or, with no freq, only the free-text description. */
export interface Schedule {
  id: string
  /** Set when the time applies at one location only. */
  location_id: string | null
  freq: 'WEEKLY' | 'MONTHLY' | null
  interval: number | null
  /** Comma-separated iCalendar days: "MO,WE". For MONTHLY, may carry an ordinal: "1SA" (first Saturday). */
  byday: string | null
  bymonthday: string | null
  /** "HH:MM", 24-hour. */
  opens_at: string | null
  closes_at: string | null
  valid_from: Date | null
  valid_to: Date | null
  description: string | null
  attending_type: string | null
  notes: string | null
}

export interface CostOption {
  id: string
  /** What the option is: "Free", "Per session", "Annual membership". */
  option: string
  /** Pounds; 0 means free. Null when the amount varies. */
  amount: number | null
  currency: 'GBP'
  amount_description: string | null
}

export type Catchment = 'none' | 'gp_registered' | 'resident'

export interface Eligibility {
  /** Who it is for, in plain words. */
  description: string | null
  minimum_age: number | null
  maximum_age: number | null
  catchment: Catchment
  /** E.g. "Registered with a GP practice in Barnet" or "Lives in Barnet". */
  catchment_description: string | null
  exclusions: string | null
}

export interface Language {
  id: string
  /** ISO 639-1, lower case. */
  code: string
  name: string
  note: string | null
}

export type ServiceAreaType = 'local' | 'borough' | 'national'

export interface ServiceArea {
  id: string
  name: string
  area_type: ServiceAreaType
  description: string | null
}

export interface ServiceAtLocation {
  id: string
  location_id: string
  description: string | null
}

export interface Referral {
  access_routes: AccessRoute[]
  /** False means signpost-only: link workers point people to it but cannot send a referral. */
  accepts_referrals: boolean
  referral_instructions: string | null
  /** The service's promise to respond to a referral, in working days. */
  response_days: number | null
  capacity: Capacity
  capacity_set_at: Date
  capacity_note: string | null
  /** When a full or paused service expects to open again (said on its page). */
  capacity_reopens_on?: Date | null
}

/** How a listing was last checked. */
export const ASSURER_METHODS = ['vco_confirmed', 'link_worker_visited', 'curator_phoned', 'curator_reviewed'] as const
export type AssurerMethod = (typeof ASSURER_METHODS)[number]

/** Keeping a listing current: its review interval and where the reminders stand (see listing.service.ts). */
export interface Freshness {
  /** Months between checks; null means the deployment's default. */
  review_interval_months: number | null
  /** Reminders sent since the listing was last checked (at most three, then curators are told). */
  reminders_sent: number
  last_reminder_at: Date | null
  /** Set when the reminders went unanswered: the listing shows as not recently checked and ranks lower. */
  escalated_at: Date | null
}

export interface ServiceRecord {
  id: string
  organization_id: string
  name: string
  alternate_name: string | null
  description: string
  url: string | null
  email: string | null
  status: ServiceStatus
  /** When the listing was last checked, and by whom. */
  assured_date: Date | null
  assurer_email: string | null
  /** How it was checked (shown publicly; the assurer's email never is). */
  assurer_method?: AssurerMethod | null
  alert: string | null
  delivery_modes: DeliveryMode[]
  taxonomy_term_ids: string[]
  /** Extra words people search for: activities, alternative phrasings. */
  keywords: string[]
  schedules: Schedule[]
  cost_options: CostOption[]
  eligibility: Eligibility
  languages: Language[]
  contacts: Contact[]
  service_areas: ServiceArea[]
  service_at_locations: ServiceAtLocation[]
  referral: Referral
  review_status: ReviewStatus
  origin: RecordOrigin
  /** Set on imported records only. */
  provenance?: Provenance | null
  /** The approved version shown publicly; raised by each approved change (history in service_versions). */
  version?: number
  freshness?: Freshness
  created_at: Date
  updated_at: Date
}

/** A service with what a page needs to show it. */
export interface ServiceView {
  service: ServiceRecord
  organization: OrganizationRecord
  locations: LocationRecord[]
}

/** A search that found nothing or only a few results (the unmet need report counts them). */
export interface SearchMissRecord {
  id: string
  at: Date
  needs: string[]
  /** Outward code only (never a full postcode). */
  outcode: string | null
  words: string | null
  /** How many results the search found: 0, or a few (see FEW_RESULTS). Missing on misses recorded before it. */
  resultCount?: number
}
