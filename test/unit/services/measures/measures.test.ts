import { expect } from 'chai'
import {
  changeBetween,
  convertTotal,
  defineInstrument,
  scoreAnswers,
  validateAnswers,
  type Instrument,
} from '../../../../server/services/measures/instrument'
import {
  followUpDue,
  instrument,
  measureChanges,
  measureOf,
  measureFormView,
  scoreMeasure,
  wellbeingChange,
  type MeasureRecord,
} from '../../../../server/services/measures/measures'
import { ONS4 } from '../../../../server/services/measures/ons4'
import { SWEMWBS, SWEMWBS_ITEMS } from '../../../../server/services/measures/swemwbs'

// The published table, written out independently of the definition under test.
const PUBLISHED: [number, number][] = [
  [7, 7.0],
  [8, 9.51],
  [9, 11.25],
  [10, 12.4],
  [11, 13.33],
  [12, 14.08],
  [13, 14.75],
  [14, 15.32],
  [15, 15.84],
  [16, 16.36],
  [17, 16.88],
  [18, 17.43],
  [19, 17.98],
  [20, 18.59],
  [21, 19.25],
  [22, 19.98],
  [23, 20.73],
  [24, 21.54],
  [25, 22.35],
  [26, 23.21],
  [27, 24.11],
  [28, 25.03],
  [29, 26.02],
  [30, 27.03],
  [31, 28.13],
  [32, 29.31],
  [33, 30.7],
  [34, 32.55],
  [35, 35.0],
]

/** Seven answers 1–5 adding up to `raw`. */
function swemwbsAnswersFor(raw: number): Record<string, number> {
  let left = raw - 7
  return Object.fromEntries(
    SWEMWBS_ITEMS.map((item) => {
      const extra = Math.min(4, left)
      left -= extra
      return [item.id, 1 + extra]
    }),
  )
}

function record(
  partial: Partial<MeasureRecord> & Pick<MeasureRecord, 'instrumentId' | 'timing' | 'at' | 'scores'>,
): MeasureRecord {
  return { id: `${partial.instrumentId}-${partial.timing}`, answers: {}, source: 'worker', by: null, ...partial }
}

