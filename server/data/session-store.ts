// Sessions in the database. FerretDB v1 has no TTL indexes, so connect-mongo's autoRemove is off and
// removeExpiredSessions() is run on a timer instead (idempotent, so several app instances may all run it).
// FerretDB v1 hands PostgreSQL only equality, so `expires < now` would read every session: each write of a session's
// expiry also writes its UTC hour (`expiresHour`, "2026-12-07T10"), and cleanup deletes whole past hours by equality
// and, in the current hour, the ones already expired.
import MongoStore from 'connect-mongo'
import type { Collection, Document } from 'mongodb'
import type { Connection } from 'mongoose'
import { hourOf } from './hour-buckets'

const COLLECTION = 'sessions'
/** How far back the first cleanup in a process looks for hours not yet emptied. */
const FIRST_LOOKBACK_HOURS = 7 * 24
const HOUR = 3_600_000

/** The collection as connect-mongo sees it, but every update that sets `expires` also sets `expiresHour`. */
function withExpiryHour(collection: Collection<Document>): Collection<Document> {
  return new Proxy(collection, {
    get(target, prop, receiver) {
      if (prop === 'updateOne') {
        return (filter: Document, update: Document, options?: Document) => {
          const set = (update as { $set?: Record<string, unknown> }).$set
          const next =
            set && set.expires instanceof Date
              ? { ...update, $set: { ...set, expiresHour: hourOf(set.expires) } }
              : update
          return target.updateOne(filter, next, options)
        }
      }
      const value = Reflect.get(target, prop, receiver) as unknown
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}

export function createSessionStore(connection: Connection, ttlSeconds: number) {
  const store = MongoStore.create({
    client: connection.getClient(),
    dbName: connection.name,
    collectionName: COLLECTION,
    autoRemove: 'disabled',
    ttl: ttlSeconds,
    touchAfter: 60,
    stringify: false,
  })
  // connect-mongo reaches its collection through this promise (set in its constructor).
  const internal = store as unknown as { collectionP: Promise<Collection<Document>> }
  internal.collectionP = internal.collectionP.then(withExpiryHour)
  return store
}

/** Per connection: the hour up to which (exclusive) every expired session has been removed. */
const cleanedTo = new WeakMap<Connection, number>()

export async function removeExpiredSessions(connection: Connection, now = new Date()): Promise<number> {
  const sessions = connection.collection(COLLECTION)
  const thisHour = Math.floor(now.getTime() / HOUR) * HOUR
  const from = cleanedTo.get(connection) ?? thisHour - FIRST_LOOKBACK_HOURS * HOUR
  let deleted = 0
  // Every session in a past hour has expired.
  for (let h = Math.max(from, thisHour - FIRST_LOOKBACK_HOURS * HOUR); h < thisHour; h += HOUR)
    deleted += (await sessions.deleteMany({ expiresHour: hourOf(new Date(h)) })).deletedCount
  cleanedTo.set(connection, thisHour)
  // In this hour, the ones already past (selected by the hour, then compared).
  deleted += (await sessions.deleteMany({ expiresHour: hourOf(now), expires: { $lt: now } })).deletedCount
  return deleted
}
