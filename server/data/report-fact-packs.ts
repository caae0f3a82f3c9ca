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
    episodeId: r[2],
    submittedAt: r[3],
    practiceId: r[4],
    pcn: r[5],
    teamId: r[6],
    teamName: r[7],
    organisationId: r[8],
    organisationName: r[9],
    serviceId: r[10],
    serviceName: r[11],
    needs: r[12],
    status: r[13],
    open: r[14],
    accepted: r[15],
    declined: r[16],
    declineReason: r[17],
    acknowledgeBy: r[18],
    acknowledgedAt: r[19],
    contactBy: r[20],
    contactedAt: r[21],
    outcomeBy: r[22],
    closedAt: r[23],
    acknowledgeWorkingDays: r[24],
    contactDays: r[25],
    outcomeDays: r[26],
    engagement: r[27],
    benefited: r[28],
    wellbeingBaseline: r[29],
    wellbeingFollowUp: r[30],
    wellbeingChange: r[31],
    unmetNeeds: r[32],
    deprivationDecile: r[33],
    ethnicity: r[34],
    sex: r[35],
    ageBand: r[36],
    updatedAt: r[37],
  } as ReportFact
}

export async function unpackFacts(packed: Buffer | Uint8Array, interner: Interner): Promise<ReportFact[]> {
  const rows = v8.deserialize(await gunzip(packed)) as unknown[][]
  return rows.map((row) => interner.fact(rowToFact(row)))
}
