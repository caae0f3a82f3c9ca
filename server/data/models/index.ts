// Models are bound to a Connection (never mongoose's global one), so tests can give each file its own database.
import type { Connection } from 'mongoose'

export function createModels(_connection: Connection) {
  return {}
}

export type Models = ReturnType<typeof createModels>
