// Which facts a report counts: the period, area, organisation and need chosen on its filter form.
import type { TaxonomyTerm } from '../../data/taxonomy'
import type { PracticeInfo } from './registry'
import type { ReportFact } from './report-facts'
import type { ReportFilters } from './report-types'

/** The term and every term below it, by id and by code (facts hold ids; older data may hold codes). */
export function needWithChildren(taxonomy: readonly TaxonomyTerm[], need: string): Set<string> {
  const root = taxonomy.find((t) => t.id === need || t.code === need)
  if (!root) return new Set([need])
  const codes = new Set([root.code])
  let grew = true
  while (grew) {
    grew = false
    for (const t of taxonomy) {
      if (t.parentCode && codes.has(t.parentCode) && !codes.has(t.code)) {
        codes.add(t.code)
        grew = true
      }
    }
  }
  const out = new Set<string>()
  for (const t of taxonomy) if (codes.has(t.code)) out.add(t.id).add(t.code)
  return out
}

/** The first index in facts sorted by submittedAt whose time is at or after `time`. */
function firstAtOrAfter(facts: readonly ReportFact[], time: number): number {
  let lo = 0
  let hi = facts.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (facts[mid]!.submittedAt.getTime() < time) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The facts submitted from `from` up to but not including `to` (epoch ms), out of facts sorted by submittedAt. */
export function submittedBetween(sorted: readonly ReportFact[], from: number, to: number): ReportFact[] {
  return sorted.slice(firstAtOrAfter(sorted, from), firstAtOrAfter(sorted, to))
}

/**
 * Facts in the period (inclusive dates, whole days in UTC) that match the area, organisation and need. Given facts
 * sorted by submittedAt (`sorted`), only the period's stretch of them is read.
 */
export function filterFacts(
  facts: readonly ReportFact[],
  filters: ReportFilters,
  practices: readonly PracticeInfo[],
  taxonomy: readonly TaxonomyTerm[],
  options: { sorted?: boolean } = {},
): ReportFact[] {
  const from = Date.UTC(filters.from.getUTCFullYear(), filters.from.getUTCMonth(), filters.from.getUTCDate())
  const to = Date.UTC(filters.to.getUTCFullYear(), filters.to.getUTCMonth(), filters.to.getUTCDate() + 1)
  const inPcn = filters.pcn ? new Set(practices.filter((p) => p.pcn === filters.pcn).map((p) => p.id)) : null
  const needs = filters.need ? needWithChildren(taxonomy, filters.need) : null
  const out: ReportFact[] = []
  const start = options.sorted ? firstAtOrAfter(facts, from) : 0
  const end = options.sorted ? firstAtOrAfter(facts, to) : facts.length
  for (let i = start; i < end; i++) {
    const f = facts[i]!
    const at = f.submittedAt.getTime()
    if (at < from || at >= to) continue
    if (filters.practiceId && f.practiceId !== filters.practiceId) continue
    if (inPcn && !(f.practiceId && inPcn.has(f.practiceId))) continue
    if (filters.organisationId && f.organisationId !== filters.organisationId) continue
    if (needs && !f.needs.some((n) => needs.has(n))) continue
    out.push(f)
  }
  return out
}
