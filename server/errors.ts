// Typed errors thrown by services and mapped to a status, a page and a log level by one error handler.

export type FieldErrors = Record<string, string>

export class AppError extends Error {
  readonly status: number = 500
  /** Whether the message is safe to show to the user. */
  readonly expose: boolean = false
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

export class NotFoundError extends AppError {
  override readonly status = 404
  override readonly expose = true
  constructor(message = 'Page not found') {
    super(message)
  }
}

export class ForbiddenError extends AppError {
  override readonly status = 403
  override readonly expose = true
  constructor(message = 'You do not have permission to do that') {
    super(message)
  }
}

export class UnauthenticatedError extends AppError {
  override readonly status = 401
  override readonly expose = true
  constructor(message = 'Sign in to continue') {
    super(message)
  }
}

export class ConflictError extends AppError {
  override readonly status = 409
  override readonly expose = true
}

export class BadRequestError extends AppError {
  override readonly status = 400
  override readonly expose = true
}

export class TooManyRequestsError extends AppError {
  override readonly status = 429
  override readonly expose = true
}

/** Invalid input: carries one message per field, in the order the fields appear on the form. */
export class ValidationError extends AppError {
  override readonly status = 400
  override readonly expose = true
  constructor(
    readonly fields: FieldErrors,
    message = 'There is a problem',
  ) {
    super(message)
  }
}

export class ServiceUnavailableError extends AppError {
  override readonly status = 503
  override readonly expose = true
}
