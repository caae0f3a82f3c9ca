import { expect } from 'chai'
import { formatCell } from '../../../../server/services/reports/format'
import { neutralise, tableCsv } from '../../../../server/services/reports/report-csv'
import {
  SUPPRESSED,
  SUPPRESSED_BASE,
  SUPPRESSED_SECONDARY,
  isSuppressed,
  type Report,
  type ReportColumn,
  type ReportTable,
} from '../../../../server/services/reports/report-types'
import { hasSuppressed, suppressReport, suppressTable } from '../../../../server/services/reports/suppression'

const COLUMNS: ReportColumn[] = [
  { key: 'label', label: 'Group', kind: 'label' },
  { key: 'referrals', label: 'Referrals', kind: 'count' },
  { key: 'engaged', label: 'Engaged', kind: 'count' },
  { key: 'engagedRate', label: 'Engaged (%)', kind: 'rate', nKey: 'referrals', countKey: 'engaged' },
  { key: 'wellbeingN', label: 'Measured', kind: 'count' },
  { key: 'mean', label: 'Mean change', kind: 'mean', nKey: 'wellbeingN', decimals: 2 },
  { key: 'listings', label: 'Listings', kind: 'count', notPeople: true },
]

function table(rows: Record<string, number | string | null>[]): ReportTable {
  return { id: 't', title: 'T', columns: COLUMNS, rows }
}

