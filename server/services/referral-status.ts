// The definitions live in server/domain/referral-status; this module re-exports them for existing importers.
export * from '../domain/referral-status'
