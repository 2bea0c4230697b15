// The security numbers of docs/product/email.md, in one place. Everything that enforces
// one of them imports it from here; tests read them too.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const rules = {
  /** Random bytes in a link token (base64url-encoded in the link). */
  linkTokenBytes: 32,
  /** Lifetime of the link that verifies an address given at signup or added later. */
  addLinkLifetimeMs: 24 * HOUR,
  /** Lifetime of each link of a change (old address, then new address). */
  changeHopLifetimeMs: 60 * MINUTE,
  /** A change request as a whole dies this long after it was created. */
  changeRequestLifetimeMs: 24 * HOUR,
  /** How long the expired-link page's reference (not the token: it can only ask for a new link to the same address) works. */
  expiredLinkTicketLifetimeMs: HOUR,
  /** Minimum time between two sends of the same request's email. */
  resendCooldownMs: 60 * SECOND,
  /** At most this many sends per request in any sliding hour. */
  maxSendsPerHour: 5,
  /** At most this many emails per user in any sliding hour, across requests
   * (starting a new request is not a way around the per-request limit). */
  maxSendsPerUserPerHour: 10,
  /** At most this many verification emails (links to the address being
   * verified) to one recipient in any sliding 24 hours, across all accounts:
   * verification mail is not a way to flood someone else's inbox. */
  maxVerificationEmailsPerRecipientPerDay: 3,
  /** At most this many EMAIL_TAKEN answers per account in any sliding hour;
   * past it every add/change answers RATE_LIMITED before the address is
   * looked up, so the answers stop telling which addresses have accounts. */
  maxEmailTakenAnswersPerHour: 5,
  /** Consecutive failed password checks (sign-in or re-authentication) that lock the account… */
  lockoutThreshold: 5,
  /** …for this long. Browsers holding the account's device cookie have their own
   * count and lock, so strangers guessing cannot lock the owner out. */
  lockoutDurationMs: 15 * MINUTE,
  /** Account-wide ceiling: this many failed checks from all clients together
   * (device holders included) within accountFailureWindowMs… */
  accountFailureCeiling: 50,
  accountFailureWindowMs: HOUR,
  /** …lock the account for everyone for this long. */
  accountLockDurationMs: HOUR,
  /** How long a browser stays recognised as one that signed in to the account. */
  deviceCookieLifetimeMs: 180 * 24 * HOUR,
  /** argon2id parameters for every password hash (sign-up, seed, upgrades on
   * sign-in): OWASP's minimum profile, 19 MiB and 2 passes, about 30 ms here. */
  passwordHashing: { memoryCost: 19_456, timeCost: 2, parallelism: 1 },
  /** Password length bounds; the upper bound keeps hashing cost bounded. */
  passwordMinLength: 8,
  passwordMaxLength: 128,
  /** A session ends this long after sign-in, however active (absolute lifetime)… */
  sessionLifetimeMs: 30 * DAY,
  /** …or after this long without a request (idle timeout): a week covers a
   * weekly user without leaving a forgotten browser signed in for a month. */
  sessionIdleTimeoutMs: 7 * DAY,
  /** A session's last-seen time is written at most this often (one write per
   * minute per session instead of one per request). */
  sessionTouchIntervalMs: MINUTE,
  /** Retention: a request's links are deleted this long after the request closed… */
  linkRetentionMs: 30 * DAY,
  /** …ended or expired session rows this long after they ended… */
  sessionRetentionMs: 30 * DAY,
  /** …and audit events after this many months. Enforced by the database
   * function audit_purge_expired (migration 20261123040000), which fixes the
   * age itself so that no caller can ask it to delete more. */
  auditRetentionMonths: 13,
  /** Published outbox rows (ADR 0016) are deleted this long after they were
   * published. A week is well past what a published row is still used for:
   * its unique event id keeps a repeated enqueue of the same deterministic
   * event (a retried step, within a request's 24 hours) from being sent
   * again, and past Inngest's own 24-hour deduplication by id; and it leaves
   * an operator a week to see what was sent when. Unpublished rows are never
   * deleted. */
  outboxRetentionMs: 7 * DAY,
  /** Retention deletes at most this many outbox rows per statement: short
   * transactions, no long lock on a busy table. */
  outboxPurgeBatch: 1000,
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
  /** GET /api/health answers from checks at most this old: a flood of probes costs one check. */
  healthCacheMs: 5 * SECOND,
  /** The SMTP relay is contacted (connect, greeting, EHLO, QUIT: never a login) at most this often. */
  healthSmtpCheckMs: 30 * SECOND,
} as const;

/**
 * The money numbers of docs/product/payments.md. Amounts are paisa
 * (1 rupee = 100 paisa); days are Nepal calendar days (lib/nepal-time.ts).
 */
export const paymentRules = {
  currency: "NPR",
  /** Rs. 10 to Rs. 25,000 per payment, immediate or scheduled. */
  minPaymentPaisa: 10_00,
  maxPaymentPaisa: 25_000_00,
  /** Outgoing payments (immediate and scheduled together) per wallet per Nepal calendar day. */
  maxOutgoingPerDayPaisa: 100_000_00,
  /** A top-up (development and tests only) moves at most this much at once. */
  maxTopUpPaisa: 1_000_000_00,
  /** A payment's note, in characters. */
  noteMaxLength: 100,
  /** Active schedules per wallet. */
  maxActiveSchedules: 20,
  /** A schedule's first run (and a rescheduled run) is at least this far ahead… */
  minLeadMs: 5 * MINUTE,
  /** …and at most this far. */
  maxLeadMs: 365 * DAY,
  /** "End after N payments": at most this many. */
  maxOccurrences: 1_000,
  /** Insufficient funds: tried again this long after the due time, then failed. */
  retryDelaysMs: [1 * HOUR, 6 * HOUR],
  /** Failed occurrences in a row that pause a recurring payment. */
  pauseAfterFailures: 3,
  /** A run woken later than this after the due time does not execute: `missed`. */
  maxLatenessMs: 24 * HOUR,
  /** The reminder email goes this long before each occurrence. */
  reminderLeadMs: 24 * HOUR,
  /** New schedules and amount increases are refused this long after the account's email changed. */
  coolingOffMs: 24 * HOUR,
  /** The reconciliation cron re-drives an occurrence this overdue with nothing recorded. */
  reconcileAfterMs: 10 * MINUTE,
  /** Entries in GET /api/wallet and on the wallet page. */
  latestEntries: 20,
} as const;
