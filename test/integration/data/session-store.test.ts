import { expect } from 'chai'
import type { SessionData } from 'express-session'
import { createSessionStore, removeExpiredSessions } from '../../../server/data/session-store'
import { useTestDatabase } from '../../helpers/database'

describe('removeExpiredSessions', () => {
  const db = useTestDatabase('session_store')

  it("removes only the sessions that have expired, selecting them by their expiry's hour", async () => {
    // The real store writes the sessions, so the hour it stores beside each expiry is what cleanup selects by.
    const store = createSessionStore(db.connection, 3600)
    const session = (expires: string) => ({ cookie: { expires: new Date(expires) } }) as unknown as SessionData
    const set = (sid: string, expires: string) =>
      new Promise<void>((resolve, reject) => store.set(sid, session(expires), (e) => (e ? reject(e) : resolve())))
    await set('hours-ago', '2026-06-01T09:15:00Z')
    await set('this-hour-gone', '2026-06-01T12:10:00Z')
    await set('this-hour-live', '2026-06-01T12:45:00Z')
    await set('next-hour', '2026-06-01T13:05:00Z')
    await new Promise<void>((resolve, reject) =>
      store.touch('next-hour', session('2026-06-01T14:20:00Z'), (e?: unknown) => (e ? reject(e) : resolve())),
    )
    const sessions = db.connection.collection<{ _id: string; expiresHour: string }>('sessions')
    const hours = Object.fromEntries((await sessions.find().toArray()).map((s) => [s._id, s.expiresHour]))
    expect(hours).to.deep.equal({
      'hours-ago': '2026-06-01T09',
      'this-hour-gone': '2026-06-01T12',
      'this-hour-live': '2026-06-01T12',
      'next-hour': '2026-06-01T14',
    })

    expect(await removeExpiredSessions(db.connection, new Date('2026-06-01T12:30:00Z'))).to.equal(2)
    const left = (await sessions.find().toArray()).map((s) => s._id).sort()
    expect(left).to.deep.equal(['next-hour', 'this-hour-live'])
    // A later run empties the hours that have passed since.
    expect(await removeExpiredSessions(db.connection, new Date('2026-06-01T15:00:00Z'))).to.equal(2)
  })
})
