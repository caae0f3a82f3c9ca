// The directory's vocabularies: how a service is delivered, who may use it, how full it is, when it runs.

export const DELIVERY_MODES = ['in_person', 'phone', 'video', 'online', 'home_visit'] as const
export const ACCESS_ROUTES = ['open_access', 'self_referral', 'professional_referral', 'membership'] as const
export const CAPACITIES = ['open', 'waitlist', 'full', 'paused'] as const
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
/** morning: starts before 12:00; afternoon: 12:00–17:00; evening: runs past 17:00. */
export const TIMES_OF_DAY = ['morning', 'afternoon', 'evening'] as const
export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const
/** Days as HSDS schedules (iCalendar BYDAY) write them, Monday first. */
export const SCHEDULE_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const
export const SCHEDULE_DAY_NAMES: Record<string, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
}

export type DeliveryMode = (typeof DELIVERY_MODES)[number]
export type AccessRoute = (typeof ACCESS_ROUTES)[number]
export type Capacity = (typeof CAPACITIES)[number]
export type Day = (typeof DAYS)[number]
export type TimeOfDay = (typeof TIMES_OF_DAY)[number]
export type ServiceStatus = (typeof SERVICE_STATUSES)[number]

/** A listing is stale when it has not been checked for this long; stale listings rank lower and say so. */
export const STALE_AFTER_DAYS = 365
