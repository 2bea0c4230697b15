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
} as const;
