// The hand-written directory the SearchIndex contract runs against: about thirty listings around one point in Leeds,
// each there to prove one promise of the port.
import type { SearchDocument } from '../../server/data/search/search-index'

/** The fixed "now" of the contract; listings checked before 2024-06-01 are stale at this time. */
export const NOW = new Date('2025-06-01T12:00:00Z')
export const CENTRE = { lat: 53.8, lon: -1.55 }
const FRESH = '2025-03-01T00:00:00Z'

/** A point this many kilometres due north of CENTRE (111.195 km to a degree of latitude on a 6371 km sphere). */
export function kmNorth(km: number): { lat: number; lon: number } {
  return { lat: CENTRE.lat + km / 111.195, lon: CENTRE.lon }
}

function listing(id: string, fields: Partial<SearchDocument> & Pick<SearchDocument, 'name'>): SearchDocument {
  return {
    id,
    organizationName: 'Leeds Community Trust',
    description: '',
    keywords: [],
    needs: [],
    deliveryModes: ['in_person'],
    free: false,
    days: [],
    timesOfDay: [],
    ageMin: null,
    ageMax: null,
    languages: ['en'],
    accessibility: [],
    accessRoutes: ['self_referral'],
    acceptsReferrals: false,
    capacity: 'open',
    status: 'active',
    crisis: false,
    geo: null,
    assuredDate: FRESH,
    card: { summary: '', costOptions: [], schedules: [] },
    ...fields,
  }
}

