// Every repository over one connection, built once: what the container hands to the services.
import type { Connection } from 'mongoose'
import type { EngineReader } from '../embedded-db/engine-reads'
import { createModels } from '../models'
import { createAccountRepository } from './account.repository'
import { createAuditRepository } from './audit.repository'
import { createDirectoryRepository } from './directory.repository'
import { createEpisodeRepository } from './episode.repository'
import { createEpisodeFactRepository } from './episode-fact.repository'
import { createFeedbackLinkRepository } from './feedback-link.repository'
import { createLeaseRepository } from './lease.repository'
import { createListingRepository } from './listing.repository'
import { createOrukRepository } from './oruk.repository'
import { createPersonRepository } from './person.repository'
import { createReferralOutcomeRepository } from './referral-outcome.repository'
import { createReferralRepository, type WriteHook } from './referral.repository'
import { createReportFactRepository } from './report-fact.repository'
import { createReportSourcesRepository } from './report-sources.repository'
import { createSyntheticReferralRepository } from './synthetic-referrals.repository'

/**
 * `onWrite` is told of every referral, signposting and outcome written (the report facts follow it); `ensureIndexes`
 * makes the engine's indexes again after a collection is dropped and made anew (the report facts, at a rebuild);
 * `engine` reads whole collections past FerretDB when the database is FerretDB on a PostgreSQL we can reach.
 */
export function createRepositories(
  connection: Connection,
  onWrite: WriteHook,
  ensureIndexes?: () => Promise<void>,
  engine?: EngineReader | null,
) {
  const models = createModels(connection)
  return {
    models,
    accounts: createAccountRepository(connection, models),
    audit: createAuditRepository(connection, models),
    directory: createDirectoryRepository(connection, models, { engine, recreated: ensureIndexes }),
    feedbackLinks: createFeedbackLinkRepository(connection),
    leases: createLeaseRepository(connection, models),
    listings: createListingRepository(connection, models),
    oruk: createOrukRepository(connection, models),
    people: createPersonRepository(connection, models),
    referrals: createReferralRepository(connection, models, onWrite),
    outcomes: createReferralOutcomeRepository(connection, models, onWrite),
    reportFacts: createReportFactRepository(connection, models, { recreated: ensureIndexes }),
    reportSources: createReportSourcesRepository(connection, models),
    synthetic: createSyntheticReferralRepository(connection, models),
    episodes: createEpisodeRepository(connection, models, (id) => onWrite({ kind: 'episode', id }), engine),
    episodeFacts: createEpisodeFactRepository(connection, models, { recreated: ensureIndexes }),
  }
}

export type Repositories = ReturnType<typeof createRepositories>
