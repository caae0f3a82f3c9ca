// The need taxonomy, as data. Each term has a fixed UUID (derived from its code), a slug code, a parent and a crisis
// flag: crisis resources are marked visibly wherever they appear. Curators may add terms later; these are the seed.
import { nameUuid } from '../domain/ids'

export const NEEDS_TAXONOMY_NAME = 'loopwell-needs'
export const NEEDS_TAXONOMY_ID = nameUuid(`taxonomy:${NEEDS_TAXONOMY_NAME}`)

export interface TaxonomyTermSeed {
  code: string
  name: string
  parent: string | null
  description: string
  crisis?: boolean
}

export interface TaxonomyTerm {
  id: string
  code: string
  name: string
  parentCode: string | null
  description: string
  crisis: boolean
  taxonomy: string
}

export function termId(code: string): string {
  return nameUuid(`taxonomy-term:${code}`)
}

const SEED: readonly TaxonomyTermSeed[] = [
  {
    code: 'social-connection',
    name: 'Social connection',
    parent: null,
    description: 'Meeting people, belonging and taking part.',
  },
  {
    code: 'loneliness-isolation',
    name: 'Loneliness and isolation',
    parent: 'social-connection',
    description: 'Groups, clubs and companionship for people who feel lonely or cut off.',
  },
  {
    code: 'befriending',
    name: 'Befriending',
    parent: 'loneliness-isolation',
    description: 'A regular visit or phone call from a trained volunteer.',
  },
  {
    code: 'volunteering',
    name: 'Volunteering',
    parent: 'social-connection',
    description: 'Giving time to a local cause, with support to get started.',
  },

  { code: 'money-work', name: 'Money and work', parent: null, description: 'Income, debt, benefits and work.' },
  {
    code: 'debt-money',
    name: 'Debt and money',
    parent: 'money-work',
    description: 'Free debt advice, budgeting and help with bills.',
  },
  {
    code: 'welfare-benefits',
    name: 'Welfare benefits',
    parent: 'money-work',
    description: 'Checking entitlement, claiming and challenging benefit decisions.',
  },
  {
    code: 'employment',
    name: 'Employment',
    parent: 'money-work',
    description: 'Finding, keeping or returning to work.',
  },

  {
    code: 'home-safety-rights',
    name: 'Home, safety and rights',
    parent: null,
    description: 'A safe place to live and help with legal problems.',
  },
  {
    code: 'housing',
    name: 'Housing',
    parent: 'home-safety-rights',
    description: 'Homelessness, tenancy problems, repairs and moving home.',
  },
  {
    code: 'domestic-abuse',
    name: 'Domestic abuse',
    parent: 'home-safety-rights',
    description: 'Confidential support for anyone affected by domestic abuse.',
  },
  {
    code: 'legal-advice',
    name: 'Legal advice',
    parent: 'home-safety-rights',
    description: 'Free or low-cost legal advice, including immigration and employment law.',
  },

  {
    code: 'active-healthy-living',
    name: 'Active and healthy living',
    parent: null,
    description: 'Moving more, eating well and cutting down.',
  },
  {
    code: 'physical-activity',
    name: 'Physical activity',
    parent: 'active-healthy-living',
    description: 'Exercise, sport and movement for every ability.',
  },
  {
    code: 'walking',
    name: 'Walking groups',
    parent: 'physical-activity',
    description: 'Led health walks and walking groups.',
  },
  {
    code: 'healthy-eating-weight',
    name: 'Healthy eating and weight',
    parent: 'active-healthy-living',
    description: 'Cooking, healthy eating and weight management.',
  },
  {
    code: 'substance-use',
    name: 'Substance use',
    parent: 'active-healthy-living',
    description: 'Support with alcohol, drugs and smoking.',
  },

  {
    code: 'learning-creativity',
    name: 'Learning and creativity',
    parent: null,
    description: 'Learning something new and making things.',
  },
  {
    code: 'education-skills',
    name: 'Education and skills',
    parent: 'learning-creativity',
    description: 'Adult learning, English classes and qualifications.',
  },
  {
    code: 'digital-skills',
    name: 'Digital skills',
    parent: 'learning-creativity',
    description: 'Help to get online and use phones, tablets and computers.',
  },
  {
    code: 'arts-creativity',
    name: 'Arts and creativity',
    parent: 'learning-creativity',
    description: 'Singing, crafts, art, writing and performance.',
  },
  {
    code: 'nature-gardening',
    name: 'Nature and gardening',
    parent: 'learning-creativity',
    description: 'Community gardens, conservation and time outdoors.',
  },

  {
    code: 'mental-wellbeing-peer-support',
    name: 'Mental wellbeing and peer support',
    parent: null,
    description: 'Support groups, talking and looking after your mental health.',
  },
  {
    code: 'bereavement',
    name: 'Bereavement',
    parent: 'mental-wellbeing-peer-support',
    description: 'Support after someone has died.',
  },
  {
    code: 'recovery-courses',
    name: 'Recovery courses',
    parent: 'mental-wellbeing-peer-support',
    description: 'Recovery college courses co-produced by people with lived experience.',
  },

  {
    code: 'family-relationships',
    name: 'Family and relationships',
    parent: null,
    description: 'Family life, relationships and caring.',
  },
  {
    code: 'parenting-family',
    name: 'Parenting and family',
    parent: 'family-relationships',
    description: 'Support for parents, children and families.',
  },
  {
    code: 'relationships',
    name: 'Relationships',
    parent: 'family-relationships',
    description: 'Relationship support and counselling.',
  },
  {
    code: 'carers',
    name: 'Carers',
    parent: 'family-relationships',
    description: 'Support for unpaid carers of any age.',
  },

  {
    code: 'food',
    name: 'Food',
    parent: null,
    description: 'Food banks, community fridges, lunch clubs and low-cost meals.',
  },

  {
    code: 'crisis-support',
    name: 'Crisis support',
    parent: null,
    description: 'Help now, when someone is at risk or cannot keep safe.',
    crisis: true,
  },
  {
    code: 'mental-health-crisis',
    name: 'Mental health crisis',
    parent: 'crisis-support',
    description: '24-hour lines and crisis cafés for people in mental health crisis.',
    crisis: true,
  },
]

export const NEED_TAXONOMY: readonly TaxonomyTerm[] = SEED.map((t) => ({
  id: termId(t.code),
  code: t.code,
  name: t.name,
  parentCode: t.parent,
  description: t.description,
  crisis: Boolean(t.crisis),
  taxonomy: NEEDS_TAXONOMY_NAME,
}))

/** The name of a need, by its term id or code; the value itself when it is not a need. */
export function needLabel(idOrCode: string): string {
  return NEED_TAXONOMY.find((t) => t.id === idOrCode || t.code === idOrCode)?.name ?? idOrCode
}

/** The code itself and every ancestor's code, nearest first. Unknown codes give an empty list; cycles stop. */
export function withAncestors(code: string, terms: readonly Pick<TaxonomyTerm, 'code' | 'parentCode'>[]): string[] {
  const byCode = new Map(terms.map((t) => [t.code, t]))
  const out: string[] = []
  let current = byCode.get(code)
  while (current && !out.includes(current.code)) {
    out.push(current.code)
    current = current.parentCode ? byCode.get(current.parentCode) : undefined
  }
  return out
}

/** True when the term or any ancestor is a crisis term. */
export function isCrisis(code: string, terms: readonly TaxonomyTerm[]): boolean {
  const byCode = new Map(terms.map((t) => [t.code, t]))
  return withAncestors(code, terms).some((c) => byCode.get(c)?.crisis)
}