export const FIXTURES: SearchDocument[] = [
  // Loneliness, all with different words for it.
  listing('befriending-calls', {
    name: 'Friendly Voices',
    description: 'A befriending service: weekly telephone calls from a volunteer.',
    needs: ['wellbeing', 'wellbeing.social'],
    deliveryModes: ['phone'],
    free: true,
    days: ['tue', 'thu'],
    timesOfDay: ['afternoon'],
    acceptsReferrals: true,
    accessRoutes: ['professional_referral', 'self_referral'],
    geo: kmNorth(3),
  }),
  listing('chatty-cafe', {
    name: 'Chatty Cafe',
    description: 'A table where anyone feeling lonely can sit down and talk.',
    needs: ['wellbeing', 'wellbeing.social'],
    free: true,
    days: ['sat'],
    timesOfDay: ['morning'],
    geo: kmNorth(4),
  }),
  listing('out-and-about', {
    name: 'Out and About',
    description: 'Day trips that reduce social isolation among older people.',
    needs: ['wellbeing', 'wellbeing.social'],
    ageMin: 65,
    accessibility: ['step_free', 'hearing_loop'],
    geo: kmNorth(8),
  }),
  listing('loneliness-lunch', {
    name: 'Loneliness Lunch Club',
    description: 'A hot meal and company every Friday.',
    needs: ['wellbeing', 'wellbeing.social'],
    days: ['fri'],
    timesOfDay: ['afternoon'],
    accessibility: ['step_free'],
    geo: kmNorth(12),
  }),
  // Money.
  listing('debt-drop-in', {
    name: 'Debt Advice Drop-in',
    description: 'Free help with debts, arrears and budgeting.',
    needs: ['money', 'money.debt'],
    free: true,
    days: ['mon', 'wed'],
    timesOfDay: ['morning'],
    accessRoutes: ['open_access'],
    acceptsReferrals: true,
    languages: ['en', 'ur', 'pa'],
    geo: kmNorth(2),
  }),
  listing('money-matters', {
    name: 'Money Matters',
    description: 'Workshops on household bills and saving.',
    needs: ['money', 'money.budgeting'],
    deliveryModes: ['online'],
    free: true,
    timesOfDay: ['evening'],
  }),
  listing('benefits-check', {
    name: 'Benefits Check',
    description: 'Make sure you claim everything you are entitled to.',
    needs: ['money', 'money.benefits'],
    deliveryModes: ['phone', 'video'],
    languages: ['en', 'pl'],
    acceptsReferrals: true,
    accessRoutes: ['professional_referral'],
  }),
  // GP and doctor.
  listing('ask-the-doctor', {
    name: 'Ask the Doctor',
    description: 'A retired doctor answers health questions over coffee.',
    needs: ['health'],
    geo: kmNorth(6),
  }),
  listing('practice-link', {
    name: 'Surgery Link Service',
    description: 'Your GP practice team helps you find local groups.',
    needs: ['health'],
    accessRoutes: ['professional_referral'],
    acceptsReferrals: true,
  }),
  // Walking and physical activity (one way: walking finds physical activity, not the reverse).
  listing('walking-for-health', {
    name: 'Walking for Health',
    description: 'Gentle led walks around Roundhay Park.',
    keywords: ['walking'],
    needs: ['health', 'health.activity'],
    free: true,
    days: ['sun'],
    timesOfDay: ['morning'],
    geo: kmNorth(10),
  }),
  listing('chair-exercise', {
    name: 'Seated Strength',
    description: 'Physical activity for people with limited mobility.',
    needs: ['health', 'health.activity'],
    ageMin: 50,
    geo: kmNorth(9),
  }),
  // Carers and bereavement.
  listing('carers-centre', {
    name: 'Carers Centre',
    description: 'Breaks, advice and a listening ear for unpaid carers.',
    needs: ['carers'],
    languages: ['en', 'ur'],
    geo: kmNorth(5),
  }),
  listing('bereavement-group', {
    name: 'Bereavement Support Group',
    description: 'Meet others who have lost someone close.',
    needs: ['wellbeing', 'wellbeing.bereavement'],
    deliveryModes: ['in_person', 'video'],
    geo: kmNorth(7),
  }),
  listing('grief-cafe', {
    name: 'Grief Cafe',
    description: 'Tea and conversation for anyone grieving.',
    needs: ['wellbeing', 'wellbeing.bereavement'],
    geo: kmNorth(11),
  }),
  // Relevance, then distance, then staleness: the same knitting group at several distances and ages.
  listing('knit-near', {
    name: 'Knitting Circle',
    description: 'Bring your needles.',
    needs: ['creative'],
    geo: kmNorth(1),
  }),
  listing('knit-far', {
    name: 'Knitting Circle',
    description: 'Bring your needles.',
    needs: ['creative'],
    geo: kmNorth(20),
  }),
  listing('craft-corner', {
    name: 'Craft Corner',
    description: 'Knitting, sewing and crochet for beginners.',
    needs: ['creative'],
    geo: kmNorth(0.5),
  }),
  listing('knit-stale', {
    name: 'Knitting Circle',
    description: 'Bring your needles.',
    needs: ['creative'],
    geo: kmNorth(0.2),
    assuredDate: '2023-01-15T00:00:00Z',
  }),
  listing('knit-never-checked', {
    name: 'Knitting Circle',
    description: 'Bring your needles.',
    needs: ['creative'],
    geo: kmNorth(0.3),
    assuredDate: null,
  }),
  // Distance: far away, and a listing with no location.
  listing('york-choir', {
    name: 'Community Choir',
    description: 'Singing for wellbeing in York.',
    needs: ['creative'],
    geo: kmNorth(35),
  }),
  listing('online-choir', {
    name: 'Virtual Choir',
    description: 'Singing together from home.',
    needs: ['creative'],
    deliveryModes: ['online'],
    free: true,
  }),
  // Statuses, capacity and crisis.
  listing('closed-for-summer', {
    name: 'Allotment Project',
    description: 'Growing vegetables together.',
    needs: ['health', 'health.activity'],
    status: 'temporarily closed',
    geo: kmNorth(15),
  }),
  listing('inactive-club', {
    name: 'Chess Club',
    description: 'Chess and draughts.',
    status: 'inactive',
    geo: kmNorth(2),
  }),
  listing('defunct-club', {
    name: 'Bridge Club',
    description: 'Card games.',
    status: 'defunct',
  }),
  listing('full-course', {
    name: 'Confidence Course',
    description: 'Six weeks to build confidence.',
    needs: ['wellbeing'],
    capacity: 'full',
    geo: kmNorth(3.5),
  }),
  listing('waitlist-counselling', {
    name: 'Talking Space',
    description: 'Free counselling sessions.',
    needs: ['wellbeing', 'wellbeing.mental'],
    capacity: 'waitlist',
    free: true,
    acceptsReferrals: true,
    accessRoutes: ['professional_referral'],
  }),
  listing('crisis-line', {
    name: 'Night Line',
    description: 'Someone to talk to when things feel too much, every night.',
    needs: ['wellbeing', 'wellbeing.mental'],
    deliveryModes: ['phone'],
    capacity: 'full',
    crisis: true,
    free: true,
    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
    timesOfDay: ['evening'],
    accessRoutes: ['open_access'],
  }),
  // Ages.
  listing('youth-club', {
    name: 'Youth Club',
    description: 'Games and mentoring for young people.',
    ageMin: 11,
    ageMax: 18,
    geo: kmNorth(4.5),
  }),
  listing('young-adults', {
    name: 'Next Steps',
    description: 'Peer support for young adults.',
    ageMin: 18,
    ageMax: 25,
    accessibility: ['quiet_space'],
    accessRoutes: ['membership'],
  }),
  listing('home-visits', {
    name: 'Good Neighbours',
    description: 'Volunteers help with shopping and odd jobs.',
    deliveryModes: ['home_visit'],
    languages: ['en', 'pa'],
    accessibility: ['step_free', 'hearing_loop', 'accessible_toilet'],
    days: ['wed'],
    timesOfDay: ['morning', 'afternoon'],
  }),
  // Everyday words: a need named in lay terms, and a language found by its name.
  listing('abuse-advice', {
    name: 'Safe Home',
    description: 'Confidential advice for anyone living with domestic abuse.',
    needs: ['home', 'home.abuse'],
    languages: ['en', 'bn'],
    deliveryModes: ['phone'],
  }),
]

/** What the public directory shows by default. */
export const visible = (doc: SearchDocument): boolean => doc.status === 'active' || doc.status === 'temporarily closed'
