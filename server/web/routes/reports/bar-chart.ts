// A horizontal bar chart drawn on the server as SVG: one group per table row, one labelled bar per figure. Every bar
// says in words what it is and its value (the same text as the table: formatCell), so nothing rests on colour;
// hidden small numbers draw no bar and say "fewer than 5". It scales to the width of a phone by its viewBox.
import { formatCell, roundedValue } from '../../../services/reports/format'
import {
  SUPPRESSION_THRESHOLD,
  isSuppressed,
  type ReportColumn,
  type ReportTable,
} from '../../../services/reports/report-types'

/** NHS blue, dark blue and purple: each at least 4.5:1 against white, and told apart by their words too. */
const COLOURS = ['#005eb8', '#003087', '#330072']
const WIDTH = 400
const LABEL_HEIGHT = 20
const BAR_HEIGHT = 14
const BAR_GAP = 20
const ROW_GAP = 12
const MAX_ROWS = 15

/** Long labels are cut in the chart (the table has them whole), so they fit its width. */
const fit = (s: string, max = 52) => (s.length > max ? `${s.slice(0, max - 1)}…` : s)

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export function barChartSvg(table: ReportTable, idPrefix: string): string | null {
  const chart = table.chart
  if (!chart || !table.rows.length) return null
  const label = table.columns.find((c) => c.key === chart.labelKey)
  const series = chart.valueKeys
    .map((k) => table.columns.find((c) => c.key === k))
    .filter((c): c is ReportColumn => Boolean(c))
  if (!label || !series.length) return null
  const rows = table.rows.slice(0, MAX_ROWS)
  const value = (c: ReportColumn, cell: unknown) => (typeof cell === 'number' ? roundedValue(c, cell) : null)
  let max = chart.percent ? 100 : 0
  if (!chart.percent) for (const row of rows) for (const c of series) max = Math.max(max, value(c, row[c.key]) ?? 0)
  if (max <= 0) max = 1

  const titleId = `${idPrefix}-title`
  const descId = `${idPrefix}-desc`
  const parts: string[] = []
  let y = 0
  for (const row of rows) {
    y += LABEL_HEIGHT
    parts.push(
      `<text x="0" y="${y - 5}" font-size="14" font-weight="bold" fill="#212b32">${escape(fit(formatCell(label, row[label.key])))}</text>`,
    )
    series.forEach((c, i) => {
      const cell = row[c.key]
      const v = value(c, cell)
      const words =
        isSuppressed(cell) && !cell.why && c.kind === 'count'
          ? `${c.label}: fewer than ${SUPPRESSION_THRESHOLD}`
          : `${c.label}: ${formatCell(c, cell)}`
      const width = v !== null && !isSuppressed(cell) ? Math.max(0, (v / max) * WIDTH) : 0
      if (width > 0)
        parts.push(
          `<rect x="0" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLOURS[i % COLOURS.length]}"/>`,
        )
      y += BAR_HEIGHT
      parts.push(`<text x="0" y="${y + 14}" font-size="13" fill="#212b32">${escape(words)}</text>`)
      y += BAR_GAP
    })
    y += ROW_GAP
  }
  const more = table.rows.length > rows.length ? ` It shows the first ${rows.length} of ${table.rows.length} rows.` : ''
  return [
    `<svg class="app-chart" viewBox="0 0 ${WIDTH} ${y}" role="img" aria-labelledby="${titleId} ${descId}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${titleId}">${escape(table.title)}: chart</title>`,
    `<desc id="${descId}">${escape(`Bars for ${series.map((s) => s.label).join(', ')}. The same figures are in the table.${more}`)}</desc>`,
    ...parts,
    '</svg>',
  ].join('')
}
