// Hand-written building blocks for the demo directory: the London Borough of Barnet, its venues, fictional
// organisations and service templates for every need, kept as data in blocks.json and checked here when loaded.
// generate.ts combines them deterministically.
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { ACCESS_ROUTES, DELIVERY_MODES } from '../../domain/directory-vocabulary'

export const BOROUGH = { name: 'Barnet', region: 'London', council: 'London Borough of Barnet' } as const

const venueSchema = z.strictObject({
  key: z.string(),
  name: z.string(),
  address_1: z.string(),
  area: z.string(),
  /** Postcodes and coordinates match server/data/demo/postcodes.csv. */
  postcode: z.string(),
  lat: z.number(),
  lon: z.number(),
  accessibility: z.array(z.string()),
})
export type Venue = z.infer<typeof venueSchema>

const organizationSchema = z.strictObject({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  charity: z.string().optional(),
})
export type OrganizationBlock = z.infer<typeof organizationSchema>

const COST_KINDS = ['free', 'fee', 'mixed', 'donation', 'membership', 'any'] as const
const SCHEDULE_KINDS = [
  'weekly',
  'weekly-evening',
  'twice-weekly',
  'weekdays',
  'monthly',
  'appointment',
  'always',
] as const
export type CostKind = (typeof COST_KINDS)[number]
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number]

const templateSchema = z.strictObject({
  need: z.string(),
  extraNeeds: z.array(z.string()).optional(),
  org: z.string(),
  /** {area} and {venue} are filled in. */
  name: z.string(),
  description: z.string(),
  keywords: z.array(z.string()),
  modes: z.array(z.enum(DELIVERY_MODES)).optional(),
  cost: z.enum(COST_KINDS).optional(),
  schedule: z.enum(SCHEDULE_KINDS).optional(),
  access: z.array(z.enum(ACCESS_ROUTES)).optional(),
  /** False: signpost-only. Default: true when professional referral is an access route. */
  referrals: z.boolean().optional(),
  ageMin: z.number().optional(),
  ageMax: z.number().optional(),
  who: z.string().optional(),
  /** Community languages offered besides English. */
  languages: z.array(z.string()).optional(),
  area: z.enum(['local', 'borough', 'national']).optional(),
  /** Only at these venue keys (otherwise any). */
  venues: z.array(z.string()).optional(),
})
export type ServiceTemplate = z.infer<typeof templateSchema>

const blocksSchema = z.strictObject({
  venues: z.array(venueSchema),
  organizations: z.array(organizationSchema),
  templates: z.array(templateSchema),
  /**
   * Listings in community languages that the templates do not offer, each at one venue with a fixed name, added to
   * the demo directory after everything else so that the rest of it stays as it was. They are always open and
   * recently checked, so that searching a language's name ("bengali", "sylheti", "ukrainian") finds them.
   */
  communityLanguageServices: z.array(templateSchema.extend({ key: z.string(), venue: z.string() })),
})

const BLOCKS = blocksSchema.parse(JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'blocks.json'), 'utf8')))

export const VENUES: readonly Venue[] = BLOCKS.venues
export const ORGANIZATIONS: readonly OrganizationBlock[] = BLOCKS.organizations
export const TEMPLATES: readonly ServiceTemplate[] = BLOCKS.templates
export const COMMUNITY_LANGUAGE_SERVICES: readonly (ServiceTemplate & { key: string; venue: string })[] =
  BLOCKS.communityLanguageServices
