// Demo social prescribing episodes, one or more at every stage, so the demo team's caseload, triage queue and the demo
// GP practice's messages have something to show. Each is walked through the same pure rules the app applies
// (applyEpisodeAction), so a demo episode is exactly what the app would have stored. Seeded once, by fixed ids.
import { nameUuid } from '../../domain/ids'
import type { PersonRecord } from '../../domain/referral-records'
import type { EpisodeRepository } from '../../data/repositories/episode.repository'
import type { PersonRepository } from '../../data/repositories/person.repository'
import { termId } from '../../data/taxonomy'
import { DEMO_PRACTICE, DEMO_TEAM, DEMO_USERS } from '../demo-accounts'
import { instrument, measureOf, type MeasureRecord } from '../measures/measures'
import { ageBand } from '../person.service'
import { applyEpisodeAction, newEpisode, type EpisodeAction, type EpisodeRecord } from '../../domain/episode'
import { buildEpisodeMessage } from './episode-message'

const DAY = 86_400_000
const lw = DEMO_USERS.find((u) => u.key === 'link-worker')!
const gp = DEMO_USERS.find((u) => u.key === 'gp')!
const LW = { userId: nameUuid('demo:user:link-worker'), name: lw.name }
const GP = { userId: nameUuid('demo:user:gp'), name: gp.name }

export const DEMO_EPISODES = {
  triage: nameUuid('demo:episode:triage'),
  selfReferred: nameUuid('demo:episode:self-referred'),
  accepted: nameUuid('demo:episode:accepted'),
  planning: nameUuid('demo:episode:planning'),
  active: nameUuid('demo:episode:active'),
  declined: nameUuid('demo:episode:declined'),
  discharged: nameUuid('demo:episode:discharged'),
} as const
type Key = keyof typeof DEMO_EPISODES

const PEOPLE: Record<Key, { givenName: string; familyName: string; dateOfBirth: string; reason: string }> = {
  triage: {
    givenName: 'Harold',
    familyName: 'Demo',
    dateOfBirth: '1941-07-19',
    reason: 'Lives alone, rarely goes out',
  },
  selfReferred: {
    givenName: 'Kemi',
    familyName: 'Demo',
    dateOfBirth: '1988-02-11',
    reason: 'Struggling with money since losing my job',
  },
  accepted: { givenName: 'Doris', familyName: 'Demo', dateOfBirth: '1950-10-02', reason: 'Recently bereaved' },
  planning: { givenName: 'Yusuf', familyName: 'Demo', dateOfBirth: '1972-05-23', reason: 'Caring for his mother' },
  active: { givenName: 'Elsie', familyName: 'Demo', dateOfBirth: '1946-12-30', reason: 'Lonely and inactive' },
  declined: { givenName: 'Graham', familyName: 'Demo', dateOfBirth: '1960-03-14', reason: 'Low mood, isolated' },
  discharged: { givenName: 'Irene', familyName: 'Demo', dateOfBirth: '1944-08-08', reason: 'Isolated after a fall' },
}

const day = (d: Date) => d.toISOString().slice(0, 10)

function ons4(id: string, value: number, timing: 'baseline' | 'follow-up', at: Date): MeasureRecord {
  const measure = instrument('ons4')
  const values = measure.items.map((i) => (i.id === 'anxious' ? 10 - value : value))
  return measureOf(measure, values, { id, timing, at, source: 'worker', by: LW })
}

