// Request signing as Inngest does it, so an app in cloud mode (INNGEST_DEV
// unset, INNGEST_SIGNING_KEY set) accepts the engine's calls. The SDK parses
// the body, re-serialises it canonically (sorted keys, RFC 8785 style) and
// checks `X-Inngest-Signature: t=<unix seconds>&s=<hex HMAC-SHA256 of body + t>`
// keyed with the signing key minus its `signkey-<env>-` prefix. We send the
// canonical text itself, so what we sign is byte for byte what the SDK hashes.
import crypto from "node:crypto";

const KEY_PREFIX = /^signkey-\w+-/;

/** Canonical JSON (sorted keys, undefined members dropped), as the `canonicalize` package the SDK uses. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object" || typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item === undefined || typeof item === "symbol" ? null : item)).join(",")}]`;
  }
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined && typeof record[key] !== "symbol" && typeof record[key] !== "function")
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(",")}}`;
}

/** The JSON text of `value` to send to an app: canonical, after a JSON round trip (dates, toJSON). */
export function requestBodyText(value: unknown): string {
  return canonicalJson(JSON.parse(JSON.stringify(value)) as unknown);
}

export function signBody(body: string, signingKey: string, unixSeconds: number): string {
  return crypto
    .createHmac("sha256", signingKey.replace(KEY_PREFIX, ""))
    .update(body + String(unixSeconds))
    .digest("hex");
}

/** Value of X-Inngest-Signature for `body` (the exact text sent), signed now. */
export function signatureHeader(body: string, signingKey: string, now: number = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t}&s=${signBody(body, signingKey, t)}`;
}

/** How the SDK authenticates to Inngest's API (out-of-band /fn/register): Bearer sha256(key bytes), prefix kept. */
export function hashedSigningKey(signingKey: string): string {
  const prefix = KEY_PREFIX.exec(signingKey)?.[0] ?? "";
  const key = signingKey.replace(KEY_PREFIX, "");
  return `${prefix}${crypto.createHash("sha256").update(Buffer.from(key, "hex")).digest("hex")}`;
}

/** Constant-time string comparison (lengths are not secret). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
