import "server-only";
import argon2 from "argon2";
import { rules } from "@/lib/rules";
import { AppError } from "@/server/errors";

// The parameters live in lib/rules.ts so that the seed (which cannot import
// server-only code) hashes with the very same ones.
const OPTIONS = { type: argon2.argon2id, ...rules.passwordHashing } as const;

/**
 * A bound on argon2 work in flight in this process. Each hash holds 19 MiB
 * and a libuv thread for ~30 ms; without a bound, a flood of sign-ins queues
 * behind itself and every user waits seconds (and memory grows with the
 * queue). Past the bound the request is refused at once with 503 and a
 * Retry-After, which a client can act on, instead of joining the queue.
 */
export function createWorkLimit(size: number) {
  let inFlight = 0;
  return {
    get inFlight() {
      return inFlight;
    },
    /** Runs `work` if a slot is free; throws SERVICE_UNAVAILABLE synchronously-fast when none is. */
    run<T>(work: () => Promise<T>): Promise<T> {
      if (inFlight >= size) {
        return Promise.reject(
          new AppError("SERVICE_UNAVAILABLE", "We are busy right now. Please try again in a moment.", {
            retryAfter: rules.passwordBusyRetryAfterMs / 1000,
            extra: { retryAfterMs: rules.passwordBusyRetryAfterMs },
          }),
        );
      }
      inFlight++;
      return work().finally(() => inFlight--);
    },
  };
}

export const passwordWork = createWorkLimit(rules.maxConcurrentPasswordHashes);

export function hashPassword(password: string): Promise<string> {
  return passwordWork.run(() => argon2.hash(password, OPTIONS));
}

/** The one place argon2 verifies: every guess that reaches it costs a full hash. */
export async function passwordMatches(hash: string, password: string): Promise<boolean> {
  // Outside the try below: "too busy" is not "wrong password" (it must not count towards a lock).
  return passwordWork.run(async () => {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  });
}

/**
 * True when a stored hash was made with other parameters (or another
 * algorithm) than today's: it is replaced on the next successful check,
 * the only moment the plain password is at hand.
 */
export function needsRehash(hash: string): boolean {
  // $argon2id$v=19$m=19456,p=1,t=2$salt$digest (the parameters in any order).
  const [, algorithm, version, params] = hash.split("$");
  if (algorithm !== "argon2id" || version !== "v=19" || !params) return true;
  const given = Object.fromEntries(params.split(",").map((pair) => pair.split("=")));
  return Number(given.m) !== OPTIONS.memoryCost || Number(given.t) !== OPTIONS.timeCost || Number(given.p) !== OPTIONS.parallelism;
}

// Verifying against this when the phone is unknown keeps the response time of
// "no such account" equal to "wrong password", so phones cannot be enumerated.
let decoy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  decoy ??= argon2.hash("decoy-password-for-timing", OPTIONS);
  await passwordMatches(await decoy, password);
}
