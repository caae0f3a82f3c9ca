// Our OpenAPI document for the Open Referral UK API. Response schemas are referenced from the UK profile
// (github.com/OpenReferralUK/uk-profile, © Open Referral UK, CC BY-SA 4.0), as the profile's own document does,
// rather than copied here, so the app never depends on ../shared.
const PROFILE =
  'https://raw.githubusercontent.com/tpximpact/OpenReferralApi/refs/heads/main/OpenReferralApi/Schemas/V3.0-UK'

const param = (name: string, description: string, type: 'string' | 'integer' | 'boolean' | 'number' = 'string') => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type },
})

const PAGE = [
  param('page', 'Page number, from 1.', 'integer'),
  param('per_page', 'Results a page, 1 to 100 (default 50).', 'integer'),
]

const json = (description: string, schema: unknown) => ({
  description,
  content: { 'application/json': { schema } },
})

const paged = (description: string, item: string) =>
  json(description, {
    allOf: [{ $ref: '#/components/schemas/Page' }],
    properties: { contents: { type: 'array', items: { $ref: `${PROFILE}/${item}` } } },
  })

const ERRORS = {
  '400': json('Invalid query parameters, with a message for each.', { $ref: '#/components/schemas/Error' }),
  '404': json('Not found (or not public).', { $ref: '#/components/schemas/Error' }),
  '429': json('Too many requests: wait a minute.', { $ref: '#/components/schemas/Error' }),
}

/** Reading one record by its id: the record as the profile's schema `item` describes it, or an error. */
const byId = (summary: string, description: string, item: string) => ({
  get: {
    summary,
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
    responses: { '200': json(description, { $ref: `${PROFILE}/${item}` }), ...ERRORS },
  },
})

export function openApiDocument(baseUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Loopwell directory: Open Referral UK API',
      version: 'HSDS-UK-3.0',
      description:
        'Public, approved listings of this Loopwell directory in the Open Referral UK profile of HSDS 3.0. Open, no key, ' +
        'rate limited per client address. Schemas: Open Referral UK (CC BY-SA 4.0). Fields HSDS has no place for ' +
        '(delivery modes, referral routes, capacity) are in a `loopwell` object.',
      license: { name: 'MIT (software); listing data as published by each organisation', identifier: 'MIT' },
    },
    servers: [{ url: baseUrl }],
    paths: {
      '/': {
        get: {
          summary: 'About this API',
          responses: { '200': json('Details', { $ref: `${PROFILE}/api_details.json` }) },
        },
      },
      '/services': {
        get: {
          summary: 'Services, paged',
          parameters: [
            param('search', 'Words to search for (typos forgiven).'),
            ...PAGE,
            param('taxonomy_term_id', 'Services with this taxonomy term (or a child of it).'),
            param('taxonomy_id', 'Services with any term of this taxonomy.'),
            param('organization_id', 'Services of this organization.'),
            param('modified_after', 'Changed on or after this date and time (ISO 8601).'),
            param('minimal', 'Only id, name, status and last_modified.', 'boolean'),
            param('full', 'Fully nested services.', 'boolean'),
          ],
          responses: { '200': paged('A page of services', 'service_list.json'), ...ERRORS },
        },
      },
      '/services/{id}': byId('One service, fully nested', 'The service', 'service.json'),
      '/taxonomies': {
        get: { summary: 'Taxonomies', parameters: PAGE, responses: { '200': paged('Taxonomies', 'taxonomy.json') } },
      },
      '/taxonomy_terms': {
        get: {
          summary: 'Taxonomy terms',
          parameters: [
            ...PAGE,
            param('parent_id', 'Children of this term.'),
            param('taxonomy_id', 'Terms of this taxonomy.'),
            param('top_only', 'Only terms without a parent.', 'boolean'),
          ],
          responses: { '200': paged('Taxonomy terms', 'taxonomy_term.json'), ...ERRORS },
        },
      },
      '/organizations': {
        get: {
          summary: 'Organizations',
          parameters: [param('search', 'Part of the name.'), ...PAGE],
          responses: { '200': paged('Organizations', 'organization_list.json'), ...ERRORS },
        },
      },
      '/organizations/{id}': byId('One organization with its public services', 'The organization', 'organization.json'),
      '/service_at_locations': {
        get: {
          summary: 'Services at locations, nearest first with a postcode',
          parameters: [
            param('search', 'Words to search for.'),
            ...PAGE,
            param('postcode', 'A UK postcode or outward code: results nearest first.'),
            param('proximity', 'With postcode: only within this many metres.', 'number'),
          ],
          responses: {
            '200': paged('Services at locations (total_items counts services)', 'service_at_location.json'),
            ...ERRORS,
          },
        },
      },
    },
    components: {
      schemas: {
        Page: {
          type: 'object',
          required: ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty'],
          properties: {
            total_items: { type: 'integer' },
            total_pages: { type: 'integer' },
            page_number: { type: 'integer' },
            size: { type: 'integer' },
            first_page: { type: 'boolean' },
            last_page: { type: 'boolean' },
            empty: { type: 'boolean' },
          },
        },
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: { type: 'string' },
            errors: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
      },
    },
  }
}
