import crypto from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32

/** A ULID: 48 bits of milliseconds then 80 bits of randomness (or the given bytes). */
export function ulid(timeMs: number = Date.now(), random?: Uint8Array): string {
  let time = "";
  let t = Math.max(0, Math.floor(timeMs));
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const bytes = random ?? crypto.randomBytes(10);
  let bits = 0;
  let value = 0;
  let rand = "";
  for (let i = 0; i < 10; i++) {
    value = (value << 8) | (bytes[i] ?? 0);
    bits += 8;
    while (bits >= 5) {
      rand += ALPHABET[(value >>> (bits - 5)) & 31]!;
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return time + rand;
}

/** A stable ULID derived from the SDK's x-inngest-event-id-seed header, so a
 * retried POST of the same events yields the same ids (and is deduplicated). */
export function seededUlid(seed: string, index: number): string | undefined {
  const [millis, entropy] = seed.split(",");
  const time = Number(millis);
  if (!Number.isFinite(time) || !entropy) return undefined;
  const digest = crypto.createHash("sha256").update(`${entropy}:${index}`).digest();
  return ulid(time, digest.subarray(0, 10));
}

export function randomId(): string {
  return crypto.randomBytes(8).toString("hex");
}
