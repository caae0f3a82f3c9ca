// Forms: parse with the form's zod schema and, on invalid input, re-render the same page with status 400, the NHS.UK
// error summary (errorList: one message per field, in the order the fields appear on the page, each linking to its
// field), the field messages (errors) and the typed values. JSON endpoints use parseForm and answer the field errors.
import type { Response } from 'express'
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

export interface FormErrors {
  errors: FieldErrors
  errorList: ErrorListItem[]
}

export function toFormErrors(fields: FieldErrors, order: readonly string[] = []): FormErrors {
  return { errors: fields, errorList: errorList(fields, order) }
}

export type Parsed<T> = { ok: true; data: T } | ({ ok: false } & FormErrors)

/** Parses a form body; the summary lists fields in the order the schema declares them. */
export function parseFormPage<S extends z.ZodObject>(schema: S, body: unknown): Parsed<z.output<S>> {
  const result = parseForm(schema, body ?? {})
  if (result.ok) return { ok: true, data: result.value }
  return { ok: false, ...toFormErrors(result.errors, Object.keys(schema.shape)) }
}

/** Re-renders a form page with its errors (status 400 unless told). */
export function renderInvalid(
  res: Response,
  view: string,
  locals: Record<string, unknown>,
  errors: FormErrors,
  status = 400,
): void {
  res.status(status).render(view, { ...locals, ...errors })
}

/** A form field that may arrive as one string or several (checkboxes), as a list. */
export function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return typeof value === 'string' && value !== '' ? [value] : []
}
