/**
 * Typed errors with stable names. Workflow tasks throw them (the ASL catches by name);
 * HTTP handlers map them to problem JSON. Names never change once released.
 */
export class DomainError extends Error {
  /** HTTP status an API handler answers with when this error reaches it. */
  readonly status: number = 500;
}

export class CaseNotFoundError extends DomainError {
  override readonly name = 'CaseNotFound';
  override readonly status = 404;
  constructor(caseId: string) {
    super(`No case with id ${caseId}`);
  }
}

/** Someone else changed the record since it was read; re-read and try again. */
export class StaleWriteError extends DomainError {
  override readonly name = 'StaleWrite';
  override readonly status = 409;
}

/** The same change (same idempotency key or same record id) was already written. */
export class DuplicateWriteError extends DomainError {
  override readonly name = 'DuplicateWrite';
  override readonly status = 409;
}

/** A request the domain refuses: wrong state, already decided, and so on. */
export class ConflictError extends DomainError {
  override readonly name = 'Conflict';
  override readonly status = 409;
}

export class ForbiddenError extends DomainError {
  override readonly name = 'Forbidden';
  override readonly status = 403;
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFound';
  override readonly status = 404;
}

/** A required setting is missing or malformed: fail at cold start, not on first use. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}
