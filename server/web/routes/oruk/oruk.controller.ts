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

type Camel<S extends string> = S extends `${infer A}_${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S

/** The profile's snake_case query names as the service's camelCase parameters (per_page → perPage). */
function camelKeys<T extends object>(query: T): { [K in keyof T as Camel<K & string>]: T[K] } {
  return Object.fromEntries(
    Object.entries(query).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]),
  ) as { [K in keyof T as Camel<K & string>]: T[K] }
}

/** `base` is the API's public address, for the links the answers carry. */
export function orukController({ oruk }: Pick<Services, 'oruk'>, base: string) {
  /** A list endpoint: the query checked by `schema`, answered by `list` with its parameters. */
  const list =
    <S extends z.ZodType<object>>(
      schema: S,
      answer: (params: ReturnType<typeof camelKeys<z.infer<S>>>) => Promise<unknown>,
    ): RequestHandler =>
    async (req, res) => {
      res.json(await answer(camelKeys(query(schema, req.query))))
    }

  return {
    root: ((_req, res) => {
      res.json({ version: 'HSDS-UK-3.0', profile: ORUK_PROFILE_URL, openapi_url: `${base}/openapi.json` })
    }) satisfies RequestHandler,
    openApi: ((_req, res) => {
      res.json(openApiDocument(base))
    }) satisfies RequestHandler,
    listServices: list(servicesQuerySchema, (p) => oruk.listServices(p)),
    getService: (async (req, res) => {
      res.json(await oruk.getService(idParam(req, 'id', 'Service not found')))
    }) satisfies RequestHandler,
    listTaxonomies: list(pageSchema, (p) => oruk.listTaxonomies(p)),
    listTaxonomyTerms: list(taxonomyTermsQuerySchema, (p) => oruk.listTaxonomyTerms(p)),
    listOrganizations: list(organizationsQuerySchema, (p) => oruk.listOrganizations(p)),
    getOrganization: (async (req, res) => {
      res.json(await oruk.getOrganization(idParam(req, 'organizationId', 'Organization not found')))
    }) satisfies RequestHandler,
    listServiceAtLocations: list(serviceAtLocationsQuerySchema, (p) => oruk.listServiceAtLocations(p)),
  }
}
