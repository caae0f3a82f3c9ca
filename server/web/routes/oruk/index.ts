// The Open Referral UK API under /api/oruk: open (no key, no session, no CSRF), rate limited on its own, and every
// answer (errors too) sends Access-Control-Allow-Origin: *. Mounted before sessions, so API calls never set cookies.
import { Router, type RequestHandler } from 'express'
import { rateLimit } from 'express-rate-limit'
import type { z } from 'zod'
import type { Services } from '../../../container'
import { NotFoundError, TooManyRequestsError, ValidationError } from '../../../errors'
import { paths } from '../../../paths'
import { authorise } from '../../access'
import { fieldErrorsFromZod } from '../../form-page'
import { openApiDocument } from './openapi'
import {
  organizationsQuerySchema,
  pageSchema,
  serviceAtLocationsQuerySchema,
  servicesQuerySchema,
  taxonomyTermsQuerySchema,
} from './oruk.schemas'

export const ORUK_PROFILE_URL = 'https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md'

const cors: RequestHandler = (_req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*')
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin')
  res.setHeader('Cache-Control', 'public, max-age=60')
  next()
}

function query<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) throw new ValidationError(fieldErrorsFromZod(parsed.error))
  return parsed.data
}

export function orukRouter(services: Services, options: { perMinute: number; publicUrl: string }): Router {
  const router = Router()
  const base = `${options.publicUrl}${paths.orukRoot}`
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: options.perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(new TooManyRequestsError('You have made too many requests. Wait a minute and try again.')),
  })
  const access = authorise()
  // Applied here (not mounted at a path) so the access table sees the whole path.
  const isApi = (p: string) => p === paths.orukRoot || p.startsWith(`${paths.orukRoot}/`)
  for (const middleware of [cors, limiter, access]) {
    router.use((req, res, next) => (isApi(req.path) ? middleware(req, res, next) : next()))
  }

  router.get(paths.orukRoot, (_req, res) => {
    res.json({ version: 'HSDS-UK-3.0', profile: ORUK_PROFILE_URL, openapi_url: `${base}/openapi.json` })
  })

  router.get(paths.orukOpenApi, (_req, res) => {
    res.json(openApiDocument(base))
  })

  router.get(paths.orukServices, async (req, res) => {
    const q = query(servicesQuerySchema, req.query)
    res.json(
      await services.oruk.listServices({
        page: q.page,
        perPage: q.per_page,
        search: q.search,
        taxonomyTermId: q.taxonomy_term_id,
        taxonomyId: q.taxonomy_id,
        organizationId: q.organization_id,
        modifiedAfter: q.modified_after,
        minimal: q.minimal,
        full: q.full,
      }),
    )
  })

  router.get(paths.orukService, async (req, res) => {
    const id = String(req.params.id)
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('Service not found')
    res.json(await services.oruk.getService(id.toLowerCase()))
  })

  router.get(paths.orukTaxonomies, async (req, res) => {
    const q = query(pageSchema, req.query)
    res.json(await services.oruk.listTaxonomies({ page: q.page, perPage: q.per_page }))
  })

  router.get(paths.orukTaxonomyTerms, async (req, res) => {
    const q = query(taxonomyTermsQuerySchema, req.query)
    res.json(
      await services.oruk.listTaxonomyTerms({
        page: q.page,
        perPage: q.per_page,
        parentId: q.parent_id,
        topOnly: q.top_only,
        taxonomyId: q.taxonomy_id,
      }),
    )
  })

  router.get(paths.orukOrganizations, async (req, res) => {
    const q = query(organizationsQuerySchema, req.query)
    res.json(await services.oruk.listOrganizations({ page: q.page, perPage: q.per_page, search: q.search }))
  })

  router.get(paths.orukOrganization, async (req, res) => {
    const id = String(req.params.organizationId)
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('Organization not found')
    res.json(await services.oruk.getOrganization(id.toLowerCase()))
  })

  router.get(paths.orukServiceAtLocations, async (req, res) => {
    const q = query(serviceAtLocationsQuerySchema, req.query)
    res.json(
      await services.oruk.listServiceAtLocations({
        page: q.page,
        perPage: q.per_page,
        search: q.search,
        postcode: q.postcode,
        proximity: q.proximity,
      }),
    )
  })

  return router
}