describe('Report suppression', () => {
  describe('primary', () => {
    it('hides counts of people from 1 to 4, shows 0 and 5 and more', () => {
      const out = suppressTable(
        table([0, 1, 4, 5, 12].map((n, i) => ({ label: `g${i}`, referrals: n, engaged: 0, wellbeingN: 0 }))),
      )
      const shown = out.rows.map((r) => r.referrals)
      // 1 and 4 are hidden by the primary rule; there are two hidden so no secondary cell is needed. 12 is rounded.
      expect(shown).to.deep.equal([0, SUPPRESSED, SUPPRESSED, 5, 10])
    })

    it('hides a rate or mean whose n is below 5, even when the rate is large', () => {
      const out = suppressTable(
        table([
          { label: 'a', referrals: 4, engaged: 0, engagedRate: 0, wellbeingN: 3, mean: 2.5 },
          { label: 'b', referrals: 20, engaged: 10, engagedRate: 0.5, wellbeingN: 6, mean: 1.25 },
          { label: 'c', referrals: 30, engaged: 12, engagedRate: 0.4, wellbeingN: 9, mean: -0.5 },
          { label: 'd', referrals: 40, engaged: 20, engagedRate: 0.5, wellbeingN: 10, mean: 3 },
        ]),
      )
      expect(isSuppressed(out.rows[0]!.engagedRate)).to.equal(true)
      expect(isSuppressed(out.rows[0]!.mean)).to.equal(true)
      // b's 20 referrals are the second cell hidden (see secondary), which hides its rate too.
      expect(isSuppressed(out.rows[1]!.engagedRate)).to.equal(true)
      expect(out.rows[3]!.engagedRate).to.equal(0.5)
      expect(out.rows[2]!.mean).to.equal(-0.5)
    })

    it('hides a rate whose numerator is small, since rate × n would give it back', () => {
      const out = suppressTable(
        table([
          { label: 'a', referrals: 20, engaged: 2, engagedRate: 0.1, wellbeingN: 0 },
          { label: 'b', referrals: 20, engaged: 3, engagedRate: 0.15, wellbeingN: 0 },
          { label: 'c', referrals: 20, engaged: 12, engagedRate: 0.6, wellbeingN: 0 },
        ]),
      )
      expect(isSuppressed(out.rows[0]!.engagedRate)).to.equal(true)
      expect(isSuppressed(out.rows[1]!.engagedRate)).to.equal(true)
      // Worked out again from the rounded counts: 10 of 20.
      expect(out.rows[2]!.engagedRate).to.equal(0.5)
    })

    it('never hides columns that count things rather than people', () => {
      const out = suppressTable(table([{ label: 'a', referrals: 0, engaged: 0, wellbeingN: 0, listings: 2 }]))
      expect(out.rows[0]!.listings).to.equal(2)
    })

    it('drops figures a row carries that no column shows', () => {
      const out = suppressTable(table([{ label: 'a', referrals: 10, engaged: 5, wellbeingN: 0, secret: 3 }]))
      expect(out.rows[0]).to.not.have.property('secret')
    })
  })

  describe('complements', () => {
    it('hides a numerator and its rate when n minus the numerator is 1 to 4 ("18 of 20" says 2 did not)', () => {
      const out = suppressTable(
        table([
          { label: 'a', referrals: 20, engaged: 18, engagedRate: 0.9, wellbeingN: 0 },
          { label: 'b', referrals: 20, engaged: 20, engagedRate: 1, wellbeingN: 0 },
          { label: 'c', referrals: 30, engaged: 10, engagedRate: 1 / 3, wellbeingN: 0 },
          { label: 'd', referrals: 40, engaged: 12, engagedRate: 0.3, wellbeingN: 0 },
        ]),
      )
      expect(isSuppressed(out.rows[0]!.engaged)).to.equal(true)
      expect(isSuppressed(out.rows[0]!.engagedRate)).to.equal(true)
      // None did not engage: nobody to identify.
      expect(out.rows[1]!.engagedRate).to.equal(1)
      // The secondary rule hides one more in the column (the smallest other), so the first cannot be worked out.
      expect(isSuppressed(out.rows[2]!.engaged)).to.equal(true)
      // 12 of 40 is shown as 10 of 40.
      expect(out.rows[3]!.engagedRate).to.equal(0.25)
    })
  })

  describe('secondary', () => {
    it('hides the next smallest count when a column would have exactly one hidden cell', () => {
      const out = suppressTable(
        table([
          { label: 'a', referrals: 3, engaged: 0, wellbeingN: 0 },
          { label: 'b', referrals: 9, engaged: 0, wellbeingN: 0 },
          { label: 'c', referrals: 7, engaged: 0, wellbeingN: 0 },
          { label: 'd', referrals: 0, engaged: 0, wellbeingN: 0 },
        ]),
      )
      expect(out.rows.map((r) => r.referrals)).to.deep.equal([SUPPRESSED, 10, SUPPRESSED_SECONDARY, 0])
    })

    it('also hides the rate of a count hidden by the secondary rule', () => {
      const out = suppressTable(
        table([
          { label: 'a', referrals: 20, engaged: 2, engagedRate: 0.1, wellbeingN: 0 },
          { label: 'b', referrals: 20, engaged: 8, engagedRate: 0.4, wellbeingN: 0 },
          { label: 'c', referrals: 20, engaged: 15, engagedRate: 0.75, wellbeingN: 0 },
        ]),
      )
      expect(isSuppressed(out.rows[1]!.engaged)).to.equal(true)
      expect(isSuppressed(out.rows[1]!.engagedRate)).to.equal(true)
      expect(out.rows[2]!.engagedRate).to.equal(0.75)
    })

    it('leaves a column alone when nothing or two or more cells are hidden', () => {
      const out = suppressTable(
        table([
          { label: 'a', referrals: 2, engaged: 0, wellbeingN: 0 },
          { label: 'b', referrals: 3, engaged: 0, wellbeingN: 0 },
          { label: 'c', referrals: 6, engaged: 0, wellbeingN: 0 },
        ]),
      )
      expect(out.rows[2]!.referrals).to.equal(5)
    })
  })

  describe('rounding against differencing', () => {
    it('shows 47 and 48 (reports to 22 and to 23 November) as multiples of 5, never a difference of one', () => {
      const shownFor = (n: number) =>
        suppressTable(table([{ label: 'practice', referrals: n, engaged: 0, wellbeingN: 0 }])).rows[0]!.referrals
      expect([shownFor(47), shownFor(48)]).to.deep.equal([45, 50])
      for (let n = 5; n <= 500; n++) {
        const a = shownFor(n)
        const b = shownFor(n + 1)
        expect(Number(a) % 5, `${n}`).to.equal(0)
        expect(Math.abs(Number(b) - Number(a)), `${n} to ${n + 1}`).to.be.oneOf([0, 5])
      }
    })

    it('labels a hidden rate and a secondary-hidden count differently from "<5"', () => {
      expect(formatCell(COLUMNS[1]!, SUPPRESSED_SECONDARY)).to.equal('Hidden')
      expect(formatCell(COLUMNS[3]!, SUPPRESSED_BASE)).to.equal('Too few to show')
      expect(formatCell(COLUMNS[5]!, SUPPRESSED)).to.equal('Too few to show')
    })
  })

  it('applies to every table of a report, and says whether anything was hidden', () => {
    const report: Report = {
      id: 'r',
      title: 'R',
      summary: '',
      asOf: new Date(),
      tables: [table([{ label: 'a', referrals: 1, engaged: 0, wellbeingN: 0 }]), table([])],
    }
    const out = suppressReport(report)
    expect(hasSuppressed(out.tables[0]!)).to.equal(true)
    expect(hasSuppressed(out.tables[1]!)).to.equal(false)
    // The input is not changed.
    expect(report.tables[0]!.rows[0]!.referrals).to.equal(1)
  })
})