describe('measures', () => {
  describe('SWEMWBS', () => {
    it('has seven items answered 1 to 5 and shows its copyright line', () => {
      expect(SWEMWBS.items).to.have.length(7)
      for (const item of SWEMWBS.items) expect(item.answers.map((a) => a.value)).to.deep.equal([1, 2, 3, 4, 5])
      expect(SWEMWBS.copyright).to.contain('© NHS Health Scotland, University of Warwick and University of Edinburgh')
    })

    describe('conversion to the metric score', () => {
      for (const [raw, metric] of PUBLISHED) {
        it(`converts raw ${raw} to ${metric.toFixed(2)}, by the table and from seven answers`, () => {
          expect(convertTotal(SWEMWBS, 'metric', raw)).to.equal(metric)
          const [score] = scoreAnswers(SWEMWBS, swemwbsAnswersFor(raw))
          expect(score).to.include({ id: 'metric', raw, value: metric, direction: 'higher-is-better' })
        })
      }

      it('covers every raw score from 7 to 35 and nothing else', () => {
        expect(PUBLISHED.map(([raw]) => raw)).to.deep.equal(Array.from({ length: 29 }, (_, i) => i + 7))
        expect(() => convertTotal(SWEMWBS, 'metric', 6)).to.throw(RangeError)
        expect(() => convertTotal(SWEMWBS, 'metric', 36)).to.throw(RangeError)
      })
    })

    describe('validation', () => {
      it('accepts form values as strings keyed by field name', () => {
        const body = Object.fromEntries(SWEMWBS_ITEMS.map((i) => [`swemwbs-${i.id}`, '3']))
        const result = scoreMeasure(SWEMWBS, body)
        expect(result.ok).to.equal(true)
        if (result.ok) expect(result.scores[0]).to.include({ raw: 21, value: 19.25 })
      })

      it('refuses missing and out-of-range items with one clear message each, in item order', () => {
        const body: Record<string, unknown> = Object.fromEntries(SWEMWBS_ITEMS.map((i) => [`swemwbs-${i.id}`, '3']))
        delete body['swemwbs-optimistic']
        body['swemwbs-relaxed'] = '6'
        body['swemwbs-clearly'] = '2.5'
        body['swemwbs-mind'] = 'often'
        const result = validateAnswers(SWEMWBS, body)
        expect(result.ok).to.equal(false)
        if (result.ok) return
        expect(Object.keys(result.errors)).to.deep.equal([
          'swemwbs-optimistic',
          'swemwbs-relaxed',
          'swemwbs-clearly',
          'swemwbs-mind',
        ])
        expect(result.errors['swemwbs-optimistic']).to.equal(
          `Select an answer for question 1 ("I've been feeling optimistic about the future")`,
        )
        expect(result.errors['swemwbs-relaxed']).to.equal(
          `The answer to question 3 ("I've been feeling relaxed") must be a whole number from 1 to 5`,
        )
        expect(result.errors['swemwbs-clearly']).to.match(/from 1 to 5$/)
        expect(result.errors['swemwbs-mind']).to.match(/from 1 to 5$/)
      })

      it('refuses 0 and blank answers', () => {
        const body = Object.fromEntries(SWEMWBS_ITEMS.map((i) => [`swemwbs-${i.id}`, '0']))
        body['swemwbs-useful'] = '  '
        const result = validateAnswers(SWEMWBS, body)
        expect(result.ok).to.equal(false)
        if (!result.ok) {
          expect(Object.keys(result.errors)).to.have.length(7)
          expect(result.errors['swemwbs-useful']).to.match(/^Select an answer/)
        }
      })
    })
  })

  describe('ONS4', () => {
    const answers = { satisfied: 4, worthwhile: 6, happy: 5, anxious: 7 }

    it('reports each of the four questions on its own, never a total', () => {
      const scores = scoreAnswers(ONS4, answers)
      expect(scores.map((s) => [s.id, s.value])).to.deep.equal([
        ['satisfied', 4],
        ['worthwhile', 6],
        ['happy', 5],
        ['anxious', 7],
      ])
      expect(scores.every((s) => s.raw === null)).to.equal(true)
      expect(scores.map((s) => s.value)).not.to.include(22)
    })

    it('treats lower anxiety as better and higher satisfaction as better', () => {
      const before = scoreAnswers(ONS4, answers)
      const after = scoreAnswers(ONS4, { satisfied: 6, worthwhile: 6, happy: 3, anxious: 4 })
      const change = Object.fromEntries(changeBetween(before, after).map((c) => [c.id, [c.change, c.result]]))
      expect(change).to.deep.equal({
        satisfied: [2, 'better'],
        worthwhile: [0, 'same'],
        happy: [-2, 'worse'],
        anxious: [-3, 'better'],
      })
    })

    it('accepts 0 and 10 and refuses 11, -1 and missing questions', () => {
      expect(validateAnswers(ONS4, { satisfied: 0, worthwhile: 10, happy: '0', anxious: '10' }).ok).to.equal(true)
      const result = validateAnswers(ONS4, { satisfied: 11, worthwhile: '-1', happy: '5' })
      expect(result.ok).to.equal(false)
      if (!result.ok) {
        expect(result.errors).to.deep.equal({
          'ons4-satisfied':
            'The answer to question 1 ("Overall, how satisfied are you with your life nowadays?") must be a whole number from 0 to 10',
          'ons4-worthwhile':
            'The answer to question 2 ("Overall, to what extent do you feel the things you do in your life are worthwhile?") must be a whole number from 0 to 10',
          'ons4-anxious': 'Select an answer for question 4 ("Overall, how anxious did you feel yesterday?")',
        })
      }
    })

    it('carries its licence line', () => {
      expect(ONS4.copyright).to.match(/Crown copyright/)
    })
  })

  describe('defineInstrument', () => {
    const base: Instrument = {
      id: 'x',
      name: 'X',
      shortName: 'X',
      introduction: '',
      items: [
        {
          id: 'a',
          text: 'A',
          answers: [
            { value: 0, label: 'no' },
            { value: 1, label: 'yes' },
          ],
        },
      ],
      scores: [
        { id: 's', label: 'S', rule: { kind: 'sum', items: ['a'] }, direction: 'higher-is-better', min: 0, max: 1 },
      ],
      copyright: 'Free to use',
    }

    it('accepts a new measure defined as data and scores it', () => {
      expect(scoreAnswers(defineInstrument(base), { a: 1 })[0]?.value).to.equal(1)
    })

    it('refuses a definition without a copyright line, with an unknown item, or a conversion table with gaps', () => {
      expect(() => defineInstrument({ ...base, copyright: ' ' })).to.throw(/copyright/)
      expect(() =>
        defineInstrument({ ...base, scores: [{ ...base.scores[0]!, rule: { kind: 'item', item: 'zz' } }] }),
      ).to.throw(/unknown item/)
      expect(() =>
        defineInstrument({
          ...base,
          scores: [{ ...base.scores[0]!, rule: { kind: 'sum-converted', items: ['a'], table: { 0: 1 }, decimals: 0 } }],
        }),
      ).to.throw(/no row for 1/)
    })
  })

  describe('change per person', () => {
    const t0 = new Date('2026-01-05T10:00:00Z')
    const t1 = new Date('2026-03-30T10:00:00Z')

    it('compares the first baseline with the latest follow-up, per instrument', () => {
      const records = [
        record({
          instrumentId: 'swemwbs',
          timing: 'baseline',
          at: t0,
          scores: scoreAnswers(SWEMWBS, swemwbsAnswersFor(18)),
        }),
        record({
          instrumentId: 'swemwbs',
          timing: 'follow-up',
          at: t1,
          scores: scoreAnswers(SWEMWBS, swemwbsAnswersFor(24)),
        }),
        record({
          instrumentId: 'ons4',
          timing: 'baseline',
          at: t0,
          scores: scoreAnswers(ONS4, { satisfied: 3, worthwhile: 3, happy: 3, anxious: 8 }),
        }),
      ]
      const changes = measureChanges(records)
      expect(changes.map((c) => c.instrumentId)).to.deep.equal(['swemwbs', 'ons4'])
      expect(changes[0]?.changes[0]).to.include({ baseline: 17.43, followUp: 21.54, change: 4.11, result: 'better' })
      expect(changes[1]?.followUp).to.equal(null)
      expect(wellbeingChange(records)).to.equal(4.11)
      expect(wellbeingChange(records.slice(0, 1))).to.equal(null)
    })

    it('is due 12 weeks after the baseline by default, or at closure if sooner', () => {
      expect(followUpDue(t0, null).toISOString()).to.equal('2026-03-30T10:00:00.000Z')
      expect(followUpDue(t0, null, 6).toISOString()).to.equal('2026-02-16T10:00:00.000Z')
      const closed = new Date('2026-02-01T09:00:00Z')
      expect(followUpDue(t0, closed)).to.equal(closed)
    })
  })

  describe('measureFormView', () => {
    it('gives each item its radios, keeps the chosen answer and shows its error', () => {
      const view = measureFormView(SWEMWBS, { 'swemwbs-useful': '4' }, { 'swemwbs-optimistic': 'Select an answer' })
      expect(view.copyright).to.equal(SWEMWBS.copyright)
      expect(view.items[0]).to.include({ field: 'swemwbs-optimistic', error: 'Select an answer', inline: false })
      expect(view.items[0]?.answers[0]?.id).to.equal('swemwbs-optimistic')
      expect(view.items[1]?.answers.filter((a) => a.checked).map((a) => a.value)).to.deep.equal([4])
      expect(measureFormView(ONS4).items[0]?.inline).to.equal(true)
    })
  })
})

describe('measureOf (demo and synthetic measures)', () => {
  const record = {
    id: 'm1',
    timing: 'baseline' as const,
    at: new Date('2026-03-02T10:00:00Z'),
    source: 'worker' as const,
    by: null,
  }

  it('scores one value per item, in the instrument order, as the form would', () => {
    const swemwbs = instrument('swemwbs')
    const made = measureOf(swemwbs, [1, 2, 3, 4, 5, 3, 3], record)
    const form = scoreMeasure(
      swemwbs,
      Object.fromEntries(swemwbs.items.map((item, i) => [`swemwbs-${item.id}`, String([1, 2, 3, 4, 5, 3, 3][i])])),
    )
    expect(form.ok).to.equal(true)
    expect(made).to.deep.include({ id: 'm1', instrumentId: 'swemwbs', timing: 'baseline', source: 'worker', by: null })
    if (form.ok)
      expect({ answers: made.answers, scores: made.scores }).to.deep.equal({
        answers: form.answers,
        scores: form.scores,
      })
  })

  it('refuses values the instrument does not accept', () => {
    expect(() => measureOf(instrument('swemwbs'), [6, 3, 3, 3, 3, 3, 3], record)).to.throw(
      'swemwbs values are not valid answers',
    )
  })
})
