// Builds the data adapters into services by hand. `Services` is what routers receive.
import path from 'node:path'
import type { Config } from './config'
import type { Database } from './data/db'
import { buildDemoDirectory } from './data/demo/generate'
import { createCompositeGeocoder } from './data/geo/composite-geocoder'
import { loadLocalGeocoder } from './data/geo/local-geocoder'
import { createPostcodesIoGeocoder } from './data/geo/postcodes-io-geocoder'
import { newId } from './domain/ids'
import { createMailer } from './data/mail/create-mailer'
import { createRepositories } from './data/repositories'
import type { Mailer } from './data/mail/mailer'
import { isPublic } from './data/repositories/directory.repository'
import type { WriteHook } from './data/repositories/referral.repository'
import { toSearchDocument } from './data/search/documents'
import type { SearchIndex } from './data/search/search-index'
import { NEED_TAXONOMY } from './data/taxonomy'
import { createLogger } from './logger'
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
import { createListingService, type RecentReferrers } from './services/listing.service'
import { createScheduler } from './services/scheduler'
import { registerJobs } from './services/jobs'
import { removeExpiredSessions } from './data/session-store'
import { removeSpentClaims } from './data/atomic'
import { createOutcomeService } from './services/outcomes/outcome.service'
import { createPersonFeedbackService } from './services/outcomes/person-feedback.service'
import { createPersonService } from './services/person.service'
import { createReferralService, type ServiceSummary } from './services/referral.service'
import { createWorklistService } from './services/worklist.service'
import { createReportService } from './services/reports/report.service'
import { createDirectorySources, DIRECTORY_SOURCES } from './services/reports/report-sources'
import { createEpisodeService } from './services/episodes/episode.service'
import { createEpisodeSources, EPISODE_SOURCES, toEpisodeFact } from './services/episodes/episode-report'
import { BENEFIT_RATINGS, benefitOf, engagementOf } from './services/outcomes/outcome'
import { createListFieldsRepository } from './data/repositories/list-fields.repository'

const log = createLogger('container')

