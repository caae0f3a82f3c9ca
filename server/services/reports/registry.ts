// The reports commissioners and curators read: each has an id (its URL), a title, one sentence for the index, and a
// builder from the chosen filters and a context to a Report. The report service filters the facts to the chosen
// period and area, runs the builder and suppresses small numbers before anyone sees the result.
// To add a report: write a builder (a pure function is easiest to test) and add an entry to REPORTS.
import type { PracticePopulation } from '../../domain/account-records'
import type { TaxonomyTerm } from '../../data/taxonomy'
import type { ClockTargets } from '../../domain/referral-clocks'
import { buildActivity } from './activity'
import { buildDirectoryHealth } from './directory-health'
import { buildEquity } from './equity'
import { buildOutcomes } from './outcomes'
import type { ReportFact } from './report-facts'
import type { Report, ReportFilters } from './report-types'
import { buildTimeliness } from './timeliness'
import { buildUnmetNeed } from './unmet-need'
import { buildEpisodeReport } from '../episodes/episode-report'

export interface PracticeInfo {
  id: string
  name: string
  pcn: string | null
  population: PracticePopulation | null
}

/**
 * Data some reports read beyond the facts (search misses, listings…). Reports that need more declare a field here
 * and server/container.ts fills it.
 */
export interface ReportSources {
  [name: string]: unknown
}

/**
 * What a source may offer the report service's cache: a number that changes whenever its data does (a cached report
 * made at another is stale), and a promise of its pending writes (a report waits for them, as for the facts').
 */
export interface VersionedSource {
  version?(): number
  settled?(): Promise<void>
}

export interface ReportContext {
  /** Facts (referrals and signpostings) submitted in the period and matching the area, organisation and need. */
  facts: readonly ReportFact[]
  /** When the facts were last read from the database (shown as "Figures as of"). */
  asOf: Date
  now: Date
  targets: ClockTargets
  taxonomy: readonly TaxonomyTerm[]
  needName: (id: string) => string
  practices: readonly PracticeInfo[]
  /** The practices the filters cover (one, a PCN's, or all). */
  practicesInScope: readonly PracticeInfo[]
  sources: ReportSources
  /** Names by id over every fact (worked out once while the facts are unchanged); builders fall back to their own. */
  names?: ReportNames
  /** How many referrals and signpostings were made in an episode, over every fact (not only the period's). */
  connectionsOf?: (episodeId: string) => number
}

export interface ReportNames {
  teams: Map<string, string>
  organisations: Map<string, string>
  services: Map<string, string>
  /** A service's organisation id. */
  serviceOrganisation: Map<string, string>
}

export interface ReportDefinition {
  id: string
  title: string
  /** One sentence for the reports index. */
  summary: string
  build: (filters: ReportFilters, context: ReportContext) => Promise<Report>
}

export const REPORTS: ReportDefinition[] = [
  {
    id: 'activity',
    title: 'Activity',
    summary:
      'Referrals and signpostings by need, referral source, practice, organisation and service, with acceptance and decline reasons.',
    build: async (filters, context) => buildActivity(filters, context),
  },
  {
    id: 'timeliness',
    title: 'Timeliness',
    summary:
      'How quickly referrals were acknowledged, the person contacted and an outcome reached, against the targets.',
    build: async (filters, context) => buildTimeliness(filters, context),
  },
  {
    id: 'outcomes',
    title: 'Engagement and benefit',
    summary:
      'Whether people engaged and said it helped, and their change in wellbeing (SWEMWBS), by service, need and area.',
    build: async (filters, context) => buildOutcomes(filters, context),
  },
  {
    id: 'equity',
    title: 'Equity',
    summary:
      'Referrals, engagement and benefit by deprivation decile, ethnic group, sex and age band, beside the practice population.',
    build: async (filters, context) => buildEquity(filters, context),
  },
  {
    id: 'unmet-need',
    title: 'Unmet need',
    summary:
      'Searches with no or few results by need and area, referrals declined for no capacity, needs still unmet at the outcome, and needs no listing meets.',
    build: (filters, context) => buildUnmetNeed(filters, context),
  },
  {
    id: 'directory-health',
    title: 'Directory health',
    summary:
      'Listings by when they were last checked, capacity and status, per organisation, and how quickly organisations respond to referrals.',
    build: (filters, context) => buildDirectoryHealth(filters, context),
  },
  {
    id: 'episodes',
    title: 'Social prescribing episodes',
    summary:
      'Referrals into the link worker service by source and practice, why some were not taken on, time to the first conversation, contacts and connections per episode, discharge reasons and wellbeing change.',
    build: (filters, context) => buildEpisodeReport(filters, context),
  },
]

export function findReport(id: string): ReportDefinition | undefined {
  return REPORTS.find((r) => r.id === id)
}
