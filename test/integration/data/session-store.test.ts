import { expect } from 'chai'
import { removeExpiredSessions } from '../../../server/data/session-store'
import { useTestDatabase } from '../../helpers/database'

describe('removeExpiredSessions', () => {
  const db = useTestDatabase('session_store')

  it('removes only the sessions that have expired, since FerretDB v1 has no TTL indexes', async () => {
    const sessions = db.connection.collection<{ _id: string; expires: Date }>('sessions')
    const now = new Date('2026-06-01T12:00:00Z')
    await sessions.insertMany([
      { _id: 'old', expires: new Date('2026-06-01T11:59:59Z') },
      { _id: 'live', expires: new Date('2026-06-01T12:30:00Z') },
    ])
    expect(await removeExpiredSessions(db.connection, now)).to.equal(1)
    expect((await sessions.find().toArray()).map((s) => s._id)).to.deep.equal(['live'])
  })
})
