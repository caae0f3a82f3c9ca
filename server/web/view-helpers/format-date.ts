// {{formatDate value}} → "4 March 2026" in UK time; {{formatDate value "datetime"}} adds the time. Empty for no date.
import { formatDate as dateOnly, formatDateTime } from '../../services/dates'

export function formatDate(value: unknown, ...rest: unknown[]): string {
  return rest.length > 1 && rest[0] === 'datetime' ? formatDateTime(value) : dateOnly(value)
}
