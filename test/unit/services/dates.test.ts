import { expect } from 'chai'
import {
  dateParts,
  formatDate,
  formatDateTime,
  parseDateParts,
  partsOf,
  startOfLondonDay,
} from '../../../server/services/dates'

const today = new Date('2026-12-07T10:00:00Z')
const parts = (day: string, month: string, year: string) => ({ day, month, year })

describe('Dates', () => {
  describe('formatDate', () => {
    it('shows a day as people write it, in UK time', () => {
      expect(formatDate(new Date('2026-12-08T12:00:00Z'))).to.equal('8 December 2026')
      expect(formatDate('2026-03-15')).to.equal('15 March 2026')
      // 23:30 UTC on 30 June is already 1 July in London (BST).
      expect(formatDate(new Date('2026-06-30T23:30:00Z'))).to.equal('1 July 2026')
    })
    it('is empty for no date or not a date', () => {
      expect(formatDate(null)).to.equal('')
      expect(formatDate('')).to.equal('')
      expect(formatDate('not a date')).to.equal('')
    })
    it('adds the time when asked', () => {
      expect(formatDateTime(new Date('2026-12-08T14:05:00Z'))).to.equal('8 December 2026 at 14:05')
    })
  })

  describe('parseDateParts', () => {
    it('reads a real date typed as day, month and year, with or without leading zeros', () => {
      expect(parseDateParts(parts('8', '12', '2026'), 'Date')).to.deep.equal({ ok: true, iso: '2026-12-08' })
      expect(parseDateParts(parts('08', '03', '2026'), 'Date')).to.deep.equal({ ok: true, iso: '2026-03-08' })
    })
    it('gives null for three blank fields', () => {
      expect(parseDateParts(parts('', '', ''), 'Date')).to.deep.equal({ ok: true, iso: null })
    })
    it('names the missing parts', () => {
      const r = parseDateParts(parts('8', '', ''), 'Date of first contact')
      expect(r).to.deep.equal({
        ok: false,
        message: 'Date of first contact must include a month and a year',
        fields: ['month', 'year'],
      })
    })
    it('refuses dates that do not exist, words and two-digit years', () => {
      for (const p of [
        parts('31', '2', '2026'),
        parts('8', 'Dec', '2026'),
        parts('8', '12', '26'),
        parts('0', '1', '2026'),
      ]) {
        const r = parseDateParts(p, 'Date')
        expect(r.ok, JSON.stringify(p)).to.equal(false)
        if (!r.ok) expect(r.message).to.equal('Date must be a real date')
      }
    })
    it('refuses a future date where the date must be past, and allows today', () => {
      const r = parseDateParts(parts('8', '12', '2026'), 'Date of first contact', { check: 'past', today })
      expect(r).to.include({ ok: false, message: 'Date of first contact must be today or in the past' })
      expect(parseDateParts(parts('7', '12', '2026'), 'Date', { check: 'past', today })).to.deep.equal({
        ok: true,
        iso: '2026-12-07',
      })
    })
    it('refuses today or a past date where the date must be in the future', () => {
      const r = parseDateParts(parts('7', '12', '2026'), 'Reopen by', { check: 'future', today })
      expect(r).to.include({ ok: false, message: 'Reopen by must be in the future' })
      expect(parseDateParts(parts('8', '12', '2026'), 'Reopen by', { check: 'future', today }).ok).to.equal(true)
    })
  })

  it('reads the three fields of a named date input from a form body and gives them back for an ISO date', () => {
    expect(dateParts({ 'date-day': ' 8 ', 'date-month': '12', 'date-year': '2026' }, 'date')).to.deep.equal(
      parts('8', '12', '2026'),
    )
    expect(partsOf('2026-03-08')).to.deep.equal(parts('8', '3', '2026'))
    expect(partsOf(null)).to.deep.equal(parts('', '', ''))
  })
  it('starts a UK day at midnight in London, summer and winter', () => {
    expect(startOfLondonDay('2026-12-08').toISOString()).to.equal('2026-12-08T00:00:00.000Z')
    expect(startOfLondonDay('2026-07-01').toISOString()).to.equal('2026-06-30T23:00:00.000Z')
  })
})
