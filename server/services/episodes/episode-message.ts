// The "message back to GP and referrer" of the PRSB Social Prescribing Standard, made at triage (accepted or declined)
// and at discharge. One plain object holds what it says under the standard's headings (person demographics, the
// referral, what matters to me, needs and concerns, support offered, outcomes, codes, sender); the printable letter
// and the FHIR R4 document Bundle are both drawn from that object, so they never disagree. The object is kept on the
// episode as sent.
import { nameUuid } from '../../domain/ids'
import { measureChanges } from '../measures/measures'
import {
  CONTACT_MODES,
  DISCHARGE_REASONS,
  GOAL_STATUSES,
  REFERRAL_SOURCES,
  SNOMED_SYSTEM,
  TRIAGE_DECLINE_REASONS,
  type EpisodeRecord,
} from '../../domain/episode'

/** One connection made in the episode: a VCO referral (with what came of it) or a signposting. */
export interface EpisodeConnection {
  kind: 'referral' | 'signposting'
  service: string
  organisation: string
  /** YYYY-MM-DD */
  date: string
  status: string
  engaged: 'yes' | 'no' | 'not yet known' | 'not recorded'
  benefited: string | null
}

export interface MessageSender {
  name: string
  team: string
  email: string | null
}

export interface EpisodeMessage {
  kind: 'loopwell.episode-message'
  version: 1
  id: string
  type: 'triage' | 'discharge'
  title: string
  /** ISO date-time */
  madeAt: string
  sender: MessageSender
  person: {
    name: string
    givenName: string
    familyName: string
    dateOfBirth: string
    nhsNumber: string | null
    address: string | null
    practiceName: string | null
    practiceOdsCode: string | null
  }
  referral: {
    source: string
    referrer: string
    referredOn: string
    reason: string
    outcome: string
    decidedOn: string | null
  }
  whatMatters: string
  needs: string[]
  goals: { text: string; status: string }[]
  support: EpisodeConnection[]
  contacts: { count: number; minutes: number; modes: string[] }
  measures: {
    instrument: string
    copyright: string
    scores: { label: string; start: number; end: number | null; change: number | null; result: string | null }[]
  }[]
  discharge: { on: string; reason: string; note: string } | null
  codes: { system: string; code: string; display: string; on: string }[]
}

const day = (d: Date | string | null): string | null => (d ? new Date(d).toISOString().slice(0, 10) : null)

export function buildEpisodeMessage(input: {
  episode: EpisodeRecord
  type: 'triage' | 'discharge'
  connections: readonly EpisodeConnection[]
  needLabel: (id: string) => string
  sender: MessageSender
  now: Date
}): EpisodeMessage {
  const e = input.episode
  const p = e.person
  const accepted = e.stage !== 'declined' && e.triagedAt !== null
  const outcome = accepted
    ? 'Accepted by the social prescribing service'
    : `Not taken on: ${e.declineReason ? TRIAGE_DECLINE_REASONS[e.declineReason] : 'declined'}`
  return {
    kind: 'loopwell.episode-message',
    version: 1,
    id: nameUuid(`episode-message:${e.id}:${input.type}`),
    type: input.type,
    title:
      input.type === 'triage'
        ? 'Social prescribing: referral received and triaged'
        : 'Social prescribing: discharge summary',
    madeAt: input.now.toISOString(),
    sender: input.sender,
    person: {
      name: `${p.givenName} ${p.familyName}`,
      givenName: p.givenName,
      familyName: p.familyName,
      dateOfBirth: p.dateOfBirth,
      nhsNumber: p.nhsNumber,
      address: [p.address, p.postcode].filter(Boolean).join(', ') || null,
      practiceName: p.practiceName,
      practiceOdsCode: p.practiceOdsCode,
    },
    referral: {
      source: REFERRAL_SOURCES[e.referrer.source],
      referrer: [e.referrer.name, e.referrer.organisationName].filter(Boolean).join(', '),
      referredOn: day(e.referredAt)!,
      reason: e.reason,
      outcome,
      decidedOn: day(e.triagedAt),
    },
    whatMatters: e.whatMatters,
    needs: e.needs.map(input.needLabel),
    goals: e.goals.map((g) => ({ text: g.text, status: GOAL_STATUSES[g.status] })),
    support: input.type === 'discharge' ? [...input.connections] : [],
    contacts: {
      count: e.contacts.length,
      minutes: e.contacts.reduce((sum, c) => sum + c.minutes, 0),
      modes: [...new Set(e.contacts.map((c) => CONTACT_MODES[c.mode]))],
    },
    measures: measureChanges(e.measures.map((m) => ({ ...m, at: new Date(m.at) }))).map((m) => ({
      instrument: m.name,
      copyright: m.copyright,
      scores: m.baseline.scores.map((s) => {
        const c = m.changes.find((x) => x.id === s.id)
        return {
          label: s.label,
          start: s.value,
          end: c?.followUp ?? null,
          change: c?.change ?? null,
          result: c?.result ?? null,
        }
      }),
    })),
    discharge:
      input.type === 'discharge' && e.dischargeReason
        ? { on: day(e.dischargedAt)!, reason: DISCHARGE_REASONS[e.dischargeReason], note: e.dischargeNote }
        : null,
    codes: e.codes.map((c) => ({ system: c.system, code: c.code, display: c.display, on: day(c.at)! })),
  }
}

