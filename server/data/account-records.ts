// The definitions live in server/domain/account-records; this module re-exports them for existing importers.
export * from '../domain/account-records'
