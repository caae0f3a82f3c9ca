// Moving a deployment's data between servers: complete, verified, resumable, and from an old SQLite folder.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'chai'
import { MongoClient } from 'mongodb'
import { copyDatabase } from '../../../server/data/copy-database'
import { startLegacySqliteDatabase } from '../../../server/data/embedded-db/embedded-db'
import { testDatabaseUri, uniqueDbName } from '../../helpers/database'

const BINARY = path.resolve('.cache/ferretdb/ferretdb-embedded')

describe('copyDatabase', function () {
  this.timeout(120_000)
  let client: MongoClient
  let dir: string
  const created: string[] = []
  const name = (label: string) => {
    const n = uniqueDbName(label)
    created.push(n)
    return n
  }

  before(async () => {
    client = new MongoClient(testDatabaseUri())
    await client.connect()
  })
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopwell-copy-'))))
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))
  after(async () => {
    for (const n of created)
      await client
        .db(n)
        .dropDatabase()
        .catch(() => undefined)
    await client.close()
  })

  async function seed(db: string) {
    const people = Array.from({ length: 1_234 }, (_, n) => ({ _id: `p${n}`, teamId: `t${n % 7}`, n }))
    await client.db(db).collection<{ _id: string }>('people').insertMany(people)
    await client.db(db).collection('people').createIndex({ teamId: 1 }, { name: 'teamId_1' })
    await client
      .db(db)
      .collection('users')
      .insertMany([{ email: 'a@example.org' }, { email: 'b@example.org' }])
    await client.db(db).collection('users').createIndex({ email: 1 }, { name: 'email_1', unique: true })
  }

  it('copies every collection with its indexes and checks the counts', async () => {
    const [from, to] = [name('copy_from'), name('copy_to')]
    await seed(from)
    const result = await copyDatabase({ fromUri: testDatabaseUri(), fromDb: from, toUri: testDatabaseUri(), toDb: to })
    expect(result.mismatches).to.deep.equal([])
    expect(result.collections.map((c) => [c.name, c.source, c.target])).to.deep.equal([
      ['people', 1234, 1234],
      ['users', 2, 2],
    ])
    const indexes = await client.db(to).collection('users').listIndexes().toArray()
    expect(indexes.find((i) => i.name === 'email_1')?.unique).to.equal(true)
    expect(
      await client
        .db(to)
        .collection('people')
        .findOne({ _id: 'p1000' as never }),
    ).to.include({ teamId: 't6' })
  })

  it('resumes an interrupted copy where it stopped, creating nothing twice', async () => {
    const [from, to] = [name('resume_from'), name('resume_to')]
    await seed(from)
    const stateFile = path.join(dir, 'state.json')
    // As if the first run stopped after 500 people: those are in the target and the state says so.
    const firstPart = await client.db(from).collection('people').find({}).limit(500).toArray()
    await client.db(to).collection('people').insertMany(firstPart)
    fs.writeFileSync(stateFile, JSON.stringify({ done: {}, partial: { people: 500 } }))
    const progress: number[] = []
    const result = await copyDatabase({
      fromUri: testDatabaseUri(),
      fromDb: from,
      toUri: testDatabaseUri(),
      toDb: to,
      batchSize: 200,
      stateFile,
      onProgress: (p) => p.collection === 'people' && progress.push(p.copied),
    })
    expect(progress[0]).to.equal(700) // started at 500, not 0
    expect(result.mismatches).to.deep.equal([])
    expect(await client.db(to).collection('people').countDocuments()).to.equal(1234)
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { done: Record<string, number> }
    expect(state.done).to.deep.equal({ people: 1234, users: 2 })
  })

  it('carries an old SQLite data folder over', async () => {
    const sqliteDir = path.join(dir, 'db')
    fs.mkdirSync(sqliteDir)
    const legacy = await startLegacySqliteDatabase({ binary: BINARY, sqliteDir })
    try {
      const old = new MongoClient(legacy.uri)
      await old.connect()
      await old
        .db('loopwell')
        .collection('referrals')
        .insertMany([{ status: 'sent' }, { status: 'accepted' }])
      await old.close()
      const to = name('from_sqlite')
      const result = await copyDatabase({ fromUri: legacy.uri, fromDb: 'loopwell', toUri: testDatabaseUri(), toDb: to })
      expect(result.mismatches).to.deep.equal([])
      expect(await client.db(to).collection('referrals').countDocuments({ status: 'accepted' })).to.equal(1)
    } finally {
      await legacy.stop()
    }
  })
})