/** "8 December 2026" for a YYYY-MM-DD or ISO date-time. */
export function ukDate(value: string | null): string {
  if (!value) return ''
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  }).format(new Date(value.length === 10 ? `${value}T12:00:00Z` : value))
}

/** The letter's sections, under the PRSB headings, as label/lines pairs for the page and the text file. */
export function letterSections(m: EpisodeMessage): { heading: string; lines: string[] }[] {
  const sections: { heading: string; lines: string[] }[] = [
    {
      heading: 'Person',
      lines: [
        `Name: ${m.person.name}`,
        `Date of birth: ${ukDate(m.person.dateOfBirth)}`,
        `NHS number: ${m.person.nhsNumber ?? 'not recorded'}`,
        `Address: ${m.person.address ?? 'not recorded'}`,
        `GP practice: ${m.person.practiceName ?? 'not recorded'}${m.person.practiceOdsCode ? ` (${m.person.practiceOdsCode})` : ''}`,
      ],
    },
    {
      heading: 'Referral to social prescribing service',
      lines: [
        `Referred by: ${m.referral.referrer} (${m.referral.source})`,
        `Referred on: ${ukDate(m.referral.referredOn)}`,
        `Reason: ${m.referral.reason || 'not given'}`,
        `Outcome: ${m.referral.outcome}${m.referral.decidedOn ? ` on ${ukDate(m.referral.decidedOn)}` : ''}`,
      ],
    },
  ]
  if (m.whatMatters || m.needs.length || m.goals.length) {
    sections.push({
      heading: 'What matters to me, needs and concerns',
      lines: [
        ...(m.whatMatters ? [`What matters to the person: ${m.whatMatters}`] : []),
        ...(m.needs.length ? [`Needs and concerns: ${m.needs.join('; ')}`] : []),
        ...m.goals.map((g) => `Goal: ${g.text} (${g.status})`),
      ],
    })
  }
  if (m.type === 'discharge') {
    sections.push({
      heading: 'Support offered',
      lines: [
        `Contacts with the link worker: ${m.contacts.count} (${m.contacts.minutes} minutes${m.contacts.modes.length ? `; ${m.contacts.modes.join(', ').toLowerCase()}` : ''})`,
        ...m.support.map(
          (s) =>
            `${s.kind === 'referral' ? 'Referred to' : 'Signposted to'} ${s.service} (${s.organisation}) on ${ukDate(s.date)}: ${s.status}; engaged: ${s.engaged}${s.benefited ? `; benefit: ${s.benefited}` : ''}`,
        ),
        ...(m.support.length ? [] : ['No onward referrals or signpostings.']),
      ],
    })
    const outcomeLines = m.measures.flatMap((ms) =>
      ms.scores.map(
        (s) =>
          `${ms.instrument}, ${s.label}: ${s.start} at the start` +
          (s.end !== null ? `, ${s.end} at the end (change ${s.change! > 0 ? '+' : ''}${s.change}, ${s.result})` : ''),
      ),
    )
    if (m.discharge)
      outcomeLines.push(
        `Discharged on ${ukDate(m.discharge.on)}: ${m.discharge.reason}${m.discharge.note ? ` (${m.discharge.note})` : ''}`,
      )
    sections.push({ heading: 'Outcomes', lines: outcomeLines })
  }
  sections.push({
    heading: 'Codes for the GP record',
    lines: m.codes.length
      ? m.codes.map((c) => `SNOMED CT ${c.code} ${c.display} (${ukDate(c.on)})`)
      : ['No code: the person did not decline and was not taken on.'],
  })
  sections.push({
    heading: 'Sender',
    lines: [m.sender.name, m.sender.team, ...(m.sender.email ? [m.sender.email] : [])],
  })
  return sections
}

