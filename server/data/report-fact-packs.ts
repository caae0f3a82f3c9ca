// Report facts packed by month: one document per calendar month of submittedAt, holding that month's facts as one
// gzipped array of rows (a row is the fact's fields in REPORT_FACT_FIELDS order) in Node's structured-clone format
// (node:v8 serialize), which keeps dates as dates. Strings from JSON.parse may be slices that keep the whole text
// alive; deserialised strings are copies.
// A start reads about sixty packs instead of every fact — on FerretDB over PostgreSQL, reading 125,000 fact
// documents took 52 s, because the engine converts each document one by one. Packs are a copy: the facts
// collection stays the record, and a pack older than its month's facts is corrected by the facts changed since.
import crypto from 'node:crypto'
import v8 from 'node:v8'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { REPORT_FACT_FIELDS, type ReportFact } from '../domain/report-fact'

const gzip = promisify(zlib.gzip)
const gunzip = promisify(zlib.gunzip)

/** Names the encoding and row layout: a pack written otherwise (an older version of the app) is not read. */
export const PACK_FORMAT = crypto
  .createHash('sha256')
  .update(`v8-gzip:${REPORT_FACT_FIELDS.join(',')}`)
  .digest('hex')
  .slice(0, 12)

/** The month a fact is packed under: its submittedAt's UTC month, "2026-12" (it never changes). */
export function packMonthOf(fact: Pick<ReportFact, 'submittedAt'>): string {
  return fact.submittedAt.toISOString().slice(0, 7)
}

export async function packFacts(facts: readonly ReportFact[]): Promise<Buffer> {
  const rows = facts.map((fact) => REPORT_FACT_FIELDS.map((field) => fact[field]))
  return gzip(v8.serialize(rows))
}

/**
 * Strings shared between facts (ids and names of teams, organisations, services, practices, needs, equality
 * groups): each distinct string is held once however many facts carry it, and an empty list is one shared frozen
 * array. At 125,000 facts this is most of their memory.
 */
export function createInterner() {
  const strings = new Map<string, string>()
  const EMPTY: readonly string[] = Object.freeze([])
  const str = <T extends string | null>(value: T): T => {
    if (value === null) return value
    const known = strings.get(value)
    if (known !== undefined) return known as T
    strings.set(value, value)
    return value
  }
  const list = (values: readonly string[]): string[] => (values.length ? values.map((v) => str(v)) : EMPTY) as string[]
  return {
    /** The fact with its strings shared (the same object, changed in place). */
    fact(fact: ReportFact): ReportFact {
      for (const field of REPORT_FACT_FIELDS) {
        const value = fact[field]
        if (typeof value === 'string' && field !== 'id')
          (fact as unknown as Record<string, unknown>)[field] = str(value)
      }
      fact.needs = list(fact.needs)
      fact.unmetNeeds = list(fact.unmetNeeds)
      return fact
    },
    size: () => strings.size,
  }
}

export type Interner = ReturnType<typeof createInterner>

/**
 * A row as a fact, written out as one object literal so every fact has the same compact shape (built key by key,
 * 125,000 facts took twice the memory). A unit test checks the keys against REPORT_FACT_FIELDS.
 */
function rowToFact(r: readonly unknown[]): ReportFact {
  return {
    id: r[0],
    kind: r[1],
    submittedAt: r[2],
    practiceId: r[3],
    pcn: r[4],
    teamId: r[5],
    teamName: r[6],
    organisationId: r[7],
    organisationName: r[8],
    serviceId: r[9],
    serviceName: r[10],
    needs: r[11],
    status: r[12],
    open: r[13],
    accepted: r[14],
    declined: r[15],
    declineReason: r[16],
    acknowledgeBy: r[17],
    acknowledgedAt: r[18],
    contactBy: r[19],
    contactedAt: r[20],
    outcomeBy: r[21],
    closedAt: r[22],
    acknowledgeWorkingDays: r[23],
    contactDays: r[24],
    outcomeDays: r[25],
    engagement: r[26],
    benefited: r[27],
    wellbeingBaseline: r[28],
    wellbeingFollowUp: r[29],
    wellbeingChange: r[30],
    unmetNeeds: r[31],
    deprivationDecile: r[32],
    ethnicity: r[33],
    sex: r[34],
    ageBand: r[35],
    updatedAt: r[36],
  } as ReportFact
}

export async function unpackFacts(packed: Buffer | Uint8Array, interner: Interner): Promise<ReportFact[]> {
  const rows = v8.deserialize(await gunzip(packed)) as unknown[][]
  return rows.map((row) => interner.fact(rowToFact(row)))
}
