/**
 * Domain errors carry an HTTP status and a machine-readable code; the express error
 * handler (http/error-handler.ts) is the one place that turns them into JSON.
 */
export type ErrorCode =
  | 'invalid_argument'
  | 'unauthenticated'
  | 'permission_denied'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'failed_precondition'
  | 'unavailable'
  | 'internal';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: names the offending field in `details.field`. */
export class ValidationError extends AppError {
  constructor(readonly field: string, message: string, details: Record<string, unknown> = {}) {
    super(400, 'invalid_argument', message, { field, ...details });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'missing or invalid bearer token') {
    super(401, 'unauthenticated', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(required: string, actual: string) {
    super(403, 'permission_denied', `this operation needs role '${required}', the caller has '${actual}'`, { required_role: required });
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super(404, 'not_found', `${what} '${id}' was not found`, { [what]: id });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(409, 'conflict', message, details);
  }
}

export class PreconditionError extends AppError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(412, 'failed_precondition', message, details);
  }
}

export class UnavailableError extends AppError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(503, 'unavailable', message, details);
  }
}

/** One bad row of an import: line numbers are 1-based lines of the input file. */
export interface RowIssue {
  line: number;
  field: string;
  message: string;
}

export class ImportValidationError extends AppError {
  constructor(readonly issues: RowIssue[]) {
    super(400, 'invalid_argument', `${issues.length} bad row(s); nothing was imported`, {
      field: issues[0]?.field,
      issues: issues.slice(0, 100),
    });
  }
}
