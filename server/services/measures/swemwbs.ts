// The Short Warwick-Edinburgh Mental Well-being Scale: seven statements, each answered 1–5, summed to a raw score
// of 7–35 and converted to a metric score with the published conversion table (kept here as data, one row per raw
// score). Higher is better. Its copyright line must be shown wherever it is used.
import { defineInstrument, type InstrumentAnswer } from './instrument'

const FREQUENCY: readonly InstrumentAnswer[] = [
  { value: 1, label: 'None of the time' },
  { value: 2, label: 'Rarely' },
  { value: 3, label: 'Some of the time' },
  { value: 4, label: 'Often' },
  { value: 5, label: 'All of the time' },
]

/** Raw score (7–35) → metric score, as published. */
export const SWEMWBS_METRIC_TABLE: Readonly<Record<number, number>> = Object.freeze({
  7: 7.0,
  8: 9.51,
  9: 11.25,
  10: 12.4,
  11: 13.33,
  12: 14.08,
  13: 14.75,
  14: 15.32,
  15: 15.84,
  16: 16.36,
  17: 16.88,
  18: 17.43,
  19: 17.98,
  20: 18.59,
  21: 19.25,
  22: 19.98,
  23: 20.73,
  24: 21.54,
  25: 22.35,
  26: 23.21,
  27: 24.11,
  28: 25.03,
  29: 26.02,
  30: 27.03,
  31: 28.13,
  32: 29.31,
  33: 30.7,
  34: 32.55,
  35: 35.0,
})

export const SWEMWBS_ITEMS = [
  { id: 'optimistic', text: "I've been feeling optimistic about the future" },
  { id: 'useful', text: "I've been feeling useful" },
  { id: 'relaxed', text: "I've been feeling relaxed" },
  { id: 'problems', text: "I've been dealing with problems well" },
  { id: 'clearly', text: "I've been thinking clearly" },
  { id: 'close', text: "I've been feeling close to other people" },
  { id: 'mind', text: "I've been able to make up my own mind about things" },
] as const

export const SWEMWBS = defineInstrument({
  id: 'swemwbs',
  name: 'Short Warwick-Edinburgh Mental Well-being Scale',
  shortName: 'SWEMWBS',
  introduction:
    'Below are some statements about feelings and thoughts. Choose the answer that best describes your experience of each over the last 2 weeks.',
  items: SWEMWBS_ITEMS.map((i) => ({ ...i, answers: FREQUENCY })),
  scores: [
    {
      id: 'metric',
      label: 'SWEMWBS metric score',
      rule: { kind: 'sum-converted', items: SWEMWBS_ITEMS.map((i) => i.id), table: SWEMWBS_METRIC_TABLE, decimals: 2 },
      direction: 'higher-is-better',
      min: 7,
      max: 35,
    },
  ],
  copyright:
    'Short Warwick-Edinburgh Mental Well-being Scale (SWEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved. Free to use with registration.',
})
