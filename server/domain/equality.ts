// Equality monitoring categories asked of a person, as the referral form offers them and reports group them.

export const ETHNICITIES = [
  'Asian or Asian British',
  'Black, Black British, Caribbean or African',
  'Mixed or multiple ethnic groups',
  'White British',
  'White (other)',
  'Other ethnic group',
  'Prefer not to say',
] as const
export const SEXES = ['Female', 'Male', 'Prefer not to say'] as const
