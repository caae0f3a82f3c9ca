// ONS4: the Office for National Statistics' four personal well-being questions, each answered 0–10 and each
// reported on its own, never summed. For anxiety, lower is better.
import { defineInstrument, type InstrumentAnswer } from './instrument'

function scale(low: string, high: string): InstrumentAnswer[] {
  return Array.from({ length: 11 }, (_, value) => ({
    value,
    label: value === 0 ? `0 – ${low}` : value === 10 ? `10 – ${high}` : String(value),
  }))
}

export const ONS4 = defineInstrument({
  id: 'ons4',
  name: 'ONS personal well-being questions',
  shortName: 'ONS4',
  introduction: 'For each question, choose a number from 0 to 10, where 0 is "not at all" and 10 is "completely".',
  items: [
    {
      id: 'satisfied',
      text: 'Overall, how satisfied are you with your life nowadays?',
      answers: scale('not at all', 'completely'),
    },
    {
      id: 'worthwhile',
      text: 'Overall, to what extent do you feel the things you do in your life are worthwhile?',
      answers: scale('not at all', 'completely'),
    },
    { id: 'happy', text: 'Overall, how happy did you feel yesterday?', answers: scale('not at all', 'completely') },
    { id: 'anxious', text: 'Overall, how anxious did you feel yesterday?', answers: scale('not at all', 'completely') },
  ],
  scores: [
    {
      id: 'satisfied',
      label: 'Life satisfaction',
      rule: { kind: 'item', item: 'satisfied' },
      direction: 'higher-is-better',
      min: 0,
      max: 10,
    },
    {
      id: 'worthwhile',
      label: 'Worthwhile',
      rule: { kind: 'item', item: 'worthwhile' },
      direction: 'higher-is-better',
      min: 0,
      max: 10,
    },
    {
      id: 'happy',
      label: 'Happiness yesterday',
      rule: { kind: 'item', item: 'happy' },
      direction: 'higher-is-better',
      min: 0,
      max: 10,
    },
    {
      id: 'anxious',
      label: 'Anxiety yesterday',
      rule: { kind: 'item', item: 'anxious' },
      direction: 'lower-is-better',
      min: 0,
      max: 10,
    },
  ],
  copyright:
    'ONS personal well-being questions © Crown copyright, Office for National Statistics, used under the Open Government Licence v3.0.',
})
