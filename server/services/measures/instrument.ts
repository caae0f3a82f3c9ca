// Wellbeing measures as data. An instrument is a plain object: its items (each with the answers allowed), how its
// scores are made from the answers, which way each score is better, and the copyright or licence line that must be
// shown wherever it is used. A deployment adds a measure by adding a definition to MEASURES (measures.ts); nothing
// else in Loopwell knows SWEMWBS or ONS4 by name.
import type { FieldErrors } from '../../errors'

export interface InstrumentAnswer {
  value: number
  label: string
}

export interface InstrumentItem {
  /** Stable id, used in stored answers and form field names. */
  id: string
  text: string
  /** Every answer allowed, in the order shown. The values are the only ones accepted. */
  answers: readonly InstrumentAnswer[]
}

export type Direction = 'higher-is-better' | 'lower-is-better'

/**
 * How one score is made:
 * - `sum`: the items' values added up;
 * - `sum-converted`: added up, then looked up in a conversion table (every possible total has a row);
 * - `item`: one item's value on its own (for measures whose questions are never summed, such as ONS4).
 */
export type ScoringRule =
  | { kind: 'sum'; items: readonly string[] }
  | { kind: 'sum-converted'; items: readonly string[]; table: Readonly<Record<number, number>>; decimals: number }
  | { kind: 'item'; item: string }

export interface InstrumentScore {
  id: string
  label: string
  rule: ScoringRule
  direction: Direction
  /** The lowest and highest the score can be, for pages that show it in context. */
  min: number
  max: number
}

export interface Instrument {
  id: string
  name: string
  shortName: string
  /** What the person is asked before the items. */
  introduction: string
  items: readonly InstrumentItem[]
  scores: readonly InstrumentScore[]
  /** Shown wherever the instrument is used: forms, pages with its scores, summaries. */
  copyright: string
}

export type Answers = Record<string, number>

export interface ScoreValue {
  id: string
  label: string
  /** The total before conversion (sum-converted only). */
  raw: number | null
  value: number
  direction: Direction
}

export type ChangeDirection = 'better' | 'worse' | 'same'

export interface ScoreChange {
  id: string
  label: string
  baseline: number
  followUp: number
  /** followUp − baseline, rounded to the score's precision. */
  change: number
  direction: Direction
  /** Whether the change is for the better, taking the score's direction into account. */
  result: ChangeDirection
}

/** Checks a definition once, at load: a mistake in a measure's data is our error, not the user's. */
export function defineInstrument(instrument: Instrument): Instrument {
  const ids = new Set(instrument.items.map((i) => i.id))
  if (ids.size !== instrument.items.length) throw new TypeError(`${instrument.id}: item ids must be unique`)
  if (!instrument.copyright.trim()) throw new TypeError(`${instrument.id}: a copyright or licence line is required`)
  for (const item of instrument.items) {
    if (!item.answers.length) throw new TypeError(`${instrument.id}.${item.id}: no answers`)
  }
  for (const score of instrument.scores) {
    const items = score.rule.kind === 'item' ? [score.rule.item] : score.rule.items
    for (const id of items) {
      if (!ids.has(id)) throw new TypeError(`${instrument.id}.${score.id}: unknown item ${id}`)
    }
    if (score.rule.kind === 'sum-converted') {
      const [lo, hi] = totalRange(instrument, score.rule.items)
      for (let total = lo; total <= hi; total++) {
        if (score.rule.table[total] === undefined) {
          throw new TypeError(`${instrument.id}.${score.id}: the conversion table has no row for ${total}`)
        }
      }
    }
  }
  return instrument
}

function itemById(instrument: Instrument, id: string): InstrumentItem {
  const item = instrument.items.find((i) => i.id === id)
  if (!item) throw new TypeError(`${instrument.id}: unknown item ${id}`)
  return item
}

function totalRange(instrument: Instrument, itemIds: readonly string[]): [number, number] {
  let lo = 0
  let hi = 0
  for (const id of itemIds) {
    const values = itemById(instrument, id).answers.map((a) => a.value)
    lo += Math.min(...values)
    hi += Math.max(...values)
  }
  return [lo, hi]
}

