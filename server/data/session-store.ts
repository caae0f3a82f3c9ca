// Sessions in the database. FerretDB v1 has no TTL indexes, so connect-mongo's autoRemove is off and
// removeExpiredSessions() is run on a timer instead (idempotent, so several app instances may all run it).
import MongoStore from 'connect-mongo'
import type { Connection } from 'mongoose'

const COLLECTION = 'sessions'

export function createSessionStore(connection: Connection, ttlSeconds: number) {
  return MongoStore.create({
    client: connection.getClient(),
    dbName: connection.name,
    collectionName: COLLECTION,
    autoRemove: 'disabled',
    ttl: ttlSeconds,
    touchAfter: 60,
    stringify: false,
  })
}

export async function removeExpiredSessions(connection: Connection, now = new Date()): Promise<number> {
  const result = await connection.collection(COLLECTION).deleteMany({ expires: { $lt: now } })
  return result.deletedCount
}
