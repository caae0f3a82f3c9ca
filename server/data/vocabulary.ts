// Labels for the codes the directory stores, shown on pages and in filters. One place, so pages, filters and data agree.
import type { AccessRoute, Capacity, DeliveryMode, Day, ServiceStatus, TimeOfDay } from '../domain/directory-vocabulary'

/** ISO 639-1 codes of languages commonly offered by services in England. */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  en: 'English',
  ar: 'Arabic',
  bg: 'Bulgarian',
  bn: 'Bengali',
  el: 'Greek',
  es: 'Spanish',
  fa: 'Persian (Farsi)',
  fr: 'French',
  gu: 'Gujarati',
  he: 'Hebrew',
  hi: 'Hindi',
  it: 'Italian',
  ku: 'Kurdish',
  lt: 'Lithuanian',
  pa: 'Punjabi',
  pl: 'Polish',
  ps: 'Pashto',
  pt: 'Portuguese',
  ro: 'Romanian',
  ru: 'Russian',
  so: 'Somali',
  sq: 'Albanian',
  ta: 'Tamil',
  ti: 'Tigrinya',
  tr: 'Turkish',
  uk: 'Ukrainian',
  ur: 'Urdu',
  yi: 'Yiddish',
  zh: 'Chinese',
}

export const ACCESSIBILITY_FEATURES: Readonly<Record<string, string>> = {
  step_free: 'Step-free access',
  hearing_loop: 'Hearing loop',
  accessible_toilet: 'Accessible toilet',
  accessible_parking: 'Accessible parking',
  large_print: 'Large-print materials',
  quiet_space: 'Quiet space',
  baby_change: 'Baby changing',
}

export const DELIVERY_MODE_LABELS: Readonly<Record<DeliveryMode, string>> = {
  in_person: 'In person',
  phone: 'By phone',
  video: 'By video call',
  online: 'Online',
  home_visit: 'Home visits',
}

export const ACCESS_ROUTE_LABELS: Readonly<Record<AccessRoute, string>> = {
  open_access: 'Just turn up',
  self_referral: 'Contact them yourself',
  professional_referral: 'Referral from a professional',
  membership: 'Membership',
}

export const CAPACITY_LABELS: Readonly<Record<Capacity, string>> = {
  open: 'Taking people',
  waitlist: 'Waiting list',
  full: 'Full',
  paused: 'Paused',
}

export const STATUS_LABELS: Readonly<Record<ServiceStatus, string>> = {
  active: 'Open',
  inactive: 'Not running',
  defunct: 'Closed for good',
  'temporarily closed': 'Temporarily closed',
}

export const DAY_LABELS: Readonly<Record<Day, string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
}

export const TIME_OF_DAY_LABELS: Readonly<Record<TimeOfDay, string>> = {
  morning: 'Mornings',
  afternoon: 'Afternoons',
  evening: 'Evenings',
}
