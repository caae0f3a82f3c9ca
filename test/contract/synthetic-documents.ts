// A deterministic generator of plausible SearchDocuments in bulk, for measuring the search adapters.
// Not the realistic demo directory (that is the seed generator's job): only enough vocabulary and spread to load them.
import { createRandom } from '../../server/data/demo/prng'
import { type SearchDocument } from '../../server/data/search/search-index'
import {
  ACCESS_ROUTES,
  CAPACITIES,
  DAYS,
  DELIVERY_MODES,
  TIMES_OF_DAY,
  type ServiceStatus,
} from '../../server/domain/directory-vocabulary'

const ACTIVITIES = [
  'walking',
  'befriending',
  'gardening',
  'singing',
  'knitting',
  'cooking',
  'yoga',
  'swimming',
  'dancing',
  'cycling',
  'football',
  'painting',
  'pottery',
  'reading',
  'counselling',
  'mindfulness',
  'chess',
  'photography',
  'woodwork',
  'volunteering',
]
const SUBJECTS = [
  'debt advice',
  'benefits advice',
  'carers support',
  'bereavement support',
  'loneliness',
  'mental health',
  'housing advice',
  'food bank',
  'employment support',
  'dementia cafe',
  'stop smoking',
  'weight management',
  'parenting',
  'veterans breakfast',
  'english classes',
  'men’s shed',
  'peer support',
  'fuel poverty',
]
const FORMATS = ['group', 'club', 'cafe', 'circle', 'service', 'project', 'network', 'drop-in', 'class', 'hub']
const PLACES = [
  'Riverside',
  'Oakfield',
  'Millbrook',
  'Ashton',
  'Hillcrest',
  'Greenway',
  'Northgate',
  'Westmoor',
  'Elmhurst',
  'Kingsley',
  'Bramley',
  'Fairview',
  'Stonebridge',
  'Lindfield',
  'Harbourside',
]
const ORG_KINDS = ['Community Trust', 'Age Concern', 'Mind', 'Carers Centre', 'Citizens Advice', 'Wellbeing CIC']
const FILLER =
  'a friendly welcoming weekly session for local people who want to meet others learn new skills feel less alone get out of the house improve wellbeing confidence and health with trained volunteers tea coffee and a chat no need to book just turn up all welcome older people young people families carers'.split(
    ' ',
  )
const LANGUAGES = ['en', 'pa', 'ur', 'pl', 'bn', 'gu', 'so', 'ar', 'ro', 'cy']
const ACCESSIBILITY = ['step_free', 'hearing_loop', 'accessible_toilet', 'parking', 'large_print', 'quiet_space']
/** A two-level need taxonomy: 12 parents with 6 children each ("N03", "N03.4"). */
export const NEED_CODES = Array.from({ length: 12 }, (_, p) => `N${String(p + 1).padStart(2, '0')}`)

export function syntheticDocuments(count: number, seed = 1): SearchDocument[] {
  const random = createRandom(seed).next
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const some = <T>(list: readonly T[], max: number): T[] => {
    const n = 1 + Math.floor(random() * max)
    return [...new Set(Array.from({ length: n }, () => pick(list)))]
  }
  const docs: SearchDocument[] = []
  for (let i = 0; i < count; i++) {
    const place = pick(PLACES)
    const activity = random() < 0.5 ? pick(ACTIVITIES) : pick(SUBJECTS)
    const name = `${place} ${activity} ${pick(FORMATS)}`
    const needs = some(NEED_CODES, 3).flatMap((parent) => [parent, `${parent}.${1 + Math.floor(random() * 6)}`])
    const words = Array.from({ length: 15 + Math.floor(random() * 30) }, () => pick(FILLER))
    const ageMin = random() < 0.3 ? pick([16, 18, 50, 60, 65]) : null
    const age = random()
    const assured = random()
    docs.push({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name,
      organizationName: `${place} ${pick(ORG_KINDS)}`,
      description: `${name}: ${words.join(' ')} ${pick(ACTIVITIES)} ${pick(SUBJECTS)}.`,
      keywords: some([...ACTIVITIES, ...SUBJECTS], 4),
      needs: [...new Set(needs)],
      deliveryModes: some(DELIVERY_MODES, 2),
      free: random() < 0.7,
      days: random() < 0.1 ? [] : some(DAYS, 3),
      timesOfDay: some(TIMES_OF_DAY, 2),
      ageMin,
      ageMax: age < 0.15 ? 25 : null,
      languages: ['en', ...(random() < 0.3 ? some(LANGUAGES, 2) : [])].filter((v, j, all) => all.indexOf(v) === j),
      accessibility: random() < 0.6 ? some(ACCESSIBILITY, 4) : [],
      accessRoutes: some(ACCESS_ROUTES, 2),
      acceptsReferrals: random() < 0.5,
      capacity: random() < 0.8 ? 'open' : pick(CAPACITIES),
      status: (random() < 0.9 ? 'active' : pick(['inactive', 'defunct', 'temporarily closed'])) as ServiceStatus,
      crisis: random() < 0.02,
      // England, roughly: 50.5–54.5 N, 3 W–0.5 E.
      geo: random() < 0.9 ? { lat: 50.5 + random() * 4, lon: -3 + random() * 3.5 } : null,
      // Checked some time in the three years before 2025-06-01, or never.
      assuredDate: assured < 0.1 ? null : new Date(Date.UTC(2025, 5, 1) - assured * 3 * 365 * 86_400_000).toISOString(),
      card: {
        summary: `${name}: ${words.slice(0, 20).join(' ')}`,
        costOptions: [{ option: 'Per session', amount: random() < 0.7 ? 0 : 3 }],
        schedules: [
          { freq: 'WEEKLY', byday: 'MO', opens_at: '10:00', closes_at: '12:00', valid_from: null, valid_to: null },
        ],
      },
    })
  }
  return docs
}
