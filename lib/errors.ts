// Every rule violation the API can report, with its HTTP status: the error
// half of the API contract. Errors always leave as `ErrorBody`; the server's
// AppError carries one of these codes, and only server/http maps it to a status.
export const ERROR_STATUS = {
  INVALID_JSON: 400,
  UNAUTHENTICATED: 401,
  WRONG_PASSWORD: 401,
  CROSS_ORIGIN: 403,
  OWNER_SESSION_REQUIRED: 403,
  NOT_FOUND: 404,
  NO_PENDING_REQUEST: 404,
  LINK_INVALID: 404,
  RECIPIENT_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PHONE_TAKEN: 409,
  EMAIL_TAKEN: 409,
  SAME_EMAIL: 409,
  LINK_USED: 409,
  SELF_TRANSFER: 409,
  INSUFFICIENT_FUNDS: 409,
  WALLET_NOT_EMPTY: 409,
  SCHEDULE_NOT_ACTIVE: 409,
  SCHEDULE_LIMIT_REACHED: 409,
  LINK_EXPIRED: 410,
  LINK_SUPERSEDED: 410,
  LINK_CANCELLED: 410,
  REQUEST_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_INPUT: 422,
  INVALID_EMAIL: 422,
  LOCKED: 423,
  COOLING_OFF: 423,
  RATE_LIMITED: 429,
  LIMIT_EXCEEDED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type ErrorBody = {
  error: {
    code: ErrorCode;
    message: string;
    /** Per-field messages for form inputs, keyed by the field's path. */
    fields?: Record<string, string>;
    /** WRONG_PASSWORD: tries left before the account locks. */
    attemptsLeft?: number;
    /** LOCKED: when the lock ends (ISO 8601). */
    lockedUntil?: string;
    /** COOLING_OFF: when new scheduled payments and amount increases are allowed again (ISO 8601). */
    until?: string;
    /** RATE_LIMITED, LIMIT_EXCEEDED: when to try again (ISO 8601). */
    retryAt?: string;
    /** LOCKED, RATE_LIMITED, SERVICE_UNAVAILABLE: how long to wait before trying again, in milliseconds (the Retry-After header is in whole seconds, as HTTP defines it). */
    retryAfterMs?: number;
  };
};
