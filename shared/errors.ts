/**
 * Typed errors with stable names. Use cases and workflow tasks throw them (the ASL catches by
 * name); each adapter turns them into what its caller understands: problem JSON for the API, an
 * error page for the pages, a Catch for the workflow. Names never change once released.
 */

/**
 * What kind of refusal a domain error is, so each adapter can answer it its own way (the API
 * maps kinds to HTTP statuses in one table, the pages to error pages) without the domain knowing
 * about either.
 */
export type DomainErrorKind =
  /** The input has fields that are missing or wrong; `InvalidInputError.fields` names each. */
  | 'invalid-input'
  /** Nobody is signed in, or the credentials are not valid. */
  | 'not-signed-in'
  /** The person may not do this. */
  | 'forbidden'
  /** The thing asked about does not exist (or is not theirs to see). */
  | 'not-found'
  /** The thing is not in a state that allows this: already decided, changed since read. */
  | 'conflict'
  /** Understood, valid, and refused for what it asks (a reused idempotency key). */
  | 'refused'
  /** Saved or half-done, and the rest could not be finished just now: try again later. */
  | 'unavailable';

export class DomainError extends Error {
  readonly kind: DomainErrorKind = 'conflict';
  /** A short heading for the refusal ("Already decided"); adapters show it as a title. */
  readonly title: string;

  constructor(message: string, title?: string) {
    super(message);
    this.title = title ?? 'Request refused';
  }
}

/** One invalid field: its dotted path (`children.0.name`) and what is wrong, in plain words. */
export interface InvalidField {
  field: string;
  message: string;
}

/** The input has invalid fields; every one is named. Nothing was saved. */
export class InvalidInputError extends DomainError {
  override readonly name = 'InvalidInput';
  override readonly kind = 'invalid-input';
  readonly fields: InvalidField[];

  constructor(what: string, fields: InvalidField[]) {
    super(`The ${what} has ${fields.length} invalid field(s)`, 'Invalid request');
    this.fields = fields;
  }
}

export class CaseNotFoundError extends DomainError {
  override readonly name = 'CaseNotFound';
  override readonly kind = 'not-found';
  constructor(caseId: string) {
    super(`No case with id ${caseId}`, 'Not found');
  }
}

/** Someone else changed the record since it was read; re-read and try again. */
export class StaleWriteError extends DomainError {
  override readonly name = 'StaleWrite';
  override readonly kind = 'conflict';
}

/** The same change (same idempotency key or same record id) was already written. */
export class DuplicateWriteError extends DomainError {
  override readonly name = 'DuplicateWrite';
  override readonly kind = 'conflict';
}

/** A request the domain refuses: wrong state, already decided, and so on. */
export class ConflictError extends DomainError {
  override readonly name = 'Conflict';
  override readonly kind = 'conflict';
}

/** Valid and understood, but refused for what it asks. */
export class RefusedError extends DomainError {
  override readonly name = 'Refused';
  override readonly kind = 'refused';
}

export class NotSignedInError extends DomainError {
  override readonly name = 'NotSignedIn';
  override readonly kind = 'not-signed-in';
  constructor(message = 'Sign in to use this service') {
    super(message, 'Unauthorized');
  }
}

export class ForbiddenError extends DomainError {
  override readonly name = 'Forbidden';
  override readonly kind = 'forbidden';
  constructor(message: string) {
    super(message, 'Forbidden');
  }
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFound';
  override readonly kind = 'not-found';
  constructor(message: string) {
    super(message, 'Not found');
  }
}

/** Part of the work is saved; the rest could not be done just now and can be asked for again. */
export class UnavailableError extends DomainError {
  override readonly name = 'Unavailable';
  override readonly kind = 'unavailable';
}

/** A required setting is missing or malformed: fail at cold start, not on first use. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}
