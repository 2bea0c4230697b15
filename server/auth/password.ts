import "server-only";
import argon2 from "argon2";

// argon2id with OWASP's minimum profile (19 MiB, 2 passes): about 30 ms here,
// slow enough to make offline guessing expensive, fast enough for sign-in.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function passwordMatches(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// Verifying against this when the phone is unknown keeps the response time of
// "no such account" equal to "wrong password", so phones cannot be enumerated.
let decoy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  decoy ??= hashPassword("decoy-password-for-timing");
  await passwordMatches(await decoy, password);
}
