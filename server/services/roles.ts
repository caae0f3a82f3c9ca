// The definitions live in server/domain/roles; this module re-exports them for existing importers.
export * from '../domain/roles'
