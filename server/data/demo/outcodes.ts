// Postcode districts used by the synthetic data.

/** Postcode districts of the demo area (Barnet). */
export const OUTCODES = [
  'EN4',
  'EN5',
  'HA8',
  'N2',
  'N3',
  'N11',
  'N12',
  'N14',
  'N20',
  'NW2',
  'NW4',
  'NW7',
  'NW9',
  'NW11',
]
