// People on a caseload, referrals to VCOs and back, social prescribing episodes, the worklist, and closing the loop
// (outcomes, the person's feedback link, the GP practice's view). These call each other, so each is reached through
// a function that runs only after all are built.
import { needLabel } from '../data/taxonomy'
import { statusLabel } from '../domain/referral-status'
import type { AccountService } from '../services/account.service'
import type { DirectoryService } from '../services/directory.service'
import { createEpisodeConnections } from '../services/episodes/episode-connections'
import type { createEpisodeFacts } from '../services/episodes/episode-facts'
import { createEpisodeService } from '../services/episodes/episode.service'
import { createOutcomeService } from '../services/outcomes/outcome.service'
import { createPersonFeedbackService } from '../services/outcomes/person-feedback.service'
import { createPersonService } from '../services/person.service'
import { createReferralService } from '../services/referral.service'
import { referralTargets } from '../services/referral-target'
import type { ReportService } from '../services/reports/report.service'
import { createWorklistService } from '../services/worklist.service'
import type { Wiring } from './shared'

export function wireCare(
  { config, repos, recipients, common }: Wiring,
  other: {
    directory: DirectoryService
    accounts: AccountService
    reports: ReportService
    episodeFacts: ReturnType<typeof createEpisodeFacts>
  },
) {
  const { directory, accounts, reports, episodeFacts } = other
  const findCareOrganisation = (id: string) => repos.accounts.findCareOrganisation(id)
  const people = createPersonService({
    people: repos.people,
    ...common,
    findPractice: findCareOrganisation,
    listPractices: () => repos.accounts.listCareOrganisations('practice'),
  })
  const getService = referralTargets(directory)
  const referrals = createReferralService({
    referrals: repos.referrals,
    people: repos.people,
    personService: people,
    ...common,
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
    ...common,
  })
  const outcomes = createOutcomeService({
    outcomes: repos.outcomes,
    ...common,
    practiceEmails: recipients.practice,
    statusLabel,
    needLabel,
  })
  const personFeedback = createPersonFeedbackService({
    links: repos.feedbackLinks,
    referrals: outcomes.feedbackPort,
    ...common,
  })
  return { people, getService, referrals, episodes, worklist, outcomes, personFeedback }
}
