// Form pages: parse with the form's zod schema (forms.ts) and, on invalid input, re-render the same page with status
// 400, the NHS.UK error summary (errorList) linking to each field, the field messages (errors) and the typed values.
import type { Response } from 'express'
import type { z } from 'zod'
import type { FieldErrors } from '../errors'
import { errorList, parseForm, type ErrorListItem } from './forms'

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
