// Search vocabulary shared by both SearchIndex adapters: the embedded one expands queries with it, the Meilisearch one
// sends it as the index's synonyms and stop words. All entries are lower case; a phrase is words separated by spaces.

/** Words that mean the same here: a search for any one finds listings that use any other. */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['lonely', 'loneliness', 'isolation', 'isolated', 'befriending'],
  ['money', 'money worries', 'debt', 'debts', 'benefits', 'finances', 'financial'],
  ['gp', 'doctor', 'doctors', 'general practice'],
  ['exercise', 'physical activity', 'fitness'],
  ['carer', 'carers', 'caring', 'unpaid carer', 'young carer'],
  ['bereavement', 'bereaved', 'grief', 'grieving'],
  ['counselling', 'counseling', 'talking therapy', 'talking therapies'],
  ['low mood', 'depression', 'depressed'],
  ['anxiety', 'anxious', 'panic'],
  ['mental health', 'emotional wellbeing', 'mental wellbeing'],
  ['wellbeing', 'well-being'],
  ['housing', 'accommodation', 'tenancy'],
  ['homeless', 'homelessness', 'rough sleeping'],
  ['food bank', 'foodbank', 'food parcel', 'food parcels'],
  ['fuel poverty', 'energy bills', 'heating costs'],
  ['older people', 'older adults', 'elderly', 'pensioners'],
  ['young people', 'youth', 'teenagers'],
  ['parents', 'parenting', 'families'],
  ['dementia', 'alzheimers', 'memory loss'],
  ['disability', 'disabled', 'disabilities'],
  ['addiction', 'substance misuse', 'drugs'],
  ['alcohol', 'drinking'],
  ['domestic abuse', 'domestic violence'],
  ['stop smoking', 'quit smoking', 'smoking cessation'],
  ['weight management', 'healthy weight'],
  ['employment', 'jobs', 'job seeking', 'careers advice'],
  ['veterans', 'armed forces', 'ex-forces'],
  ['esol', 'english classes', 'english lessons'],
  ['gardening', 'allotment', 'community garden'],
  ['arts', 'crafts', 'art class'],
]

/** One-way expansions: a search for the key also finds these, but not the other way round. */
export const ONE_WAY_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  walking: ['physical activity'],
  walk: ['physical activity'],
  loss: ['bereavement', 'grief'],
  sport: ['physical activity'],
  swimming: ['physical activity'],
  dancing: ['physical activity'],
  yoga: ['physical activity'],
}

/** Words left out of queries: they would otherwise have to appear in every listing found. */
export const STOP_WORDS: readonly string[] = [
  'a',
  'an',
  'and',
  'at',
  'for',
  'in',
  'my',
  'near',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
]

/** Every word or phrase → what it also finds (not including itself). The shape Meilisearch's synonyms setting takes. */
export function synonymMap(): Record<string, string[]> {
  const map: Record<string, string[]> = {}
  const add = (from: string, to: readonly string[]): void => {
    const list = (map[from] ??= [])
    for (const term of to) if (term !== from && !list.includes(term)) list.push(term)
  }
  for (const group of SYNONYM_GROUPS) for (const term of group) add(term, group)
  for (const [from, to] of Object.entries(ONE_WAY_SYNONYMS)) add(from, to)
  return map
}
