// Builds the data adapters into services by hand. `Services` is what routers receive.
import path from 'node:path'
import type { Config } from './config'
import type { Database } from './data/db'
import { buildDemoDirectory } from './data/demo/generate'
import { createCompositeGeocoder } from './data/geo/composite-geocoder'
import { loadLocalGeocoder } from './data/geo/local-geocoder'
import { createPostcodesIoGeocoder } from './data/geo/postcodes-io-geocoder'
import { newId } from './data/ids'
import { createMailer } from './data/mail/create-mailer'
import type { Mailer } from './data/mail/mailer'
import { createModels } from './data/models'
import { createAccountRepository } from './data/repositories/account.repository'
import { createAuditRepository } from './data/repositories/audit.repository'
import { createDirectoryRepository, isPublic } from './data/repositories/directory.repository'
import { createLeaseRepository } from './data/repositories/lease.repository'
import { createListingRepository } from './data/repositories/listing.repository'
import { createPersonRepository } from './data/repositories/person.repository'
import { createReferralRepository, type ReferralRepository } from './data/repositories/referral.repository'
import { createReportFactRepository } from './data/repositories/report-fact.repository'
import { toSearchDocument } from './data/search/documents'
import type { SearchIndex } from './data/search/search-index'
import { NEED_TAXONOMY } from './data/taxonomy'
import { createLogger } from './logger'
import { STATUS_LABELS } from './services/referral-status'
import { createAccountService } from './services/account.service'
import { createAuditService } from './services/audit.service'
import { DEMO_PASSWORD, demoLogins, seedDemoAccounts } from './services/demo-accounts'
import { createDemoService } from './services/demo.service'
import { createDirectoryService } from './services/directory.service'
import { createOrukImportService } from './services/oruk-import.service'
import { createOrukService } from './services/oruk.service'
import { createOrukRepository } from './data/repositories/oruk.repository'
import { createHealthService } from './services/health.service'
import { seedDemoListings } from './services/demo-listings'
import { createFreshnessService } from './services/listing-freshness.service'
import { createListingService, type RecentReferrers } from './services/listing.service'
import { createScheduler } from './services/scheduler'
import { removeExpiredSessions } from './data/session-store'
import { removeSpentClaims } from './data/atomic'
import { createFeedbackLinkRepository } from './data/repositories/feedback-link.repository'
import { createReferralOutcomeRepository } from './data/repositories/referral-outcome.repository'
import { createOutcomeService } from './services/outcomes/outcome.service'
import { createPersonFeedbackService } from './services/outcomes/person-feedback.service'
import { seedDemoReferrals } from './services/demo-referrals'
import { seedDemoOutcomes } from './services/demo-outcomes'
import { createPersonService } from './services/person.service'
import { createReferralService, type ServiceSummary } from './services/referral.service'
import { createWorklistService } from './services/worklist.service'
import { createReportService } from './services/reports/report.service'
import { createDirectorySources, DIRECTORY_SOURCES } from './services/reports/report-sources'
import { createReportSourcesRepository } from './data/repositories/report-sources.repository'
import {
  DEMO_SEARCH_MISSES,
  DEMO_SEARCH_MISS_SEED,
  generateSyntheticSearchMisses,
} from './data/demo/generate-search-misses'
import { seedDemoReportData } from './services/demo-reports'
import { createSyntheticReferralRepository } from './data/repositories/synthetic-referrals.repository'
import type { ReferralOutcomeRepository } from './data/repositories/referral-outcome.repository'

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
  const directoryRepository = createDirectoryRepository(db.connection)
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
    directory: directoryRepository,
    search,
    geocoder,
    toSearchDocument: (view, taxonomy) => toSearchDocument(view.service, view.organization, view.locations, taxonomy),
    isPublic: (view) => isPublic(view.service, view.organization),
    newId,
    clock,
  })
  const orukRepository = createOrukRepository(db.connection)
  const oruk = createOrukService({
    directory: directoryRepository,
    oruk: orukRepository,
    search,
    geocoder,
    isPublic: (view) => isPublic(view.service, view.organization),
    taxonomy: () => directory.taxonomy(),
  })
  const orukImport = createOrukImportService({
    oruk: orukRepository,
    listTaxonomy: () => directoryRepository.listTaxonomy(),
  })
  const accountModels = createModels(db.connection)
  const mail = infra.mailer
    ? { mailer: infra.mailer, outbox: null }
    : createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, connection: db.connection, models: accountModels })
  const accountRepository = createAccountRepository(db.connection, accountModels)
  const audit = createAuditService({
    audit: createAuditRepository(db.connection, accountModels),
    findUserIdByEmail: async (email) => (await accountRepository.findUserByEmail(email))?.id ?? null,
    clock,
  })
  const accounts = createAccountService({
    accounts: accountRepository,
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
  const personRepository = createPersonRepository(db.connection, accountModels)
  // Reports read de-identified facts, one per referral and signposting, written after every referral write.
  // The writes to a referral go through these few repository methods, so they are the one place the facts are kept
  // in step; a fact that fails to write never fails the user's action (rebuild-report-facts repairs it).
  const reportFactRepository = createReportFactRepository(db.connection, accountModels)
  // The unmet need and directory health reports also read search misses and a small row per service, held in memory
  // and refreshed in the background (services ten times less often: reading them all is the slow part).
  const directorySources = createDirectorySources({
    repo: createReportSourcesRepository(db.connection, accountModels),
    refreshMs: config.reportRefreshMs,
    clock,
  })
  const reports = createReportService({
    facts: reportFactRepository,
    taxonomy: NEED_TAXONOMY,
    targets: config.referralClocks,
    refreshMs: config.reportRefreshMs,
    sources: { [DIRECTORY_SOURCES]: directorySources },
    clock,
  })
  const baseReferralRepository = createReferralRepository(db.connection, accountModels)
  const referralRepository: ReferralRepository = {
    ...baseReferralRepository,
    async insertOnce(record) {
      const created = await baseReferralRepository.insertOnce(record)
      if (created) reports.referralChanged(record.id)
      return created
    },
    async transition(id, expected, update) {
      const applied = await baseReferralRepository.transition(id, expected, update)
      if (applied) reports.referralChanged(id)
      return applied
    },
    async insertSignpostingOnce(record) {
      const created = await baseReferralRepository.insertSignpostingOnce(record)
      if (created) {
        const team = await accountRepository.findCareOrganisation(record.teamId).catch(() => null)
        reports.signpostingChanged(record.id, { teamName: team?.name })
      }
      return created
    },
  }
  const people = createPersonService({
    people: personRepository,
    audit,
    findPractice: (id) => accountRepository.findCareOrganisation(id),
    listPractices: () => accountRepository.listCareOrganisations('practice'),
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
    referrals: referralRepository,
    people: personRepository,
    personService: people,
    audit,
    mailer: mail.mailer,
    getService: referralService,
    organisationEmails: async (organisationId) =>
      (await accountRepository.listUsers())
        .filter(
          (u) =>
            u.status === 'active' &&
            u.roles.includes('vco_member') &&
            u.memberships.some((m) => m.kind === 'vco' && m.organisationId === organisationId),
        )
        .map((u) => u.email),
    teamName: async (id) => (await accountRepository.findCareOrganisation(id))?.name ?? 'A link worker team',
    publicUrl: config.publicUrl,
    targets: config.referralClocks,
    clock,
    // The practice is told an outcome summary is ready (with consent to GP feedback; the outcome service checks).
    onClosed: (id) => outcomes.notifyPracticeOnClose(id),
  })
  const worklist = createWorklistService({ referrals: referralRepository, audit, clock })
  // Closing the loop: outcomes on the referral document, the person's feedback link, the GP practice view.
  const baseOutcomeRepository = createReferralOutcomeRepository(db.connection)
  const outcomeRepository: ReferralOutcomeRepository = {
    ...baseOutcomeRepository,
    async saveOutcome(id, version, outcome, measures, attention) {
      const saved = await baseOutcomeRepository.saveOutcome(id, version, outcome, measures, attention)
      if (saved) reports.referralChanged(id)
      return saved
    },
  }
  const outcomes = createOutcomeService({
    outcomes: outcomeRepository,
    audit,
    mailer: mail.mailer,
    practiceEmails: async (practiceId) =>
      (await accountRepository.listUsers())
        .filter(
          (u) =>
            u.status === 'active' &&
            u.roles.includes('gp_user') &&
            (u.memberships ?? []).some((m) => m.kind === 'practice' && m.organisationId === practiceId),
        )
        .map((u) => u.email),
    statusLabel: (status) => (STATUS_LABELS as Record<string, string>)[status] ?? status,
    needLabel: (id) => NEED_TAXONOMY.find((t) => t.id === id || t.code === id)?.name ?? id,
    publicUrl: config.publicUrl,
    clock,
  })
  const personFeedback = createPersonFeedbackService({
    links: createFeedbackLinkRepository(db.connection),
    referrals: outcomes.feedbackPort,
    audit,
    mailer: mail.mailer,
    publicUrl: config.publicUrl,
    clock,
  })
  const listingRepository = createListingRepository(db.connection, accountModels)
  const curatorEmails = async () =>
    (await accountRepository.listUsers())
      .filter((u) => u.status === 'active' && u.roles.includes('admin'))
      .map((u) => u.email)
  const memberEmails = async (organisationId: string) =>
    (await accountRepository.listUsers())
      .filter(
        (u) =>
          u.status === 'active' &&
          u.roles.includes('vco_member') &&
          (u.memberships ?? []).some((m) => m.kind === 'vco' && m.organisationId === organisationId),
      )
      .map((u) => u.email)
  // Link workers who referred into a service lately, told when it closes or fills.
  const recentReferrers: RecentReferrers = async (serviceId, organisationId, since) =>
    (await referralRepository.listByOrganisation(organisationId))
      .filter((r) => r.serviceId === serviceId && r.submittedAt.getTime() >= since.getTime())
      .map((r) => ({ id: r.referrer.userId, email: r.referrer.email }))
  const listings = createListingService({
    directory: directoryRepository,
    listings: listingRepository,
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
    directory: directoryRepository,
    listings: listingRepository,
    listingService: listings,
    reindex: (id) => directory.reindexService(id),
    audit,
    mailer: mail.mailer,
    curatorEmails,
    memberEmails,
    settings: { publicUrl: config.publicUrl, ...config.listingFreshness },
    clock,
  })
  // Work on a timer, run by one instance at a time (leases in the database). Other features register their jobs.
  const scheduler = createScheduler({ leases: createLeaseRepository(db.connection, accountModels) })
  // Referral clocks: overdue flags and emails, and unanswered referrals returned to the referrer (one instance at a time;
  // each email is also claimed on the referral's next version, so it goes once even if two runs overlap).
  scheduler.register({
    name: 'referral-clocks',
    everyMs: config.referralClockEveryMs,
    run: (now) => referrals.runClockSweep(now),
  })
  scheduler.register({
    name: 'claim-cleanup',
    everyMs: 60 * 60_000,
    run: (now) => removeSpentClaims(accountModels, now),
  })
  scheduler.register({
    name: 'session-cleanup',
    everyMs: 15 * 60_000,
    run: (now) => removeExpiredSessions(db.connection, now),
  })
  scheduler.register({
    name: 'auth-attempt-cleanup',
    everyMs: 15 * 60_000,
    run: (now) => accounts.removeOldAttempts(now),
  })
  // A run over a large directory can take minutes (one email at a time): a long lease keeps it on one instance.
  scheduler.register({
    name: 'listing-freshness',
    everyMs: 60 * 60_000,
    leaseMs: 55 * 60_000,
    run: (now) => freshness.runReminders(now),
  })
  const demo = createDemoService({
    directory: directoryRepository,
    taxonomy: NEED_TAXONOMY,
    buildDemoDirectory,
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
      if (config.demo) await demo.seedDemoDirectory()
      else await demo.ensureTaxonomy()
      if (config.demo) log.info({ created: await seedDemoAccounts(accounts) }, 'demo accounts ready')
      if (config.demo)
        log.info(
          {
            created: await seedDemoListings({
              listings,
              repository: listingRepository,
              directory: directoryRepository,
              accounts: accountRepository,
              clock,
            }),
          },
          'demo listing changes ready',
        )
      if (config.demo) {
        const seeded = await seedDemoReferrals({
          people: personRepository,
          referrals: referralRepository,
          getService: referralService,
          now: clock(),
          targets: config.referralClocks,
        })
        log.info({ created: seeded }, 'demo referrals ready')
        const outcomesSeeded = await seedDemoOutcomes({ outcomes: outcomeRepository, now: clock() })
        log.info({ created: outcomesSeeded }, 'demo outcomes ready')
        // Reports: a few hundred synthetic referrals across practices, services, needs and months, and practice
        // populations. They are written in bulk, not through the referral repository, so their facts are rebuilt.
        const reportData = await seedDemoReportData({
          synthetic: createSyntheticReferralRepository(db.connection, accountModels),
          facts: reportFactRepository,
          ensureCareOrganisation: (record) => accountRepository.ensureCareOrganisation(record),
          now: clock(),
          targets: config.referralClocks,
          count: config.demoReportReferrals,
        })
        log.info(reportData, 'demo report data ready')
        const missesSeeded = await createSyntheticReferralRepository(db.connection, accountModels).insertSearchMisses(
          generateSyntheticSearchMisses({ seed: DEMO_SEARCH_MISS_SEED, count: DEMO_SEARCH_MISSES, now: clock() }),
        )
        log.info({ created: missesSeeded }, 'demo search misses ready')
        if (reportData.referrals + reportData.signpostings > 0) await reports.rebuildFacts()
      }
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

export type Services = ReturnType<typeof createServices>
