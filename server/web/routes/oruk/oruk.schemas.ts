// Query parameters of the Open Referral UK API. Invalid values answer 400 with field errors (JSON).
import { z } from 'zod'
import { ORUK_DEFAULT_PER_PAGE, ORUK_MAX_PER_PAGE } from '../../../services/oruk.service'

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v)
const flag = z
  .preprocess(one, z.enum(['true', 'false', '1', '0']).optional())
  .transform((v) => v === 'true' || v === '1')
const text = z.preprocess(one, z.string().trim().max(200).optional())
const uuid = z.preprocess(one, z.uuid('Must be a UUID').optional())

export const pageSchema = z.object({
  page: z.preprocess(one, z.coerce.number().int('Must be a whole number').min(1).max(100_000).default(1)),
  per_page: z.preprocess(
    one,
    z.coerce.number().int('Must be a whole number').min(1).max(ORUK_MAX_PER_PAGE).default(ORUK_DEFAULT_PER_PAGE),
  ),
})

export const servicesQuerySchema = pageSchema.extend({
  search: text,
  taxonomy_term_id: uuid,
  taxonomy_id: uuid,
  organization_id: uuid,
  modified_after: z.preprocess(one, z.coerce.date('Must be a date and time, like 2026-01-31T09:00:00Z').optional()),
  minimal: flag,
  full: flag,
})

export const taxonomyTermsQuerySchema = pageSchema.extend({
  parent_id: uuid,
  taxonomy_id: uuid,
  top_only: flag,
})

export const organizationsQuerySchema = pageSchema.extend({ search: text })

export const serviceAtLocationsQuerySchema = pageSchema.extend({
  search: text,
  postcode: z.preprocess(one, z.string().trim().max(10).optional()),
  proximity: z.preprocess(one, z.coerce.number().positive('Must be a distance in metres').max(1_000_000).optional()),
})
