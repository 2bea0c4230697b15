import "server-only";
import argon2 from "argon2";
import { rules } from "@/lib/rules";

// The parameters live in lib/rules.ts so that the seed (which cannot import
// server-only code) hashes with the very same ones.
const OPTIONS = { type: argon2.argon2id, ...rules.passwordHashing } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/** The one place argon2 verifies: every guess that reaches it costs a full hash. */
export async function passwordMatches(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
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
  return (
    Number(given.m) !== OPTIONS.memoryCost ||
    Number(given.t) !== OPTIONS.timeCost ||
    Number(given.p) !== OPTIONS.parallelism
  );
}

// Verifying against this when the phone is unknown keeps the response time of
// "no such account" equal to "wrong password", so phones cannot be enumerated.
let decoy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  decoy ??= hashPassword("decoy-password-for-timing");
  await passwordMatches(await decoy, password);
}
