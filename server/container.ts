// Builds the data adapters into services by hand. `Services` is what routers receive. Wiring only: the rules live in
// the services this hands their ports to.
import type { Config } from './config'
import type { Database } from './data/db'
import { buildDemoDirectory } from './data/demo/generate'
import { createGeocoder } from './data/geo/create-geocoder'
import type { ServiceView } from './domain/directory-records'
import { newId } from './domain/ids'
import { createMailer } from './data/mail/create-mailer'
import { createRepositories } from './data/repositories'
import type { Mailer } from './data/mail/mailer'
import { isPublic } from './data/repositories/directory.repository'
import { createListFieldsRepository } from './data/repositories/list-fields.repository'
import type { WriteHook } from './data/repositories/referral.repository'
import { toSearchDocument } from './data/search/documents'
import type { SearchIndex } from './data/search/search-index'
import { NEED_TAXONOMY, needLabel } from './data/taxonomy'
import { STATUS_LABELS } from './domain/referral-status'
import { createAccountService } from './services/account.service'
import { createAuditService } from './services/audit.service'
import { demoLogins } from './services/demo-accounts'
import { createDemoSeeding } from './services/demo/seed-demo'
import { createDemoService } from './services/demo.service'
import { createDirectoryService } from './services/directory.service'
import { createOrukImportService } from './services/oruk-import.service'
import { createOrukService } from './services/oruk.service'
import { createHealthService } from './services/health.service'
import { createFreshnessService } from './services/listing-freshness.service'
import { createListingService } from './services/listing.service'
import { createRecipients } from './services/recipients'
import { referralTargets } from './services/referral-target'
import { createScheduler } from './services/scheduler'
import { registerJobs } from './services/jobs'
import { createStartup } from './services/startup'
import { createOutcomeService } from './services/outcomes/outcome.service'
import { createPersonFeedbackService } from './services/outcomes/person-feedback.service'
import { createPersonService } from './services/person.service'
import { createReferralService } from './services/referral.service'
import { createWorklistService } from './services/worklist.service'
import { createReportService } from './services/reports/report.service'
import { createDirectorySources, DIRECTORY_SOURCES } from './services/reports/report-sources'
import { createEpisodeConnections } from './services/episodes/episode-connections'
import { createEpisodeService } from './services/episodes/episode.service'
import { EPISODE_SOURCES } from './services/episodes/episode-report'
import { createEpisodeFacts } from './services/episodes/episode-facts'

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
  const { publicUrl } = config
  // The write hook is called only after construction, once `reports` exists.
  const repos = createRepositories(
    db.connection,
    (written) => recordWritten(written),
    () => db.ensureIndexes(),
    db.engineReader,
  )
  const geocoder = createGeocoder(config)
  const recipients = createRecipients({ accounts: repos.accounts, referrals: repos.referrals, clock })
  const findCareOrganisation = (id: string) => repos.accounts.findCareOrganisation(id)

  const health = createHealthService({
    pingDatabase: () => db.ping(),
    pingSearch: () => search.healthy(),
    databaseAvailable: () => db.available(),
  })
  const publicView = (view: ServiceView) => isPublic(view.service, view.organization)
  const directory = createDirectoryService({
    directory: repos.directory,
    search,
    geocoder,
    toSearchDocument: (view, taxonomy) => toSearchDocument(view.service, view.organization, view.locations, taxonomy),
    isPublic: publicView,
    newId,
    clock,
  })
  const oruk = createOrukService({
    directory: repos.directory,
    oruk: repos.oruk,
    search,
    geocoder,
    isPublic: publicView,
    taxonomy: () => directory.taxonomy(),
  })
  const orukImport = createOrukImportService({ oruk: repos.oruk, listTaxonomy: () => repos.directory.listTaxonomy() })
  const mail = infra.mailer
    ? { mailer: infra.mailer, outbox: null }
    : createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, connection: db.connection, models: repos.models })
  const { mailer } = mail
  const audit = createAuditService({
    audit: repos.audit,
    findUserIdByEmail: async (email) => (await repos.accounts.findUserByEmail(email))?.id ?? null,
    clock,
  })
  // What most services take: the audit trail, the mailer and the clock.
  const common = { audit, mailer, clock }
  const accounts = createAccountService({
    accounts: repos.accounts,
    ...common,
    settings: {
      publicUrl,
      invitationMs: config.invitationMs,
      passwordResetMs: config.passwordResetMs,
      signIn: {
        maxFailures: config.signIn.maxFailures,
        lockMs: config.signIn.lockMs,
        perNetworkPer15Minutes: config.signIn.perIpPer15Minutes,
      },
    },
  })
  // Reports read de-identified facts, one per referral and signposting. The referral and outcome repositories call
  // `recordWritten` after every write, the one place the facts are kept in step; a fact that fails to write never
  // fails the user's action (rebuild-report-facts repairs it). The unmet need and directory health reports also read
  // rows held in memory and refreshed in the background; the episodes report's facts are written after every episode
  // write (the repository's write hook, below).
  const refreshMs = config.reportRefreshMs
  const episodeFacts = createEpisodeFacts({ store: repos.episodeFacts, episodes: repos.episodes, refreshMs, clock })
  const reports = createReportService({
    facts: repos.reportFacts,
    taxonomy: NEED_TAXONOMY,
    targets: config.referralClocks,
    refreshMs,
    sources: {
      [DIRECTORY_SOURCES]: createDirectorySources({ repo: repos.reportSources, refreshMs, clock }),
      [EPISODE_SOURCES]: episodeFacts,
    },
    clock,
  })
  const recordWritten: WriteHook = (written) => {
    if (written.kind === 'referral') return reports.referralChanged(written.id)
    if (written.kind === 'episode') return episodeFacts.changed(written.id)
    void findCareOrganisation(written.teamId)
      .catch(() => null)
      .then((team) => reports.signpostingChanged(written.id, { teamName: team?.name }))
  }
  const people = createPersonService({
    people: repos.people,
    audit,
    findPractice: findCareOrganisation,
    listPractices: () => repos.accounts.listCareOrganisations('practice'),
    clock,
  })
  const getService = referralTargets(directory)
  const referrals = createReferralService({
    referrals: repos.referrals,
    people: repos.people,
    personService: people,
    ...common,
    publicUrl,
    getService,
    organisationEmails: recipients.members,
    findCareOrganisation,
    inviteContact: (organisation, email, ip) => accounts.invitationForOrganisationContact(organisation, email, ip),
    targets: config.referralClocks,
    // The practice is told an outcome summary is ready (with consent to GP feedback; the outcome service checks).
    onClosed: (id) => outcomes.notifyPracticeOnClose(id),
    // A referral or signposting made while the person has an open social prescribing episode belongs to it.
    episodeFor: (personId) => episodes.openEpisodeFor(personId),
  })
  const episodes = createEpisodeService({
    facts: () => episodeFacts.facts(),
    episodes: repos.episodes,
    people: repos.people,
    ...common,
    publicUrl,
    findCareOrganisation,
    listCareOrganisations: (kind) => repos.accounts.listCareOrganisations(kind),
    connections: createEpisodeConnections({
      episodes: repos.episodes,
      organisationOf: async (serviceId) => (await directory.getService(serviceId)).organization.name,
    }),
    practiceEmails: recipients.practice,
    needLabel,
    caseloadBenchmark: config.caseloadBenchmark,
    targets: config.episodeTargets,
  })
  const worklist = createWorklistService({
    referrals: repos.referrals,
    openReferrals: (teamIds) => reports.openReferralFacts(teamIds),
    dueEpisodeTasks: (teamIds, today) => episodes.dueTasks(teamIds, today),
    episodeTasks: (id) => episodes.taskDetail(id),
    audit,
    clock,
  })
  // Closing the loop: outcomes on the referral document, the person's feedback link, the GP practice view.
  const outcomes = createOutcomeService({
    outcomes: repos.outcomes,
    ...common,
    publicUrl,
    practiceEmails: recipients.practice,
    statusLabel: (status) => (STATUS_LABELS as Record<string, string>)[status] ?? status,
    needLabel,
  })
  const personFeedback = createPersonFeedbackService({
    links: repos.feedbackLinks,
    referrals: outcomes.feedbackPort,
    ...common,
    publicUrl,
  })
  const reindex = (id: string) => directory.reindexService(id)
  const listings = createListingService({
    directory: repos.directory,
    listings: repos.listings,
    reindex,
    ...common,
    publicUrl,
    curatorEmails: recipients.curators,
    memberEmails: recipients.members,
    recentReferrers: recipients.recentReferrers,
    newId,
  })
  const freshness = createFreshnessService({
    directory: repos.directory,
    listings: repos.listings,
    listingService: listings,
    reindex,
    ...common,
    curatorEmails: recipients.curators,
    memberEmails: recipients.members,
    settings: { publicUrl, ...config.listingFreshness },
  })
  // Work on a timer, run by one instance at a time (leases in the database): every job is listed in services/jobs.ts.
  const scheduler = createScheduler({ leases: repos.leases })
  registerJobs(scheduler, {
    referralClockEveryMs: config.referralClockEveryMs,
    referrals,
    accounts,
    freshness,
    models: repos.models,
    connection: db.connection,
  })
  const demo = createDemoService({ directory: repos.directory, taxonomy: NEED_TAXONOMY, buildDemoDirectory, clock })
  const { seedDemo, demoBanner } = createDemoSeeding({
    demo,
    accounts,
    listings,
    repos,
    reports,
    getService,
    targets: config.referralClocks,
    reportReferrals: config.demoReportReferrals,
    clock,
  })

  return {
    health,
    directory,
    oruk,
    orukImport,
    demo,
    audit,
    accounts,
    outcomes,
    personFeedback,
    reports,
    people,
    referrals,
    episodes,
    worklist,
    listings,
    freshness,
    scheduler,
    mailer,
    /** The database outbox when mail is not sent over SMTP; null otherwise. */
    outbox: mail.outbox,
    /** Demo sign-ins for the sign-in page (demo mode only). */
    demoLogins: () => (config.demo ? demoLogins() : []),
    /** The episodes report's and caseload's facts: `ensure` builds those missing (after episodes written in bulk). */
    episodeFacts: { ensure: () => episodeFacts.ensure() },
    /** Work done once at start, before the app accepts requests: reference data, demo data, the search index. */
    startup: createStartup({
      listFields: createListFieldsRepository(db.connection, repos.models),
      seedDemo: config.demo ? seedDemo : null,
      ensureTaxonomy: () => demo.ensureTaxonomy(),
      reports,
      episodeFacts,
      directory,
      warmReports: config.production,
    }),
    /** What `npm start` prints in demo mode. */
    demoBanner,
  }
}

export type Services = ReturnType<typeof createServices>
