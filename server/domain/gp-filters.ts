// The GP practice list's filters, stored on each referral so the list can select by them (equality on an indexed
// field) instead of reading every referral of the practice: "did not engage" (closed as did not engage, or a session
// missed) and "no benefit" (the person's view, else the worker's, was not a benefit). Worked out from the referral
// after every write (referral.repository.ts, referral-outcome.repository.ts) and by the generator.

export interface GpFilterSource {
  status: string
  sessions?: readonly { attended?: boolean | null }[] | null
  outcome?: unknown
}

export interface GpFilterFlags {
  gpDidNotEngage: boolean
  gpNoBenefit: boolean
}

const BENEFIT = new Set(['a_lot', 'a_little'])

export function gpFilterFlags(r: GpFilterSource): GpFilterFlags {
  const outcome = (r.outcome ?? {}) as { person?: { helped?: string | null }; worker?: { helped?: string | null } }
  const rating = outcome.person?.helped || outcome.worker?.helped || null
  return {
    gpDidNotEngage: r.status === 'did_not_engage' || (r.sessions ?? []).some((s) => !s.attended),
    gpNoBenefit: rating !== null && !BENEFIT.has(rating),
  }
}
