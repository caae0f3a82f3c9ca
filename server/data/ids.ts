// The definitions live in server/domain/ids; this module re-exports them for existing importers.
export * from '../domain/ids'
