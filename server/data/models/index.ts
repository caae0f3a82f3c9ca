// Models are bound to a Connection (never mongoose's global one), so tests can give each file its own database.
import type { Connection } from 'mongoose'
import { createAccountTokenModel } from './account-token.model'
import { createAuditEventModel } from './audit-event.model'
import { createAuthAttemptModel } from './auth-attempt.model'
import { createCareOrganisationModel } from './care-organisation.model'
import { createEpisodeModel } from './episode.model'
import { createEpisodeFactModel } from './episode-fact.model'
import { createLeaseClaimModel, createLeaseModel } from './lease.model'
import { createListingModels } from './listing.model'
import { createListMonthModel } from './list-month.model'
import { createLocationModel } from './location.model'
import { createMailMessageModel } from './mail-message.model'
import { createOrganizationModel } from './organization.model'
import { createPersonModel } from './person.model'
import { createRecordClaimModel, createReferralModel, createSignpostingModel } from './referral.model'
import { createReportFactModel } from './report-fact.model'
import { createSearchMissModel } from './search-miss.model'
import { createServiceModel } from './service.model'
import { createTaxonomyTermModel } from './taxonomy-term.model'
import { createUserModel } from './user.model'

export function createModels(connection: Connection) {
  return {
    Organization: createOrganizationModel(connection),
    Location: createLocationModel(connection),
    Service: createServiceModel(connection),
    TaxonomyTerm: createTaxonomyTermModel(connection),
    SearchMiss: createSearchMissModel(connection),
    User: createUserModel(connection),
    CareOrganisation: createCareOrganisationModel(connection),
    AccountToken: createAccountTokenModel(connection),
    AuthAttempt: createAuthAttemptModel(connection),
    AuditEvent: createAuditEventModel(connection),
    MailMessage: createMailMessageModel(connection),
    Person: createPersonModel(connection),
    Referral: createReferralModel(connection),
    Signposting: createSignpostingModel(connection),
    RecordClaim: createRecordClaimModel(connection),
    Lease: createLeaseModel(connection),
    LeaseClaim: createLeaseClaimModel(connection),
    ReportFact: createReportFactModel(connection),
    Episode: createEpisodeModel(connection),
    EpisodeFact: createEpisodeFactModel(connection),
    ListMonth: createListMonthModel(connection),
    ...createListingModels(connection),
  }
}

export type Models = ReturnType<typeof createModels>
