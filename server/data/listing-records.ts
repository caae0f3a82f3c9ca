// Plain records for keeping listings true: change requests awaiting a curator, the version history of each listing,
// problems reported by the public, and single-use links in freshness reminders.

/** What a VCO edits on a listing through a change request, flat so it can be compared field by field. */
export interface ListingFields {
  name: string
  description: string
  url: string | null
  email: string | null
  eligibility_description: string | null
  minimum_age: number | null
  maximum_age: number | null
  accepts_referrals: boolean
  referral_instructions: string | null
  /** Weekly opening times, e.g. "TU 10:00-12:00" (day code, opens, closes). Other kinds of times are kept as they are. */
  weekly_times: string[]
}

export interface Actor {
  id: string
  email: string
  name: string
}

export type ChangeRequestKind = 'edit' | 'new_service'
export type ChangeRequestStatus = 'pending' | 'approved' | 'rejected' | 'superseded'

export interface ChangeRequestRecord {
  id: string
  kind: ChangeRequestKind
  service_id: string
  organization_id: string
  /** Snapshots for the queue, so it needs no other reads. */
  service_name: string
  organization_name: string
  /** The listing's fields when the change was asked for, and what was proposed. */
  before: ListingFields
  proposed: ListingFields
  base_version: number
  submitted_by: Actor
  submitted_at: Date
  status: ChangeRequestStatus
  decided_by: Actor | null
  decided_at: Date | null
  reason: string | null
}

export interface ServiceVersionRecord {
  /** `<service id>:<version>` so a listing's history is read by _id. */
  id: string
  service_id: string
  version: number
  fields: ListingFields
  changed_by: Actor
  at: Date
  /** 'created', 'approved change', 'edited and approved', 'restored version 2' … */
  note: string
}

export const REPORT_KINDS = ['wrong_details', 'closed', 'other'] as const
export type ReportKind = (typeof REPORT_KINDS)[number]

export interface ListingReportRecord {
  id: string
  service_id: string
  organization_id: string
  service_name: string
  kind: ReportKind
  details: string
  at: Date
  status: 'open' | 'resolved'
  resolved_by: Actor | null
  resolved_at: Date | null
}

export type FreshnessAnswer = 'accurate' | 'closed' | 'temporarily_closed'

export interface ListingTokenRecord {
  /** SHA-256 of the secret in the link. */
  id: string
  service_id: string
  organization_id: string
  expires_at: Date
  created_at: Date
}

export interface ListingTokenUse {
  /** The token's id: only one use can ever be inserted. */
  id: string
  answer: FreshnessAnswer
  at: Date
}