/** The letter as plain text, for printing or filing. */
export function letterText(m: EpisodeMessage): string {
  const out = [m.title, `Made on ${ukDate(m.madeAt)} by ${m.sender.name}, ${m.sender.team}`, '']
  for (const s of letterSections(m)) out.push(s.heading, ...s.lines.map((l) => `  ${l}`), '')
  const copyrights = [...new Set(m.measures.map((x) => x.copyright))]
  out.push('The person agreed to this information being shared with their GP practice.', ...copyrights)
  return `${out.join('\n')}\n`
}

const LOINC = 'http://loinc.org'
const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const narrative = (lines: string[]) => ({
  status: 'generated' as const,
  div: `<div xmlns="http://www.w3.org/1999/xhtml">${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</div>`,
})

/**
 * The message as a FHIR R4 document Bundle: a Composition (the letter's sections, each with a LOINC section code
 * and its narrative), the Patient, the sender (Practitioner and Organization), one Observation per
 * wellbeing score, and a Procedure or Observation for each SNOMED CT code.
 */
export function episodeFhirDocument(m: EpisodeMessage, baseUrl: string): Record<string, unknown> {
  const ref = (type: string, key: string) => `urn:uuid:${nameUuid(`${m.id}:${type}:${key}`)}`
  const patientRef = ref('Patient', 'person')
  const authorRef = ref('Practitioner', 'sender')
  const teamRef = ref('Organization', 'team')
  const patient = {
    resourceType: 'Patient',
    identifier: m.person.nhsNumber
      ? [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: m.person.nhsNumber }]
      : undefined,
    name: [{ use: 'official', family: m.person.familyName, given: [m.person.givenName] }],
    birthDate: m.person.dateOfBirth,
    address: m.person.address ? [{ text: m.person.address }] : undefined,
  }
  const practitioner = {
    resourceType: 'Practitioner',
    name: [{ text: m.sender.name }],
    telecom: m.sender.email ? [{ system: 'email', value: m.sender.email }] : undefined,
  }
  const team = { resourceType: 'Organization', name: m.sender.team }
  const codeEntries = m.codes.map((c) => ({
    fullUrl: ref('Procedure', c.code),
    resource: {
      resourceType: 'Procedure',
      status: 'completed',
      code: { coding: [{ system: c.system, code: c.code, display: c.display }], text: c.display },
      subject: { reference: patientRef },
      performedDateTime: c.on,
    },
  }))
  const scoreEntries = m.measures.flatMap((ms) =>
    ms.scores.flatMap((s) =>
      (
        [
          ['start', s.start],
          ['end', s.end],
        ] as const
      )
        .filter(([, v]) => v !== null)
        .map(([when, value]) => ({
          fullUrl: ref('Observation', `${ms.instrument}:${s.label}:${when}`),
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: `${ms.instrument}: ${s.label} (${when} of the episode)` },
            subject: { reference: patientRef },
            valueQuantity: { value: value as number },
          },
        })),
    ),
  )
  const sections = letterSections(m).map((s) => ({
    title: s.heading,
    code: { coding: [{ system: LOINC, code: SECTION_CODES[s.heading] ?? '51848-0' }], text: s.heading },
    text: narrative(s.lines),
    entry:
      s.heading === 'Codes for the GP record'
        ? codeEntries.map((e) => ({ reference: e.fullUrl }))
        : s.heading === 'Outcomes'
          ? scoreEntries.map((e) => ({ reference: e.fullUrl }))
          : s.heading === 'Person'
            ? [{ reference: patientRef }]
            : undefined,
  }))
  const composition = {
    resourceType: 'Composition',
    status: 'final',
    type: {
      coding: [{ system: SNOMED_SYSTEM, code: '371531000', display: 'Report of clinical encounter' }],
      text: m.title,
    },
    subject: { reference: patientRef },
    date: m.madeAt,
    author: [{ reference: authorRef }],
    custodian: { reference: teamRef },
    title: m.title,
    section: sections,
  }
  return stripUndefined({
    resourceType: 'Bundle',
    identifier: { system: `${baseUrl}/episode-messages`, value: m.id },
    type: 'document',
    timestamp: m.madeAt,
    entry: [
      { fullUrl: ref('Composition', 'composition'), resource: composition },
      { fullUrl: patientRef, resource: patient },
      { fullUrl: authorRef, resource: practitioner },
      { fullUrl: teamRef, resource: team },
      ...codeEntries,
      ...scoreEntries,
    ],
  })
}

/** LOINC section codes for the letter's headings (document section codes used by UK care records). */
const SECTION_CODES: Record<string, string> = {
  Person: '45970-1',
  'Referral to social prescribing service': '42349-1',
  'What matters to me, needs and concerns': '61146-7',
  'Support offered': '18776-5',
  Outcomes: '11383-7',
  'Codes for the GP record': '47519-4',
  Sender: '48766-8',
}

function stripUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}
