// How taxonomy terms from other directories map onto our need taxonomy (server/data/taxonomy.ts), as data.
// A term maps when its id is one of ours (our own export), its code or name is one of ours, or its name (any
// taxonomy; compared lower-case, ignoring punctuation) is listed here. Anything else is kept as a term of its own
// taxonomy and reported by the import, so a curator can add a row here and import again.
export const ORUK_TERM_MAP: Readonly<Record<string, string>> = {
  // Loneliness and social contact
  loneliness: 'loneliness-isolation',
  'social isolation': 'loneliness-isolation',
  'social activities': 'social-connection',
  'community groups': 'social-connection',
  befriending: 'befriending',
  'befriending services': 'befriending',
  volunteering: 'volunteering',
  'volunteering opportunities': 'volunteering',
  // Money
  'debt advice': 'debt-money',
  debt: 'debt-money',
  'money advice': 'debt-money',
  'financial advice': 'debt-money',
  'welfare benefits': 'welfare-benefits',
  benefits: 'welfare-benefits',
  // Health and wellbeing
  'mental health': 'mental-wellbeing-peer-support',
  'mental wellbeing': 'mental-wellbeing-peer-support',
  counselling: 'mental-wellbeing-peer-support',
  'physical activity': 'physical-activity',
  exercise: 'physical-activity',
  'sport and leisure': 'physical-activity',
  walking: 'walking',
  carers: 'carers',
  'carer support': 'carers',
  bereavement: 'bereavement',
  housing: 'housing',
  'housing advice': 'housing',
  homelessness: 'housing',
  'domestic abuse': 'domestic-abuse',
  'legal advice': 'legal-advice',
  employment: 'employment',
  'food banks': 'food',
  food: 'food',
  parenting: 'parenting-family',
  'digital skills': 'digital-skills',
  'arts and crafts': 'arts-creativity',
  gardening: 'nature-gardening',
  'substance misuse': 'substance-use',
  'crisis support': 'crisis-support',
}

/** The form of a name or code that the table is keyed on. */
export function termKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}
