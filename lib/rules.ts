// The security numbers of docs/product/email.md, in one place. Everything that enforces
// one of them imports it from here; tests read them too.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const rules = {
  /** Random bytes in a link token (base64url-encoded in the link). */
  linkTokenBytes: 32,
  /** Lifetime of the link that verifies an address given at signup or added later. */
  addLinkLifetimeMs: 24 * HOUR,
  /** Lifetime of each link of a change (old address, then new address). */
  changeHopLifetimeMs: 60 * MINUTE,
  /** A change request as a whole dies this long after it was created. */
  changeRequestLifetimeMs: 24 * HOUR,
  /** Minimum time between two sends of the same request's email. */
  resendCooldownMs: 60 * SECOND,
  /** At most this many sends per request in any sliding hour. */
  maxSendsPerHour: 5,
  /** At most this many emails per user in any sliding hour, across requests
   * (starting a new request is not a way around the per-request limit). */
  maxSendsPerUserPerHour: 10,
  /** Consecutive failed password checks (sign-in or re-authentication) that lock the account… */
  lockoutThreshold: 5,
  /** …for this long. */
  lockoutDurationMs: 15 * MINUTE,
  /** Password length bounds; the upper bound keeps hashing cost bounded. */
  passwordMinLength: 8,
  passwordMaxLength: 128,
  /** argon2 computations in flight per server process; past this, 503 at once
   * (server/auth/password.ts). Twice libuv's default thread pool, so a small
   * burst waits a few ms and a flood is refused instead of queued. */
  maxConcurrentPasswordHashes: 8,
  /** Retry-After of that 503. */
  passwordBusyRetryAfterMs: 1 * SECOND,
  /**
   * Per-client budgets, counted per IPv4 address or IPv6 /64 in fixed windows
   * (server/budgets/take-client-budget.ts) and checked before any password
   * hashing; past one, 429 RATE_LIMITED. CLIENT_BUDGET_SCALE multiplies
   * every limit (load tests and QA from one address).
   */
  clientBudgets: {
    /** Failed sign-ins (wrong password, unknown phone, locked account). */
    failedSignIn: { limit: 20, windowMs: 15 * MINUTE },
    /** Sign-up attempts that reach the server function (valid input). */
    signUp: { limit: 10, windowMs: HOUR },
    /** Unauthenticated link endpoints: confirm and resend from an expired link. */
    emailLink: { limit: 30, windowMs: 15 * MINUTE },
  },
} as const;
