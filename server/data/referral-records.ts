// The definitions live in server/domain/referral-records; this module re-exports them for existing importers.
export * from '../domain/referral-records'
