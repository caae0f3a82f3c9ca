// What a form page says back when it refuses what was sent.
import * as cheerio from 'cheerio'

/** The fields the page's NHS.UK error summary links to, in order (`#familyName`, `#dateOfBirth`…). */
export function errorLinks(page: string | cheerio.CheerioAPI): string[] {
  const $ = typeof page === 'string' ? cheerio.load(page) : page
  return $('.nhsuk-error-summary a')
    .map((_, a) => $(a).attr('href'))
    .get()
}
