// The definitions live in server/domain/directory-records; this module re-exports them for existing importers.
export * from '../domain/directory-records'
