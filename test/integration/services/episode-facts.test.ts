// The episode facts the caseload and the episodes report read: built once at start, and all built again once when
// their format changes (facts stored before the caseload sorted by the last contact day and open tasks).
import { expect } from 'chai'
import { createEpisodeFactRepository } from '../../../server/data/repositories/episode-fact.repository'
import { createEpisodeRepository } from '../../../server/data/repositories/episode.repository'
import { createEpisodeFacts } from '../../../server/services/episodes/episode-facts'
import { createEngineReader } from '../../../server/data/embedded-db/engine-reads'
import { EPISODE_FACT_FORMAT, toEpisodeFact, type EpisodeFact } from '../../../server/services/episodes/episode-report'
import { useTestApp } from '../../helpers/app'

describe('Episode facts', () => {
  const t = useTestApp('episode_facts', { DEMO: 'true' })
  const facts = () =>
    createEpisodeFacts({
      store: createEpisodeFactRepository(t.connection),
      episodes: createEpisodeRepository(t.connection),
      refreshMs: 60_000,
    })

  it('are built the same from episodes read past FerretDB as from episodes read through it', async () => {
    const through = createEpisodeRepository(t.connection)
    const past = createEpisodeRepository(
      t.connection,
      undefined,
      undefined,
      createEngineReader({ postgresUrl: process.env.TEST_POSTGRES_URL!, database: t.connection.name }),
    )
    const factsOf = async (repo: typeof through) => {
      const out: EpisodeFact[] = []
      for await (const batch of repo.factSourceBatches(3)) out.push(...batch.map(toEpisodeFact))
      return out.sort((a, b) => a.id.localeCompare(b.id))
    }
    const expected = await factsOf(through)
    expect(expected.length).to.be.greaterThan(3)
    expect(expected.some((f) => f.messages.length > 0)).to.equal(true)
    expect(await factsOf(past)).to.deep.equal(expected)
  })

  it('are built again, every one, once, when stored in an older format', async () => {
    const episodes = await t.connection.collection('episodes').countDocuments({})
    expect(episodes).to.be.greaterThan(0)
    // The start built them in the current format: nothing to do.
    expect(await facts().ensure()).to.equal(0)

    const rows = t.connection.collection<{ _id: string; d: string }>('episode_facts')
    const one = (await rows.findOne({}))!
    const { lastContactOn: _l, openTaskDues: _o, ...older } = JSON.parse(one.d) as Record<string, unknown>
    await rows.updateOne({ _id: one._id }, { $set: { d: JSON.stringify(older) } })
    await t.connection
      .collection<{ _id: string }>('list_months')
      .deleteOne({ _id: `_episode_facts:${EPISODE_FACT_FORMAT}` })

    expect(await facts().ensure()).to.equal(episodes)
    expect(JSON.parse((await rows.findOne({ _id: one._id }))!.d)).to.have.keys(Object.keys(JSON.parse(one.d)))
    expect(await rows.countDocuments({})).to.equal(episodes)
    expect(await facts().ensure()).to.equal(0)
  })
})
