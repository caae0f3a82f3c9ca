// A results page's cards as HTML, written by one function rather than by the page template: twenty cards through the
// Handlebars runtime (a helper call per {{#if}}, a property lookup and an escape per value) were the largest part of
// rendering a results page. The markup is the card the template held; every value is escaped by Handlebars' own
// escapeExpression, as {{value}} would be.
import Handlebars from 'handlebars'
import type { presentResult } from './directory.presenter'

const escape = Handlebars.Utils.escapeExpression

export type ResultCard = ReturnType<typeof presentResult>

export function resultCardHtml(card: ResultCard): string {
  const tags =
    (card.crisis ? '<strong class="nhsuk-tag nhsuk-tag--red">Crisis support</strong>' : '') +
    (card.temporarilyClosed ? '<strong class="nhsuk-tag nhsuk-tag--orange">Temporarily closed</strong>' : '') +
    `<strong class="nhsuk-tag ${escape(card.capacity.tag ?? '')}">${escape(card.capacity.label ?? '')}</strong>` +
    (card.signpostOnly ? '<strong class="nhsuk-tag nhsuk-tag--white">Signpost only</strong>' : '')
  const stale = card.stale ? ' <strong class="app-stale">Not recently checked: details may be out of date</strong>' : ''
  return (
    `<li class="app-result">\n` +
    `<h3 class="nhsuk-heading-s app-result__name"><a href="${escape(card.href)}">${escape(card.name)}</a></h3>\n` +
    `<p class="nhsuk-body-s nhsuk-u-secondary-text-colour app-result__org">${escape(card.organizationName)}</p>\n` +
    `<p class="app-result__tags">${tags}</p>\n` +
    `<p class="nhsuk-body-s">${escape(card.summary)}</p>\n` +
    `<dl class="nhsuk-body-s app-result__facts">` +
    (card.distance ? `<div><dt>Distance</dt><dd>${escape(card.distance)}</dd></div>` : '') +
    (card.nextOpening ? `<div><dt>Next session</dt><dd>${escape(card.nextOpening)}</dd></div>` : '') +
    `<div><dt>Cost</dt><dd>${escape(card.cost)}</dd></div>` +
    `<div><dt>Last checked</dt><dd>${escape(card.lastChecked)}${stale}</dd></div>` +
    `</dl>\n</li>\n`
  )
}

/** The cards of a page, one string for the template to write as it is. */
export function resultCardsHtml(cards: readonly ResultCard[]): string {
  let html = ''
  for (const card of cards) html += resultCardHtml(card)
  return html
}
