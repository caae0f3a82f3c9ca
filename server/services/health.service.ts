// Health: is each part we depend on answering?

export interface HealthReport {
  status: 'ok' | 'unavailable'
  db: 'ok' | 'unavailable'
  search: 'ok' | 'unavailable'
}

export function createHealthService(deps: {
  pingDatabase: () => Promise<boolean>
  pingSearch: () => Promise<boolean>
  /** Known without a round trip: false while the database is known to be down. */
  databaseAvailable?: () => boolean
}) {
  const databaseAvailable = deps.databaseAvailable ?? (() => true)
  const withTimeout = (check: () => Promise<boolean>, ms: number) =>
    Promise.race([
      check().catch(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
    ])

  return {
    databaseAvailable,
    async check(): Promise<HealthReport> {
      const [db, search] = await Promise.all([
        databaseAvailable() ? withTimeout(deps.pingDatabase, 2_000) : false,
        withTimeout(deps.pingSearch, 2_000),
      ])
      return {
        status: db && search ? 'ok' : 'unavailable',
        db: db ? 'ok' : 'unavailable',
        search: search ? 'ok' : 'unavailable',
      }
    },
  }
}

export type HealthService = ReturnType<typeof createHealthService>
