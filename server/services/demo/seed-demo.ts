// Demo mode's data, seeded at start in one place: the directory, accounts, listing changes, referrals, outcomes,
// synthetic report data and search misses. Each step inserts by fixed ids only what is missing, so a restart adds
// nothing and never undoes a user's changes. Also the banner `npm start` prints with the demo sign-ins, and the
// sign-ins the sign-in page lists (demo mode only). Every deployment gets the need taxonomy (`demo.ensureTaxonomy`).
import type { Repositories } from '../../data/repositories'
import {
  DEMO_SEARCH_MISSES,
  DEMO_SEARCH_MISS_SEED,
  generateSyntheticSearchMisses,
} from '../../data/demo/generate-search-misses'
import { createLogger } from '../../logger'
import type { AccountService } from '../account.service'
import { DEMO_PASSWORD, demoLogins, seedDemoAccounts } from '../demo-accounts'
import { seedDemoListings } from '../demo-listings'
import { seedDemoOutcomes } from '../demo-outcomes'
import { seedDemoReferrals } from '../demo-referrals'
import { seedDemoReportData } from '../demo-reports'
import { seedDemoEpisodes } from '../episodes/demo-episodes'
import { createDemoService } from '../demo.service'
import type { ListingService } from '../listing.service'
import type { ClockTargets } from '../../domain/referral-clocks'
import type { ServiceSummary } from '../referral-target'
import type { ReportService } from '../reports/report.service'

const log = createLogger('demo')

export function createDemoSeeding(deps: {
  /** Demo mode: seed the demo data at start and list the demo sign-ins. */
  enabled: boolean
  accounts: AccountService
  listings: ListingService
  repos: Pick<
    Repositories,
    | 'listings'
    | 'directory'
    | 'accounts'
    | 'people'
    | 'referrals'
    | 'outcomes'
    | 'synthetic'
    | 'reportFacts'
    | 'episodes'
  >
  reports: ReportService
  getService: (id: string) => Promise<ServiceSummary>
  targets: ClockTargets
  /** How many synthetic referrals the reports get. */
  reportReferrals: number
  clock: () => Date
}) {
  const { clock, repos } = deps
  const demo = createDemoService({ directory: repos.directory, clock })
  async function seedDemo(): Promise<void> {
    await demo.seedDemoDirectory()
    log.info({ created: await seedDemoAccounts(deps.accounts) }, 'demo accounts ready')
    const listingChanges = await seedDemoListings({
      listings: deps.listings,
      repository: repos.listings,
      directory: repos.directory,
      accounts: repos.accounts,
      clock,
    })
    log.info({ created: listingChanges }, 'demo listing changes ready')
    const referrals = await seedDemoReferrals({
      people: repos.people,
      referrals: repos.referrals,
      getService: deps.getService,
      now: clock(),
      targets: deps.targets,
    })
    log.info({ created: referrals }, 'demo referrals ready')
    const outcomes = await seedDemoOutcomes({ outcomes: repos.outcomes, now: clock() })
    log.info({ created: outcomes }, 'demo outcomes ready')
    const episodes = await seedDemoEpisodes({ episodes: repos.episodes, people: repos.people, now: clock() })
    log.info({ created: episodes }, 'demo social prescribing episodes ready')
    // Reports: a few hundred synthetic referrals across practices, services, needs and months, and practice
    // populations. They are written in bulk, not through the referral repository, so their facts are rebuilt.
    const reportData = await seedDemoReportData({
      synthetic: repos.synthetic,
      facts: repos.reportFacts,
      ensureCareOrganisation: (record) => repos.accounts.ensureCareOrganisation(record),
      now: clock(),
      targets: deps.targets,
      count: deps.reportReferrals,
    })
    log.info(reportData, 'demo report data ready')
    const misses = await repos.synthetic.insertSearchMisses(
      generateSyntheticSearchMisses({ seed: DEMO_SEARCH_MISS_SEED, count: DEMO_SEARCH_MISSES, now: clock() }),
    )
    log.info({ created: misses }, 'demo search misses ready')
    if (reportData.referrals + reportData.signpostings > 0) await deps.reports.rebuildFacts()
  }

  return {
    demo,
    /** Null outside demo mode. */
    seedDemo: deps.enabled ? seedDemo : null,
    /** Demo sign-ins for the sign-in page (none outside demo mode). */
    demoLogins: () => (deps.enabled ? demoLogins() : []),

    demoBanner(): string {
      const logins = demoLogins().map((l) => `  ${l.email.padEnd(34)} ${l.what}`)
      return [
        '',
        'Demo mode: the directory holds demonstration data for the London Borough of Barnet.',
        `Demo sign-ins (password for all: ${DEMO_PASSWORD}):`,
        ...logins,
        '',
      ].join('\n')
    },
  }
}