describe('Report cells', () => {
  it('read the same on a page and in a CSV: "<5", percentages, fixed decimals, and no data', () => {
    expect(formatCell(COLUMNS[1]!, SUPPRESSED)).to.equal('<5')
    expect(formatCell(COLUMNS[3]!, 0.5)).to.equal('50%')
    expect(formatCell(COLUMNS[3]!, 2 / 3)).to.equal('67%')
    expect(formatCell(COLUMNS[5]!, -1.005)).to.equal('-1.00')
    expect(formatCell(COLUMNS[5]!, 2)).to.equal('2.00')
    expect(formatCell(COLUMNS[1]!, null)).to.equal('No data')
  })

  it('neutralise text a spreadsheet would run as a formula, but not negative numbers', () => {
    expect(neutralise('=HYPERLINK("x")')).to.equal('\'=HYPERLINK("x")')
    expect(neutralise('+44')).to.equal("'+44")
    expect(neutralise('@SUM(A1)')).to.equal("'@SUM(A1)")
    expect(neutralise('-2.35')).to.equal('-2.35')
    expect(neutralise('Age Well')).to.equal('Age Well')
  })

  it('make a CSV with a byte-order mark, the column labels, the same text as the page and a note', () => {
    const report: Report = { id: 'r', title: 'R', summary: '', asOf: new Date(), tables: [] }
    const t = suppressTable(
      table([
        { label: '=cmd', referrals: 3, engaged: 0, wellbeingN: 0 },
        { label: 'b', referrals: 10, engaged: 6, engagedRate: 0.6, wellbeingN: 5, mean: -1.5 },
        { label: 'c', referrals: 12, engaged: 0, wellbeingN: 0 },
      ]),
    )
    const csv = tableCsv(report, t)
    expect(csv.startsWith('\uFEFFGroup,Referrals,Engaged,Engaged (%),Measured,Mean change,Listings\r\n')).to.equal(true)
    expect(csv).to.contain("'=cmd,<5,0,No data,0,No data,No data\r\n")
    // b's referrals are hidden as the second smallest ("Hidden", not "<5": they may be any size), so its rate (whose n they are) is hidden too.
    // …and 6 of its 10 engaged says 4 did not: the 6 is hidden too.
    expect(csv).to.contain('b,Hidden,Hidden,Too few to show,5,-1.50,No data\r\n')
    expect(csv).to.contain('fewer than 5')
  })
})
