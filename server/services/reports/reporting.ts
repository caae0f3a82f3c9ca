// The reports and the episode facts, and the one write hook that keeps their facts in step: the referral, outcome
// and episode repositories call it after every write. A fact that fails to write never fails the user's action
// (rebuild-report-facts repairs it). The unmet need and directory health reports also read rows held in memory and
// refreshed in the background.
import type { Repositories } from '../../data/repositories'
import type { WriteHook } from '../../data/repositories/referral.repository'
import { NEED_TAXONOMY } from '../../data/taxonomy'
import type { ClockTargets } from '../../domain/referral-clocks'
import { createEpisodeFacts } from '../episodes/episode-facts'
import { EPISODE_SOURCES } from '../episodes/episode-report'
import { createReportService } from './report.service'
import { createDirectorySources, DIRECTORY_SOURCES } from './report-sources'

export function createReporting(deps: {
  repos: Pick<Repositories, 'reportFacts' | 'reportSources' | 'episodeFacts' | 'episodes' | 'accounts'>
  settings: { reportRefreshMs: number; referralClocks: ClockTargets }
  clock: () => Date
}) {
  const { repos, clock } = deps
  const refreshMs = deps.settings.reportRefreshMs
  const episodeFacts = createEpisodeFacts({ store: repos.episodeFacts, episodes: repos.episodes, refreshMs, clock })
  const reports = createReportService({
    facts: repos.reportFacts,
    taxonomy: NEED_TAXONOMY,
    targets: deps.settings.referralClocks,
    refreshMs,
    sources: {
      [DIRECTORY_SOURCES]: createDirectorySources({ repo: repos.reportSources, refreshMs, clock }),
      [EPISODE_SOURCES]: episodeFacts,
    },
    clock,
  })
  const written: WriteHook = (record) => {
    if (record.kind === 'referral') return reports.referralChanged(record.id)
    if (record.kind === 'episode') return episodeFacts.changed(record.id)
    void repos.accounts
      .findCareOrganisation(record.teamId)
      .catch(() => null)
      .then((team) => reports.signpostingChanged(record.id, { teamName: team?.name }))
  }
  return { reports, episodeFacts, written }
}