/** The local postcode table: the demo borough's postcodes, so postcode search works offline. */
export const LOCAL_POSTCODES_CSV = path.resolve(import.meta.dirname, 'data/demo/postcodes.csv')

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
  // The write hook is called only after construction, once `reports` exists.
  const repos = createRepositories(
    db.connection,
    (written) => recordWritten(written),
    () => db.ensureIndexes(),
  )
  const accountModels = repos.models
  const local = loadLocalGeocoder(config.postcodesFile ?? LOCAL_POSTCODES_CSV)
  const geocoder = config.postcodesUrl
    ? createCompositeGeocoder(local, createPostcodesIoGeocoder({ baseUrl: config.postcodesUrl }))
    : local

  const health = createHealthService({
    pingDatabase: () => db.ping(),
    pingSearch: () => search.healthy(),
    databaseAvailable: () => db.available(),
  })
  const directory = createDirectoryService({
    directory: repos.directory,
    search,
    geocoder,
    toSearchDocument: (view, taxonomy) => toSearchDocument(view.service, view.organization, view.locations, taxonomy),
    isPublic: (view) => isPublic(view.service, view.organization),
    newId,
    clock,
  })
  const oruk = createOrukService({
    directory: repos.directory,
    oruk: repos.oruk,
    search,
    geocoder,
    isPublic: (view) => isPublic(view.service, view.organization),
    taxonomy: () => directory.taxonomy(),
  })
  const orukImport = createOrukImportService({
    oruk: repos.oruk,
    listTaxonomy: () => repos.directory.listTaxonomy(),
  })
  const mail = infra.mailer
    ? { mailer: infra.mailer, outbox: null }
    : createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, connection: db.connection, models: accountModels })
  const audit = createAuditService({
    audit: repos.audit,
    findUserIdByEmail: async (email) => (await repos.accounts.findUserByEmail(email))?.id ?? null,
    clock,
  })
  const accounts = createAccountService({
    accounts: repos.accounts,
    audit,
    mailer: mail.mailer,
    settings: {
      publicUrl: config.publicUrl,
      invitationMs: config.invitationMs,
      passwordResetMs: config.passwordResetMs,
      signIn: {
        maxFailures: config.signIn.maxFailures,
        lockMs: config.signIn.lockMs,
        perNetworkPer15Minutes: config.signIn.perIpPer15Minutes,
      },
    },
    clock,
  })
  const memberEmails = (organisationId: string) =>
    repos.accounts.activeEmails('vco_member', { kind: 'vco', organisationId })
  // Reports read de-identified facts, one per referral and signposting. The referral and outcome repositories call
  // `recordWritten` after every write, the one place the facts are kept in step; a fact that fails to write never
  // fails the user's action (rebuild-report-facts repairs it).
  // The unmet need and directory health reports also read search misses and a small row per service, held in memory
  // and refreshed in the background (services ten times less often: reading them all is the slow part).
  const directorySources = createDirectorySources({
    repo: repos.reportSources,
    refreshMs: config.reportRefreshMs,
    clock,
  })
  const reports = createReportService({
    facts: repos.reportFacts,
    taxonomy: NEED_TAXONOMY,
    targets: config.referralClocks,
    refreshMs: config.reportRefreshMs,
    sources: {
      [DIRECTORY_SOURCES]: directorySources,
      // Social prescribing episodes, as de-identified facts (the episodes report).
      [EPISODE_SOURCES]: createEpisodeSources({
        read: async () => {
          const { episodes: all, connections } = await repos.episodes.reportSources()
          return all.map((e) => toEpisodeFact(e, connections.get(e.id) ?? 0))
        },
        refreshMs: config.reportRefreshMs,
        clock,
        onError: (error) => log.warn({ err: error instanceof Error ? error.name : 'error' }, 'episode facts not read'),
      }),
    },
    clock,
  })
  const recordWritten: WriteHook = (written) => {
    if (written.kind === 'referral') return reports.referralChanged(written.id)
    void repos.accounts
      .findCareOrganisation(written.teamId)
      .catch(() => null)
      .then((team) => reports.signpostingChanged(written.id, { teamName: team?.name }))
  }
  const people = createPersonService({
    people: repos.people,
    audit,
    findPractice: (id) => repos.accounts.findCareOrganisation(id),
    listPractices: () => repos.accounts.listCareOrganisations('practice'),
    clock,
  })
  const referralService = async (id: string): Promise<ServiceSummary> => {
    const view = await directory.getService(id)
    return {
      id: view.service.id,
      name: view.service.name,
      organisationId: view.organization.id,
      organisationName: view.organization.name,
      acceptsReferrals: view.service.referral.accepts_referrals,
      contactEmail: view.organization.email ?? view.service.email ?? null,
    }
  }
  const referrals = createReferralService({
    referrals: repos.referrals,
    people: repos.people,
    personService: people,
    audit,
    mailer: mail.mailer,
    getService: referralService,
    organisationEmails: memberEmails,
    teamName: async (id) => (await repos.accounts.findCareOrganisation(id))?.name ?? 'A link worker team',
    publicUrl: config.publicUrl,
    targets: config.referralClocks,
    clock,
    // The practice is told an outcome summary is ready (with consent to GP feedback; the outcome service checks).
    onClosed: (id) => outcomes.notifyPracticeOnClose(id),
    // A referral or signposting made while the person has an open social prescribing episode belongs to it.
    episodeFor: (personId) => episodes.openEpisodeFor(personId),
  })
  // Social prescribing episodes: referral into the link worker service, the caseload, the message back to the GP.
  const episodes = createEpisodeService({
    episodes: repos.episodes,
    people: repos.people,
    audit,
    mailer: mail.mailer,
    findCareOrganisation: async (id) => {
      const found = await repos.accounts.findCareOrganisation(id)
      if (!found) throw new Error('not found')
      return found
    },
    listCareOrganisations: (kind) => repos.accounts.listCareOrganisations(kind),
    connections: async (episode) => {
      const { referrals: made, signpostings } = await repos.episodes.connections(episode.id)
      return [
        ...made.map((r) => {
          const engagement = engagementOf(r)
          const benefit = benefitOf(r)
          return {
            kind: 'referral' as const,
            service: r.serviceName,
            organisation: r.organisationName,
            date: r.submittedAt.toISOString().slice(0, 10),
            status: STATUS_LABELS[r.status],
            engaged:
              engagement.state === 'engaged'
                ? ('yes' as const)
                : engagement.state === 'not-engaged'
                  ? ('no' as const)
                  : ('not yet known' as const),
            benefited: benefit ? BENEFIT_RATINGS[benefit.rating] : null,
          }
        }),
        ...(await Promise.all(
          signpostings.map(async (s) => ({
            kind: 'signposting' as const,
            service: s.serviceName,
            organisation: await directory
              .getService(s.serviceId)
              .then((v) => v.organization.name)
              .catch(() => 'organisation no longer listed'),
            date: s.at.toISOString().slice(0, 10),
            status: 'Signposted',
            engaged: 'not recorded' as const,
            benefited: null,
          })),
        )),
      ].sort((a, b) => a.date.localeCompare(b.date))
    },
    practiceEmails: (organisationId) => repos.accounts.activeEmails('gp_user', { kind: 'practice', organisationId }),
    needLabel: (id) => NEED_TAXONOMY.find((t) => t.id === id || t.code === id)?.name ?? id,
    publicUrl: config.publicUrl,
    caseloadBenchmark: config.caseloadBenchmark,
    clock,
  })
  const worklist = createWorklistService({ referrals: repos.referrals, audit, clock })
  // Closing the loop: outcomes on the referral document, the person's feedback link, the GP practice view.
  const outcomes = createOutcomeService({
    outcomes: repos.outcomes,
    audit,
    mailer: mail.mailer,
    practiceEmails: (organisationId) => repos.accounts.activeEmails('gp_user', { kind: 'practice', organisationId }),
    statusLabel: (status) => (STATUS_LABELS as Record<string, string>)[status] ?? status,
    needLabel: (id) => NEED_TAXONOMY.find((t) => t.id === id || t.code === id)?.name ?? id,
    publicUrl: config.publicUrl,
    clock,
  })
  const personFeedback = createPersonFeedbackService({
    links: repos.feedbackLinks,
    referrals: outcomes.feedbackPort,
    audit,
    mailer: mail.mailer,
    publicUrl: config.publicUrl,
    clock,
  })
  const curatorEmails = () => repos.accounts.activeEmails('admin')
  // Link workers who referred into a service lately, told when it closes or fills.
  const recentReferrers: RecentReferrers = async (serviceId, _organisationId, since) =>
    (await repos.referrals.listByServiceSince(serviceId, since, clock())).map((r) => ({
      id: r.referrer.userId,
      email: r.referrer.email,
    }))
  const listings = createListingService({
    directory: repos.directory,
    listings: repos.listings,
    reindex: (id) => directory.reindexService(id),
    audit,
    mailer: mail.mailer,
    curatorEmails,
    memberEmails,
    recentReferrers,
    publicUrl: config.publicUrl,
    newId,
    clock,
  })
  const freshness = createFreshnessService({
    directory: repos.directory,
    listings: repos.listings,
    listingService: listings,
    reindex: (id) => directory.reindexService(id),
    audit,
    mailer: mail.mailer,
    curatorEmails,
    memberEmails,
    settings: { publicUrl: config.publicUrl, ...config.listingFreshness },
    clock,
  })
  // Work on a timer, run by one instance at a time (leases in the database): every job is listed in services/jobs.ts.
  const scheduler = createScheduler({ leases: repos.leases })
  registerJobs(scheduler, {
    referralClockEveryMs: config.referralClockEveryMs,
    referralClocks: (now) => referrals.runClockSweep(now),
    removeSpentClaims: (now) => removeSpentClaims(accountModels, now),
    removeExpiredSessions: (now) => removeExpiredSessions(db.connection, now),
    removeOldSignInAttempts: (now) => accounts.removeOldAttempts(now),
    listingFreshness: (now) => freshness.runReminders(now),
  })
  const demo = createDemoService({
    directory: repos.directory,
    taxonomy: NEED_TAXONOMY,
    buildDemoDirectory,
    clock,
  })

  const { seedDemo, demoBanner } = createDemoSeeding({
    demo,
    accounts,
    listings,
    repos,
    reports,
    getService: referralService,
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
    mailer: mail.mailer,
    /** The database outbox when mail is not sent over SMTP; null otherwise. */
    outbox: mail.outbox,
    /** Demo sign-ins for the sign-in page (demo mode only). */
    demoLogins: () => (config.demo ? demoLogins() : []),
    /** Work done once at start, before the app accepts requests: reference data, demo data, the search index. */
    async startup(): Promise<void> {
      // Documents stored before lists paged by month get their list fields (once; later starts read nothing).
      const listFields = await createListFieldsRepository(db.connection).ensure()
      if (listFields) log.info({ updated: listFields }, 'list fields set')
      if (config.demo) await seedDemo()
      else await demo.ensureTaxonomy()
      // Facts for reports: built from referrals once, when a deployment first has reports.
      const factsBuilt = await reports.ensureFacts()
      if (factsBuilt) log.info({ facts: factsBuilt }, 'report facts built')
      // In production, read the facts into memory in the background now, so the first report does not wait for it.
      if (config.production)
        reports
          .warm()
          .catch((error: unknown) =>
            log.warn({ err: error instanceof Error ? error.name : 'error' }, 'report facts not read at start'),
          )
      const started = Date.now()
      // From the stored search documents when they are current; from every service after a bulk write.
      const { count: indexed, from, rechecked } = await directory.loadIndex()
      log.info({ indexed, from, rechecked, ms: Date.now() - started }, 'search index ready')
    },
    /** What `npm start` prints in demo mode. */
    demoBanner,
  }
}

export type Services = ReturnType<typeof createServices>
