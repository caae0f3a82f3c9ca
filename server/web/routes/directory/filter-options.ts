// The filter column's lists (the need options and each group of checkboxes) as HTML, written by one function rather
// than by the page template, as the result cards are (result-card.ts): about a hundred options a page through the
// Handlebars runtime were most of a results page's rendering after the cards. The markup is the NHS.UK checkboxes and
// select the template held; every value is escaped by Handlebars' own escapeExpression, as {{value}} would be.
import Handlebars from 'handlebars'
import type { FilterOption, presentFilters } from './directory.presenter'

const escape = Handlebars.Utils.escapeExpression

type Filters = ReturnType<typeof presentFilters>

/** A small group of checkboxes for one filter; nothing when it has no options. */
export function checkboxesHtml(name: string, legend: string, items: readonly FilterOption[]): string {
  if (items.length === 0) return ''
  const id = escape(name)
  let html =
    `<div class="nhsuk-form-group">\n<fieldset class="nhsuk-fieldset">\n` +
    `<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">${escape(legend)}</legend>\n` +
    `<div class="nhsuk-checkboxes nhsuk-checkboxes--small" data-module="nhsuk-checkboxes">\n`
  for (const item of items) {
    const value = escape(item.value)
    html +=
      `<div class="nhsuk-checkboxes__item">\n` +
      `<input class="nhsuk-checkboxes__input" id="${id}-${value}" name="${id}" type="checkbox" value="${value}"${item.checked ? ' checked' : ''}>\n` +
      `<label class="nhsuk-label nhsuk-checkboxes__label" for="${id}-${value}">${escape(item.label)} <span class="app-count">(${item.count})</span></label>\n` +
      `</div>\n`
  }
  return `${html}</div>\n</fieldset>\n</div>\n`
}

/** The need select's option groups, each option with its count. */
export function needOptionsHtml(groups: Filters['needGroups']): string {
  let html = ''
  for (const group of groups) {
    html += `<optgroup label="${escape(group.label)}">`
    for (const option of group.options) {
      html += `<option value="${escape(option.value)}"${option.selected ? ' selected' : ''}>${escape(option.label)} (${option.count})</option>`
    }
    html += '</optgroup>\n'
  }
  return html
}

/** Every list of the filter column, for the page template to write as it is. */
export function filterOptionsHtml(filters: Filters) {
  return {
    needOptions: needOptionsHtml(filters.needGroups),
    day: checkboxesHtml('day', 'Day', filters.days),
    time: checkboxesHtml('time', 'Time of day', filters.times),
    language: checkboxesHtml('language', 'Language', filters.languages),
    access: checkboxesHtml('access', 'Accessibility', filters.accessibility),
    mode: checkboxesHtml('mode', 'How it is delivered', filters.modes),
    route: checkboxesHtml('route', 'How to get in', filters.routes),
    capacity: checkboxesHtml('capacity', 'Availability', filters.capacities),
  }
}
