// {{formatDate value}} → "4 March 2026" in UK time; {{formatDate value "datetime"}} adds the time. Empty for no date.
const formats = {
  date: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }),
  datetime: new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/London',
  }),
}

export function formatDate(value: unknown, ...rest: unknown[]): string {
  const style = rest.length > 1 && rest[0] === 'datetime' ? 'datetime' : 'date'
  if (value === null || value === undefined || value === '') return ''
  const date = value instanceof Date ? value : new Date(String(value))
  if (Number.isNaN(date.getTime())) return ''
  return formats[style].format(date)
}
