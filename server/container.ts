// Builds the data adapters into services by hand. `Services` is what routers receive. Wiring only: the rules live in
// the services this hands their ports to. The directory's services are wired in wiring/directory.ts, the care
// services (people, referrals, episodes, worklist, outcomes) in wiring/care.ts.
import type { Config } from './config'
import type { Database } from './data/db'
import { createGeocoder } from './data/geo/create-geocoder'
import { createMailer } from './data/mail/create-mailer'
import type { Mailer } from './data/mail/mailer'
import { createRepositories } from './data/repositories'
import { createListFieldsRepository } from './data/repositories/list-fields.repository'
import type { SearchIndex } from './data/search/search-index'
import { createAccountService } from './services/account.service'
import { createAuditService } from './services/audit.service'
import { createDemoSeeding } from './services/demo/seed-demo'
import { createHealthService } from './services/health.service'
import { registerJobs } from './services/jobs'
import { createRecipients } from './services/recipients'
import { createReporting } from './services/reports/reporting'
import { createScheduler } from './services/scheduler'
import { createStartup } from './services/startup'
import { wireCare } from './wiring/care'
import { wireDirectory } from './wiring/directory'
import type { Wiring } from './wiring/shared'

export interface Infrastructure {
  config: Config
  db: Database
  search: SearchIndex
  clock?: () => Date
  /** Tests may pass their own (e.g. SMTP to an in-process server); otherwise chosen from config. */
  mailer?: Mailer
}

export function createServices(infra: Infrastructure) {
  const { config, db, search } = infra
  const clock = infra.clock ?? (() => new Date())
  // The write hook is called only after construction, once the reports exist.
  const repos = createRepositories(
    db.connection,
    (written) => reporting.written(written),
    () => db.ensureIndexes(),
    db.engineReader,
  )
  const mail = { smtpUrl: config.smtpUrl, from: config.mailFrom, connection: db.connection, models: repos.models }
  const { mailer, outbox } = createMailer(mail, infra.mailer)
  const audit = createAuditService({
    audit: repos.audit,
    findUserIdByEmail: async (email) => (await repos.accounts.findUserByEmail(email))?.id ?? null,
    clock,
  })
  const wiring: Wiring = {
    config,
    db,
    search,
    repos,
    geocoder: createGeocoder(config),
    recipients: createRecipients({ accounts: repos.accounts, referrals: repos.referrals, clock }),
    common: { audit, mailer, clock, publicUrl: config.publicUrl },
  }
  const health = createHealthService({
    pingDatabase: () => db.ping(),
    pingSearch: () => search.healthy(),
    databaseAvailable: () => db.available(),
  })
  const accounts = createAccountService({ accounts: repos.accounts, ...wiring.common, settings: config })
  // Reports and episode facts, kept in step by the repositories' write hook.
  const reporting = createReporting({ repos, settings: config, clock })
  const { reports, episodeFacts } = reporting
  const { directory, oruk, orukImport, listings, freshness } = wireDirectory(wiring)
  const care = wireCare(wiring, { directory, accounts, reports, episodeFacts })
  // Work on a timer, run by one instance at a time (leases in the database): every job is listed in services/jobs.ts.
  const scheduler = createScheduler({ leases: repos.leases })
  registerJobs(scheduler, {
    referralClockEveryMs: config.referralClockEveryMs,
    referrals: care.referrals,
    accounts,
    freshness,
    models: repos.models,
    connection: db.connection,
  })
  const demo = createDemoSeeding({
    enabled: config.demo,
    accounts,
    listings,
    repos,
    reports,
    getService: care.getService,
    targets: config.referralClocks,
    reportReferrals: config.demoReportReferrals,
    clock,
  })

  return {
    health,
    directory,
    oruk,
    orukImport,
    demo: demo.demo,
    audit,
    accounts,
    outcomes: care.outcomes,
    personFeedback: care.personFeedback,
    reports,
    people: care.people,
    referrals: care.referrals,
    episodes: care.episodes,
    worklist: care.worklist,
    listings,
    freshness,
    scheduler,
    mailer,
    /** The database outbox when mail is not sent over SMTP; null otherwise. */
    outbox,
    /** Demo sign-ins for the sign-in page (demo mode only). */
    demoLogins: demo.demoLogins,
    /** The episodes report's and caseload's facts: `ensure` builds those missing (after episodes written in bulk). */
    episodeFacts: { ensure: () => episodeFacts.ensure() },
    /** Work done once at start, before the app accepts requests: reference data, demo data, the search index. */
    startup: createStartup({
      listFields: createListFieldsRepository(db.connection, repos.models),
      seedDemo: demo.seedDemo,
      ensureTaxonomy: () => demo.demo.ensureTaxonomy(),
      reports,
      episodeFacts,
      directory,
      warmReports: config.production,
    }),
    /** What `npm start` prints in demo mode. */
    demoBanner: demo.demoBanner,
  }
}

export type Services = ReturnType<typeof createServices>
