// Regular times (HSDS schedules) in plain words, and when a service next opens.
import type { Schedule } from '../domain/directory-records'
import { SCHEDULE_DAY_NAMES } from '../domain/directory-vocabulary'

/** By getUTCDay(): Sunday first. */
const DAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const
const ORDINALS: Record<string, string> = { '1': 'first', '2': 'second', '3': 'third', '4': 'fourth', '-1': 'last' }

/** "10:00" → "10am", "13:30" → "1:30pm", "12:00" → "midday". */
export function formatTime(hhmm: string): string {
  const [h = 0, m = 0] = hhmm.split(':').map(Number)
  if (h === 12 && m === 0) return 'midday'
  if (h === 0 && m === 0) return 'midnight'
  const suffix = h < 12 ? 'am' : 'pm'
  const hour = h % 12 === 0 ? 12 : h % 12
  return m === 0 ? `${hour}${suffix}` : `${hour}:${String(m).padStart(2, '0')}${suffix}`
}

function parseByDay(byday: string): { ordinal: string | null; day: string }[] {
  return byday
    .split(',')
    .map((part) => part.trim().toUpperCase())
    .flatMap((part) => {
      const match = /^(-?\d)?(MO|TU|WE|TH|FR|SA|SU)$/.exec(part)
      return match ? [{ ordinal: match[1] ?? null, day: match[2]! }] : []
    })
}

/** parseByDay's answers, kept (a few dozen distinct rules): results pages ask for every result's rules. */
const byDayParsed = new Map<string, readonly { ordinal: string | null; day: string }[]>()

function parsedByDay(byday: string): readonly { ordinal: string | null; day: string }[] {
  let days = byDayParsed.get(byday)
  if (!days) {
    if (byDayParsed.size >= 1000) byDayParsed.clear()
    days = parseByDay(byday)
    byDayParsed.set(byday, days)
  }
  return days
}

/** "Every Saturday, 10am to midday", "First Tuesday of the month, 6pm to 8pm", or the free-text description. */
export function describeSchedule(schedule: Schedule): string {
  const times =
    schedule.opens_at && schedule.closes_at
      ? `, ${formatTime(schedule.opens_at)} to ${formatTime(schedule.closes_at)}`
      : ''
  if (schedule.byday && schedule.freq) {
    const days = parseByDay(schedule.byday)
    if (schedule.freq === 'MONTHLY') {
      const parts = days.map((d) => `${ORDINALS[d.ordinal ?? '1'] ?? 'first'} ${SCHEDULE_DAY_NAMES[d.day]}`)
      const text = `${parts.join(' and ')} of the month${times}`
      return text.charAt(0).toUpperCase() + text.slice(1)
    }
    const names = days.map((d) => SCHEDULE_DAY_NAMES[d.day])
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '')
    return `Every ${list}${times}`
  }
  return schedule.description ?? 'Times vary'
}

const LONDON = 'Europe/London'

// Made once: constructing an Intl.DateTimeFormat costs far more than using one.
const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
})

/**
 * The wall-clock parts of an instant in UK time, to the minute. The last answer is kept for the rest of its minute:
 * every result on a page, and every page in that minute, asks again, and formatToParts is slow.
 */
let lastParts: { minute: number; parts: ReturnType<typeof readLondonParts> } | undefined

function londonParts(date: Date) {
  const minute = Math.floor(date.getTime() / 60_000)
  if (lastParts?.minute !== minute) lastParts = { minute, parts: readLondonParts(date) }
  return lastParts.parts
}

function readLondonParts(date: Date) {
  const parts = LONDON_PARTS.formatToParts(date)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  }
}

function nthWeekdayMatches(year: number, month: number, day: number, weekday: number, ordinal: string | null) {
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDay() !== weekday) return false
  if (!ordinal) return true
  const n = Number(ordinal)
  if (n > 0) return Math.ceil(day / 7) === n
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return day + 7 > daysInMonth
}

export interface NextOpening {
  /** The calendar date (UK) of the next session, as YYYY-MM-DD. */
  date: string
  opensAt: string | null
  closesAt: string | null
}

export type ScheduleRule = Pick<Schedule, 'freq' | 'byday' | 'opens_at' | 'closes_at' | 'valid_from' | 'valid_to'>

/** The next session (today's counts until it closes) within the next 62 days, or null when none is known. */
export function nextOpening(schedules: readonly ScheduleRule[], now: Date): NextOpening | null {
  const today = londonParts(now)
  let best: (NextOpening & { key: string }) | null = null
  for (const schedule of schedules) {
    if (!schedule.freq || !schedule.byday) continue
    const days = parsedByDay(schedule.byday)
    // The start of valid_from's UTC day, worked out once per rule rather than once per day looked at.
    const validFrom = schedule.valid_from ? new Date(schedule.valid_from.toISOString().slice(0, 10)) : null
    for (let offset = 0; offset < 62; offset++) {
      const d = new Date(Date.UTC(today.year, today.month - 1, today.day + offset))
      const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]
      const weekday = d.getUTCDay()
      const matches = days.some(
        (spec) =>
          DAY_CODES[weekday] === spec.day &&
          (schedule.freq === 'WEEKLY' || nthWeekdayMatches(year, month, day, weekday, spec.ordinal)),
      )
      if (!matches) continue
      if (offset === 0 && schedule.closes_at) {
        const [h = 0, m = 0] = schedule.closes_at.split(':').map(Number)
        if (today.minutes >= h * 60 + m) continue
      }
      if (schedule.valid_to && d > schedule.valid_to) break
      if (validFrom && d < validFrom) continue
      const date = d.toISOString().slice(0, 10)
      const key = `${date} ${schedule.opens_at ?? '99:99'}`
      if (!best || key < best.key) best = { date, opensAt: schedule.opens_at, closesAt: schedule.closes_at, key }
      break
    }
  }
  if (!best) return null
  return { date: best.date, opensAt: best.opensAt, closesAt: best.closesAt }
}
