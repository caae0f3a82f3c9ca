// SWEMWBS answers for tests: a measure record with a given raw total (7–35), scored by the real instrument, and the
// form fields that answer every item alike.
import { scoreAnswers } from '../../server/services/measures/instrument'
import type { MeasureRecord } from '../../server/services/measures/measures'
import { SWEMWBS, SWEMWBS_ITEMS } from '../../server/services/measures/swemwbs'

export function swemwbs(raw: number, timing: MeasureRecord['timing'], at: Date): MeasureRecord {
  let left = raw - 7
  const answers = Object.fromEntries(
    SWEMWBS_ITEMS.map((i) => {
      const extra = Math.min(4, left)
      left -= extra
      return [i.id, 1 + extra]
    }),
  )
  return {
    id: `${timing}-${raw}`,
    instrumentId: 'swemwbs',
    timing,
    at,
    answers,
    scores: scoreAnswers(SWEMWBS, answers),
    source: 'worker',
    by: null,
  }
}

/** The measure form's fields with every SWEMWBS item answered `value` (`''` leaves them all blank). */
export function swemwbsForm(value: string): Record<string, string> {
  return Object.fromEntries(SWEMWBS_ITEMS.map((i) => [`swemwbs-${i.id}`, value]))
}
