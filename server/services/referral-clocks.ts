// The definitions live in server/domain/referral-clocks; this module re-exports them for existing importers.
export * from '../domain/referral-clocks'