/** The form field name for an item: `<instrument>-<item>`, which is also the id the error summary links to. */
export function fieldName(instrument: Pick<Instrument, 'id'>, item: Pick<InstrumentItem, 'id'>): string {
  return `${instrument.id}-${item.id}`
}

function describeRange(item: InstrumentItem): string {
  const values = item.answers.map((a) => a.value)
  return `${Math.min(...values)} to ${Math.max(...values)}`
}

export type AnswerResult = { ok: true; answers: Answers } | { ok: false; errors: FieldErrors }

/**
 * Validates a set of answers: every item must be answered with one of its allowed values. Input may be a form body
 * (values as strings, keyed by field name or item id) or stored numbers. Each problem gets its own message, keyed by
 * the item's field name, in item order.
 */
export function validateAnswers(instrument: Instrument, input: Record<string, unknown>): AnswerResult {
  const answers: Answers = {}
  const errors: FieldErrors = {}
  instrument.items.forEach((item, index) => {
    const field = fieldName(instrument, item)
    const raw = input[field] ?? input[item.id]
    const question = `question ${index + 1} ("${item.text}")`
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
      errors[field] = `Select an answer for ${question}`
      return
    }
    const value =
      typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN
    if (!item.answers.some((a) => a.value === value)) {
      errors[field] = `The answer to ${question} must be a whole number from ${describeRange(item)}`
      return
    }
    answers[item.id] = value
  })
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, answers }
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals
  return Math.round(value * f) / f
}

/** Scores a complete, valid set of answers (validate first: a missing or invalid answer here is a TypeError). */
export function scoreAnswers(instrument: Instrument, answers: Answers): ScoreValue[] {
  const valueOf = (id: string): number => {
    const item = itemById(instrument, id)
    const value = answers[id]
    if (value === undefined || !item.answers.some((a) => a.value === value)) {
      throw new TypeError(`${instrument.id}: no valid answer for ${id}`)
    }
    return value
  }
  return instrument.scores.map((score): ScoreValue => {
    const rule = score.rule
    const base = { id: score.id, label: score.label, direction: score.direction }
    switch (rule.kind) {
      case 'item':
        return { ...base, raw: null, value: valueOf(rule.item) }
      case 'sum':
        return { ...base, raw: null, value: rule.items.reduce((s, id) => s + valueOf(id), 0) }
      case 'sum-converted': {
        const raw = rule.items.reduce((s, id) => s + valueOf(id), 0)
        const value = rule.table[raw]
        if (value === undefined) throw new TypeError(`${instrument.id}: no conversion for ${raw}`)
        return { ...base, raw, value: round(value, rule.decimals) }
      }
    }
  })
}

/** Converts a raw total with a sum-converted score's table (SWEMWBS raw 7–35 → metric). */
export function convertTotal(instrument: Instrument, scoreId: string, raw: number): number {
  const score = instrument.scores.find((s) => s.id === scoreId)
  if (!score || score.rule.kind !== 'sum-converted') throw new TypeError(`${instrument.id}.${scoreId} is not converted`)
  const value = score.rule.table[raw]
  if (value === undefined) throw new RangeError(`${instrument.id}.${scoreId}: ${raw} is outside the table`)
  return value
}

/** The change per score from a baseline to a follow-up, each score on its own and in its own direction. */
export function changeBetween(baseline: readonly ScoreValue[], followUp: readonly ScoreValue[]): ScoreChange[] {
  const changes: ScoreChange[] = []
  for (const before of baseline) {
    const after = followUp.find((s) => s.id === before.id)
    if (!after) continue
    const change = round(after.value - before.value, 2)
    const better = before.direction === 'higher-is-better' ? change > 0 : change < 0
    changes.push({
      id: before.id,
      label: before.label,
      baseline: before.value,
      followUp: after.value,
      change,
      direction: before.direction,
      result: change === 0 ? 'same' : better ? 'better' : 'worse',
    })
  }
  return changes
}
