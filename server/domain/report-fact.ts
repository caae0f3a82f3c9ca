// A report fact: one flat, de-identified record per referral and per signposting, which every report reads.

import type { ReferralStatus } from './referral-status'

export interface ReportFact {
  /** The referral's or signposting's id (the fact's _id): an id of a record, not of a person. */
  id: string
  kind: 'referral' | 'signposting'
  /** The social prescribing episode it was made in, if any (an id of a record, counted per episode, never shown). */
  episodeId: string | null
  submittedAt: Date
  practiceId: string | null
  pcn: string | null
  /** The referral source: the link worker team. */
  teamId: string
  teamName: string
  organisationId: string
  organisationName: string
  serviceId: string
  serviceName: string
  /** Need taxonomy term ids. */
  needs: string[]
  /** Null for a signposting. */
  status: ReferralStatus | null
  open: boolean
  accepted: boolean
  declined: boolean
  declineReason: string | null
  /** When each step was due (from the referral's clocks) and when it happened; null when not yet (or never). */
  acknowledgeBy: Date | null
  acknowledgedAt: Date | null
  contactBy: Date | null
  contactedAt: Date | null
  outcomeBy: Date | null
  closedAt: Date | null
  /** Elapsed time to each step: working days to acknowledge (as its target), calendar days to contact and outcome. */
  acknowledgeWorkingDays: number | null
  contactDays: number | null
  outcomeDays: number | null
  engagement: 'engaged' | 'not-engaged' | 'pending' | null
  /** Whether the person (or else the worker) said it helped; null when nobody has said. */
  benefited: boolean | null
  /** SWEMWBS metric scores at baseline and follow-up, and the change; null without both. */
  wellbeingBaseline: number | null
  wellbeingFollowUp: number | null
  wellbeingChange: number | null
  unmetNeeds: string[]
  /** Equality fields from the person record (bands and groups, never a date of birth). */
  deprivationDecile: number | null
  ethnicity: string | null
  sex: string | null
  ageBand: string | null
  updatedAt: Date
}

/** The fields of a fact, as a test or reviewer can list them: nothing else may be written. */
export const REPORT_FACT_FIELDS = [
  'id',
  'kind',
  'episodeId',
  'submittedAt',
  'practiceId',
  'pcn',
  'teamId',
  'teamName',
  'organisationId',
  'organisationName',
  'serviceId',
  'serviceName',
  'needs',
  'status',
  'open',
  'accepted',
  'declined',
  'declineReason',
  'acknowledgeBy',
  'acknowledgedAt',
  'contactBy',
  'contactedAt',
  'outcomeBy',
  'closedAt',
  'acknowledgeWorkingDays',
  'contactDays',
  'outcomeDays',
  'engagement',
  'benefited',
  'wellbeingBaseline',
  'wellbeingFollowUp',
  'wellbeingChange',
  'unmetNeeds',
  'deprivationDecile',
  'ethnicity',
  'sex',
  'ageBand',
  'updatedAt',
] as const satisfies readonly (keyof ReportFact)[]
