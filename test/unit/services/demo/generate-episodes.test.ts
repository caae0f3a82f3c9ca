import { expect } from 'chai'
import { addSyntheticEpisodes } from '../../../../server/services/demo/generate-episodes'
import {
  generateSyntheticReferrals,
  syntheticCareOrganisations,
} from '../../../../server/services/demo/generate-referrals'
import { EPISODE_CODES, OPEN_STAGES } from '../../../../server/domain/episode'
import { buildEpisodeReport, toEpisodeFact } from '../../../../server/services/episodes/episode-report'
import { suppressReport } from '../../../../server/services/reports/suppression'
import { isSuppressed } from '../../../../server/services/reports/report-types'

const NOW = new Date('2026-12-01T12:00:00Z')
const { practices, teams } = syntheticCareOrganisations()
const services = Array.from({ length: 40 }, (_, i) => ({
  id: `service-${i}`,
  name: `Service ${i}`,
  organisationId: `org-${i % 6}`,
  organisationName: `Organisation ${i % 6}`,
  needs: [],
  acceptsReferrals: i % 5 !== 0,
}))

function generate(seed: number, count: number) {
  return [...generateSyntheticReferrals({ seed, count, services, practices, teams, now: NOW, batchSize: 250 })].map(
    (b) => addSyntheticEpisodes(b, seed, NOW),
  )
}

describe('synthetic social prescribing episodes', () => {
  const batches = generate(4, 1000)
  const episodes = batches.flatMap((b) => b.episodes)
  const referrals = batches.flatMap((b) => b.referrals)

  it('makes about one episode for every 2.5 referrals, the same from the same seed', () => {
    expect(episodes.length).to.be.within(330, 470)
    expect(generate(4, 1000).flatMap((b) => b.episodes.map((e) => e.id))).to.deep.equal(episodes.map((e) => e.id))
  })

  it('walks each through the real rules: every stage reached, one code at most, events in order', () => {
    const stages = new Set(episodes.map((e) => e.stage))
    for (const stage of ['declined', 'active', 'discharged']) expect(stages, stage).to.include(stage)
    for (const e of episodes) {
      expect(e.codes.length).to.be.at.most(1)
      if (e.stage !== 'declined') expect(e.codes[0]?.code).to.equal(EPISODE_CODES.accepted.code)
      expect(e.open).to.equal(OPEN_STAGES.includes(e.stage))
      const times = e.events.map((ev) => ev.at.getTime())
      expect([...times].sort((a, b) => a - b)).to.deep.equal(times)
      expect(e.version).to.equal(e.events.length)
    }
  })

  it("joins the person's referrals to their episode, and only those", () => {
    const byId = new Map(episodes.map((e) => [e.id, e]))
    const joined = referrals.filter((r) => r.episodeId)
    expect(joined.length).to.be.greaterThan(300)
    for (const r of joined) expect(byId.get(r.episodeId!)!.personId).to.equal(r.personId)
  })

  it('gives the episodes report figures above the small-number threshold, and no personal data in its facts', async () => {
    const counts = new Map<string, number>()
    for (const b of batches)
      for (const r of [...b.referrals, ...b.signpostings])
        if (r.episodeId) counts.set(r.episodeId, (counts.get(r.episodeId) ?? 0) + 1)
    const facts = episodes.map((e) => toEpisodeFact(e))
    expect(JSON.stringify(facts)).not.to.match(/Synthetic-|07700|example\.org/)
    const raw = await buildEpisodeReport(
      { from: new Date('2024-01-01'), to: NOW },
      {
        facts: [],
        asOf: NOW,
        now: NOW,
        targets: {} as never,
        taxonomy: [],
        needName: (id) => id,
        practices: practices.map((p) => ({ id: p.id, name: p.name, pcn: p.pcn, population: null })),
        practicesInScope: practices.map((p) => ({ id: p.id, name: p.name, pcn: p.pcn, population: null })),
        sources: { episodes: { facts: async () => facts } },
        connectionsOf: (id) => counts.get(id) ?? 0,
      },
    )
    const report = suppressReport(raw)
    const table = (id: string) => report.tables.find((t) => t.id === id)!
    expect(report.tables.map((t) => t.id)).to.deep.equal([
      'by-source',
      'by-practice',
      'not-taken-on',
      'first-conversation',
      'per-episode',
      'discharge-reasons',
      'wellbeing',
    ])
    const gp = table('by-source').rows.find((r) => r.label === 'GP practice')!
    expect(gp.episodes).to.be.a('number').greaterThan(100)
    expect(table('per-episode').rows.find((r) => r.label === 'Contacts')!.mean).to.be.a('number')
    const connected = table('per-episode').rows.find((r) => String(r.label).startsWith('Connections'))!
    expect(connected.mean).to.be.a('number').greaterThan(0.5)
    expect(Number(table('first-conversation').rows[0]!.median)).to.be.within(2, 12)
    const wellbeing = table('wellbeing').rows.find((r) => String(r.label).includes('Life satisfaction'))!
    expect(wellbeing.change).to.be.a('number').within(-1, 3)
    // Small groups are hidden: every count of 1 to 4 episodes, and there are some.
    let small = 0
    raw.tables.forEach((t, i) =>
      t.rows.forEach((row, j) => {
        for (const c of t.columns.filter((c) => c.kind === 'count')) {
          const v = row[c.key]
          if (typeof v === 'number' && v > 0 && v < 5) {
            small++
            expect(isSuppressed(report.tables[i]!.rows[j]![c.key]), `${t.id} ${String(row.label)}`).to.equal(true)
          }
        }
      }),
    )
    expect(small).to.be.greaterThan(0)
  })
})
