// Handlers of the Open Referral UK API: query parameters checked by the zod schemas (400 with field errors), then
// the service's answer as JSON in the profile's shapes.
import type { Request, RequestHandler } from 'express'
import type { z } from 'zod'
import type { Services } from '../../../container'
import { NotFoundError, ValidationError } from '../../../errors'
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

function query<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) throw new ValidationError(fieldErrorsFromZod(parsed.error))
  return parsed.data
}

/** A record's id from the path, lower-cased; anything but a UUID is a record that does not exist. */
function idParam(req: Request, name: string, notFound: string): string {
  const id = String(req.params[name])
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError(notFound)
  return id.toLowerCase()
}

/** `base` is the API's public address, for the links the answers carry. */
export function orukController({ oruk }: Pick<Services, 'oruk'>, base: string) {
  const root: RequestHandler = (_req, res) => {
    res.json({ version: 'HSDS-UK-3.0', profile: ORUK_PROFILE_URL, openapi_url: `${base}/openapi.json` })
  }

  const openApi: RequestHandler = (_req, res) => {
    res.json(openApiDocument(base))
  }

  const listServices: RequestHandler = async (req, res) => {
    const q = query(servicesQuerySchema, req.query)
    res.json(
      await oruk.listServices({
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
  }

  const getService: RequestHandler = async (req, res) => {
    res.json(await oruk.getService(idParam(req, 'id', 'Service not found')))
  }

  const listTaxonomies: RequestHandler = async (req, res) => {
    const q = query(pageSchema, req.query)
    res.json(await oruk.listTaxonomies({ page: q.page, perPage: q.per_page }))
  }

  const listTaxonomyTerms: RequestHandler = async (req, res) => {
    const q = query(taxonomyTermsQuerySchema, req.query)
    res.json(
      await oruk.listTaxonomyTerms({
        page: q.page,
        perPage: q.per_page,
        parentId: q.parent_id,
        topOnly: q.top_only,
        taxonomyId: q.taxonomy_id,
      }),
    )
  }

  const listOrganizations: RequestHandler = async (req, res) => {
    const q = query(organizationsQuerySchema, req.query)
    res.json(await oruk.listOrganizations({ page: q.page, perPage: q.per_page, search: q.search }))
  }

  const getOrganization: RequestHandler = async (req, res) => {
    res.json(await oruk.getOrganization(idParam(req, 'organizationId', 'Organization not found')))
  }

  const listServiceAtLocations: RequestHandler = async (req, res) => {
    const q = query(serviceAtLocationsQuerySchema, req.query)
    res.json(
      await oruk.listServiceAtLocations({
        page: q.page,
        perPage: q.per_page,
        search: q.search,
        postcode: q.postcode,
        proximity: q.proximity,
      }),
    )
  }

  return {
    root,
    openApi,
    listServices,
    getService,
    listTaxonomies,
    listTaxonomyTerms,
    listOrganizations,
    getOrganization,
    listServiceAtLocations,
  }
}