/** The episode for one demo person, walked from the referral to its stage. */
export function demoEpisode(key: Key, now: Date): EpisodeRecord {
  const p = PEOPLE[key]
  const id = DEMO_EPISODES[key]
  const start = new Date(now.getTime() - (key === 'discharged' ? 70 : key === 'active' ? 40 : 8) * DAY)
  const at = (days: number) => new Date(start.getTime() + days * DAY)
  const self = key === 'selfReferred'
  let e = newEpisode({
    id,
    teamId: DEMO_TEAM.id,
    teamName: DEMO_TEAM.name,
    person: {
      givenName: p.givenName,
      familyName: p.familyName,
      dateOfBirth: p.dateOfBirth,
      nhsNumber: null,
      phone: '07700 900999',
      email: null,
      address: '5 Church Road, Hendon',
      postcode: 'NW4 4EB',
      practiceId: DEMO_PRACTICE.id,
      practiceName: DEMO_PRACTICE.name,
      practiceOdsCode: DEMO_PRACTICE.odsCode,
    },
    referrer: self
      ? {
          source: 'self',
          userId: null,
          name: `${p.givenName} ${p.familyName} (themselves)`,
          email: null,
          organisationName: null,
        }
      : { source: 'gp', userId: GP.userId, name: GP.name, email: gp.email, organisationName: DEMO_PRACTICE.name },
    reason: p.reason,
    consentToRefer: true,
    gpFeedbackConsent: true,
    by: self ? null : GP,
    now: start,
    origin: 'demo',
  })
  const steps: [number, EpisodeAction][] = []
  if (key === 'declined') steps.push([1, { type: 'decline', reason: 'person_declined', note: 'Not ready for now' }])
  if (['accepted', 'planning', 'active', 'discharged'].includes(key)) steps.push([1, { type: 'accept' }])
  if (['planning', 'active', 'discharged'].includes(key)) {
    steps.push([3, { type: 'conversation', date: day(at(3)), note: 'What matters conversation at the surgery' }])
    steps.push([3, { type: 'measure', record: ons4(nameUuid(`${id}:ons4:start`), 4, 'baseline', at(3)) }])
  }
  if (['active', 'discharged'].includes(key)) {
    steps.push([
      4,
      {
        type: 'plan',
        whatMatters: 'Getting out of the house and meeting people',
        needs: [termId('loneliness-isolation'), termId('physical-activity')],
        goals: [
          { text: 'Go to a lunch club every week', status: key === 'discharged' ? 'met' : 'open' },
          { text: 'Walk to the shops on my own', status: key === 'discharged' ? 'partly' : 'open' },
        ],
      },
    ])
    steps.push([10, { type: 'contact', date: day(at(10)), mode: 'phone', minutes: 20, note: 'Checked in' }])
    steps.push([18, { type: 'contact', date: day(at(18)), mode: 'face_to_face', minutes: 45, note: 'Went together' }])
    steps.push([
      20,
      { type: 'task', text: 'Ring the lunch club about transport', due: day(at(key === 'active' ? 30 : 25)) },
    ])
  }
  if (key === 'discharged') {
    steps.push([60, { type: 'measure', record: ons4(nameUuid(`${id}:ons4:end`), 7, 'follow-up', at(60)) }])
    steps.push([62, { type: 'discharge', reason: 'goals_met', note: 'Goes to the lunch club weekly' }])
  }
  for (const [offset, action] of steps) {
    e = applyEpisodeAction(e, action, LW, at(offset))
    if (action.type === 'accept') e = { ...e, personId: nameUuid(`episode-person:${id}`) }
    if (action.type === 'accept' || action.type === 'decline' || action.type === 'discharge') {
      const type = action.type === 'discharge' ? 'discharge' : 'triage'
      const content = buildEpisodeMessage({
        episode: e,
        type,
        connections: [],
        needLabel: (n) => n,
        sender: { name: LW.name, team: DEMO_TEAM.name, email: lw.email },
        now: at(offset),
      })
      e = applyEpisodeAction(
        e,
        { type: 'message', message: { id: content.id, kind: type, at: at(offset), content: { ...content } } },
        LW,
        at(offset),
      )
    }
  }
  return e
}

/** Seeds the demo episodes and, for those accepted, the person on the demo team's caseload. Returns how many. */
export async function seedDemoEpisodes(deps: {
  episodes: EpisodeRepository
  people: PersonRepository
  now: Date
}): Promise<number> {
  let created = 0
  for (const key of Object.keys(DEMO_EPISODES) as Key[]) {
    const episode = demoEpisode(key, deps.now)
    if (episode.personId) {
      const p = episode.person
      const person: PersonRecord = {
        id: episode.personId,
        teamId: episode.teamId,
        ...p,
        contactPreference: 'phone',
        whatMatters: episode.whatMatters,
        needs: episode.needs,
        equality: { ethnicity: null, sex: null, ageBand: ageBand(p.dateOfBirth, deps.now), deprivationDecile: null },
        caresForId: null,
        consents: [],
        createdBy: LW,
      }
      await deps.people.insert(person)
    }
    if (await deps.episodes.insertOnce(episode)) created++
  }
  return created
}
