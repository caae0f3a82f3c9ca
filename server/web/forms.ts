// Turning zod issues and ValidationErrors into what an NHS.UK form shows: one message per field, and a summary list
// in the order the fields appear on the page, each linking to its field.
import type { z } from 'zod'
import type { FieldErrors } from '../errors'

export interface ErrorListItem {
  field: string
  text: string
}

/** First message per field (nested paths joined with "-", matching element ids such as "dob-day"). */
export function fieldErrorsFromZod(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {}
  for (const issue of error.issues) {
    const field = issue.path.length ? issue.path.filter((p) => typeof p !== 'number').join('-') : 'form'
    fields[field] ??= issue.message
  }
  return fields
}

export function errorList(fields: FieldErrors, order: readonly string[] = []): ErrorListItem[] {
  const rank = (f: string) => {
    const i = order.indexOf(f)
    return i === -1 ? order.length : i
  }
  return Object.entries(fields)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([field, text]) => ({ field, text }))
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors }

export function parseForm<S extends z.ZodType>(schema: S, input: unknown): FormResult<z.infer<S>> {
  const result = schema.safeParse(input)
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: fieldErrorsFromZod(result.error) }
}
