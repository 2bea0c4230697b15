import "server-only";

// Every rule violation the API can report, with its HTTP status. Route
// handlers never pick statuses themselves; server/http.ts maps these.
export const ERROR_STATUS = {
  INVALID_JSON: 400,
  UNAUTHENTICATED: 401,
  WRONG_PASSWORD: 401,
  CROSS_ORIGIN: 403,
  NOT_FOUND: 404,
  NO_PENDING_REQUEST: 404,
  LINK_INVALID: 404,
  PHONE_TAKEN: 409,
  EMAIL_TAKEN: 409,
  SAME_EMAIL: 409,
  LINK_USED: 409,
  LINK_EXPIRED: 410,
  LINK_SUPERSEDED: 410,
  LINK_CANCELLED: 410,
  REQUEST_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_INPUT: 422,
  INVALID_EMAIL: 422,
  LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type ErrorBody = {
  error: { code: ErrorCode; message: string; fields?: Record<string, string>; [extra: string]: unknown };
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  /** Extra members of the error object, e.g. `attemptsLeft`. */
  readonly extra?: Record<string, unknown>;
  /** Seconds, for 423/429 answers. */
  readonly retryAfter?: number;

  constructor(
    code: ErrorCode,
    message: string,
    options: { fields?: Record<string, string>; extra?: Record<string, unknown>; retryAfter?: number } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fields = options.fields;
    this.extra = options.extra;
    this.retryAfter = options.retryAfter;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.fields && { fields: this.fields }), ...this.extra },
    };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
