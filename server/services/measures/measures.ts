// The measures a deployment offers, and what happens to a person's answers: validate, score, store as a measure
// record (baseline at first contact, follow-up at closure or after an interval), and the change between the two.
import type { FieldErrors } from '../../errors'
import {
  changeBetween,
  fieldName,
  scoreAnswers,
  validateAnswers,
  type Answers,
  type Instrument,
  type ScoreChange,
  type ScoreValue,
} from './instrument'
import { ONS4 } from './ons4'
import { SWEMWBS } from './swemwbs'

/** Every measure Loopwell offers. Add a definition here to offer another (PHQ-9, GAD-7, Recovery Star…). */
export const MEASURES: readonly Instrument[] = [SWEMWBS, ONS4]

export const DEFAULT_FOLLOW_UP_WEEKS = 12

export type MeasureTiming = 'baseline' | 'follow-up'

/** One completed measure, as stored on a referral. */
export interface MeasureRecord {
  id: string
  instrumentId: string
  timing: MeasureTiming
  at: Date
  answers: Answers
  scores: ScoreValue[]
  /** Who recorded it: the person through their feedback link, or a worker with them. */
  source: 'person' | 'worker'
  by: { userId: string; name: string } | null
}

export function findInstrument(id: string): Instrument | undefined {
  return MEASURES.find((m) => m.id === id)
}

export function instrument(id: string): Instrument {
  const found = findInstrument(id)
  if (!found) throw new TypeError(`Unknown measure ${id}`)
  return found
}

export type MeasureInput = { ok: true; answers: Answers; scores: ScoreValue[] } | { ok: false; errors: FieldErrors }

/** Validates and scores answers from a form or an API. */
export function scoreMeasure(measure: Instrument, input: Record<string, unknown>): MeasureInput {
  const result = validateAnswers(measure, input)
  if (!result.ok) return result
  return { ok: true, answers: result.answers, scores: scoreAnswers(measure, result.answers) }
}

/** When the follow-up is due: the configured interval after the baseline, or at closure if that comes first. */
/**
 * A stored measure made from one value per item, in the instrument's order (demo and synthetic data, which have no
 * form to read). Throws when the values are not answers the instrument accepts.
 */
export function measureOf(
  measure: Instrument,
  values: readonly number[],
  record: Pick<MeasureRecord, 'id' | 'timing' | 'at' | 'source' | 'by'>,
): MeasureRecord {
  const body = Object.fromEntries(measure.items.map((item, i) => [fieldName(measure, item), String(values[i])]))
  const scored = scoreMeasure(measure, body)
  if (!scored.ok) throw new Error(`${measure.id} values are not valid answers`)
  const { id, timing, at, source, by } = record
  return { id, instrumentId: measure.id, timing, at, answers: scored.answers, scores: scored.scores, source, by }
}

export function followUpDue(baselineAt: Date, closedAt: Date | null, weeks = DEFAULT_FOLLOW_UP_WEEKS): Date {
  const byInterval = new Date(baselineAt.getTime() + weeks * 7 * 24 * 60 * 60 * 1000)
  return closedAt && closedAt < byInterval ? closedAt : byInterval
}

export interface MeasureChange {
  instrumentId: string
  name: string
  copyright: string
  baseline: MeasureRecord
  followUp: MeasureRecord | null
  changes: ScoreChange[]
}

/** Per instrument: the first baseline, the latest follow-up, and the change per score. */
export function measureChanges(records: readonly MeasureRecord[]): MeasureChange[] {
  const out: MeasureChange[] = []
  for (const measure of MEASURES) {
    const mine = records.filter((r) => r.instrumentId === measure.id).sort((a, b) => +a.at - +b.at)
    const baseline = mine.find((r) => r.timing === 'baseline')
    if (!baseline) continue
    const followUp = mine.filter((r) => r.timing === 'follow-up' && r.at >= baseline.at).at(-1) ?? null
    out.push({
      instrumentId: measure.id,
      name: measure.shortName,
      copyright: measure.copyright,
      baseline,
      followUp,
      changes: followUp ? changeBetween(baseline.scores, followUp.scores) : [],
    })
  }
  return out
}

/** The SWEMWBS metric change for one person's records, or null without both a baseline and a follow-up. */
export function wellbeingChange(records: readonly MeasureRecord[]): number | null {
  const swemwbs = measureChanges(records).find((c) => c.instrumentId === 'swemwbs')
  return swemwbs?.changes.find((c) => c.id === 'metric')?.change ?? null
}

/** What the instrument form partial needs: each item with its radios, which is checked, and its error. */
export function measureFormView(measure: Instrument, values: Record<string, unknown> = {}, errors: FieldErrors = {}) {
  return {
    id: measure.id,
    name: measure.name,
    shortName: measure.shortName,
    introduction: measure.introduction,
    copyright: measure.copyright,
    items: measure.items.map((item, index) => {
      const field = fieldName(measure, item)
      const chosen = values[field] ?? values[item.id]
      return {
        field,
        number: index + 1,
        text: item.text,
        error: errors[field] ?? null,
        inline: item.answers.length > 5,
        answers: item.answers.map((a, i) => ({
          id: i === 0 ? field : `${field}-${i}`,
          value: a.value,
          label: a.label,
          checked: chosen !== undefined && String(chosen) === String(a.value),
        })),
      }
    }),
  }
}
